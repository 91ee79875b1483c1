using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.Metrics;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMetrics();

var app = builder.Build();

app.UseServiceDefaults();
app.MapMetrics();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.Metrics
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class MetricsService;
}
