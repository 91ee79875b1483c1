using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.SpocDirectory;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSpocDirectory();

var app = builder.Build();

app.UseServiceDefaults();
app.MapSpocDirectory();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.SpocDirectory
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class SpocDirectoryService;
}
