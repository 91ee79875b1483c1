using Jtai.Strategy.Contracts;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.SpocDirectory.Apis;
using Jtai.Strategy.SpocDirectory.Infrastructure;

namespace Jtai.Strategy.SpocDirectory;

/// <summary>The composition root of the SPOC directory (see <c>ServiceDefaults</c> for why every service is wired this way).</summary>
public static class SpocDirectorySetup
{
    /// <summary>The directory's schema and seed, the committed-change log, and the snapshots replicas catch up from.</summary>
    public static WebApplicationBuilder AddSpocDirectory(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<DirectoryDbContext>(Migration.FromEmbeddedResources(typeof(DirectoryDbContext).Assembly));
        builder.Services.AddScoped<IDataSeeder<DirectoryDbContext>, DurhamAgenciesSeeder>();
        builder.Services.AddScoped<DirectoryChanges>();
        builder.AddMessaging("spoc-directory", MessageContracts.Assembly, x => x.AddConsumer<DirectorySnapshotRequestedConsumer>());
        builder.Services.AddHostedService<DirectorySnapshotOnStartup>();
        return builder;
    }

    public static WebApplication MapSpocDirectory(this WebApplication app)
    {
        app.MapAgenciesApi();
        app.MapSpocsApi();
        return app;
    }
}
