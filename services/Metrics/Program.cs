using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.Metrics.Apis;
using Jtai.Strategy.Metrics.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMetricsService();

var app = builder.Build();

app.UseServiceDefaults();
app.MapMetricsApi();
app.MapPublicationsApi();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.Metrics
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class MetricsService;
}
