using Jtai.Strategy.Contracts;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Metrics.Apis;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Projection;
using Jtai.Strategy.Metrics.Publishing;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics;

/// <summary>The composition root of the metrics service (see <c>ServiceDefaults</c> for why every service is wired this way).</summary>
public static class MetricsSetup
{
    public const string EndpointPrefix = "metrics";

    /// <summary>The metrics service: its schema, the projection consumer, queries, publishing and period closes.</summary>
    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration("Metrics").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<MetricsOptions>>().Value.ToProjectionRules());

        builder.AddServiceDatabase<MetricsDbContext>(Migration.FromEmbeddedResources(typeof(MetricsDbContext).Assembly));
        // The log every figure is rebuilt from, and what was published to the tracker: read and appended to, never
        // changed by the running service (the rebuild's locks are the schema owner's, migration 0005).
        builder.AddAppendOnlyTable(MetricsProjection.Schema, "event_log");
        builder.AddAppendOnlyTable(MetricsProjection.Schema, "publication");
        builder.Services.AddSingleton<MetricsProjection>();

        // Before the bus, so it stops after the bus: consumers in flight get their commits.
        builder.Services.AddSingleton<ProjectionWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProjectionWriter>());
        builder.Services.AddSingleton<ProjectionRebuilder>();
        builder.Services.AddSingleton<MetricsQueries>();
        builder.Services.AddSingleton<OversightQueries>();
        builder.Services.AddScoped<Publisher>();
        builder.AddMessaging(EndpointPrefix, MessageContracts.Assembly, x =>
        {
            foreach (var projected in ProjectedEvents.All)
            {
                projected.AddConsumer(x);
            }
        });
        builder.AddDeadlines<MetricsDbContext>(d => d.Handle<PeriodCloseHandler>().Handle<MasdgDigestHandler>());
        builder.Services.AddHostedService<PeriodCloseBootstrap>();
        builder.Services.AddHostedService<MasdgDigestBootstrap>();
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapMetricsApi();
        app.MapPublicationsApi();
        app.MapOverdueCirculationsApi();
        return app;
    }
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
