using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.SpocDirectory.Apis;
using Jtai.Strategy.SpocDirectory.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<DirectoryDbContext>(Migration.FromEmbeddedResources(typeof(DirectoryDbContext).Assembly));
builder.Services.AddScoped<IDataSeeder<DirectoryDbContext>, DurhamAgenciesSeeder>();
builder.AddMessaging("spoc-directory", x => x.AddConsumer<DirectorySnapshotRequestedConsumer>());
builder.Services.AddHostedService<DirectorySnapshotOnStartup>();

var app = builder.Build();

app.UseServiceDefaults();
app.MapAgenciesApi();
app.MapSpocsApi();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.SpocDirectory
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class SpocDirectoryService;
}
