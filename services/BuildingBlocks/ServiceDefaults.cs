using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MassTransit;

namespace Jtai.Strategy.BuildingBlocks;

/// <summary>What every service host shares (after eShop's ServiceDefaults).</summary>
/// <remarks>
/// Every service is wired one way: <c>Program.cs</c> is the same five lines (<c>AddServiceDefaults</c>,
/// <c>Add&lt;Service&gt;</c>, <c>Build</c>, <c>UseServiceDefaults</c> with <c>Map&lt;Service&gt;</c>, <c>RunServiceAsync</c>),
/// and a composition root at the service's root folder (<c>&lt;Service&gt;Setup</c>) registers its database, its
/// messaging with every consumer and deadline handler, and its capabilities, and maps its endpoints. Of the three
/// ways the services used to be wired (all inline in Program, half inline, or one setup method) this is the one
/// where a reader finds everything a service runs in one file, and where test hosts and the <c>migrate</c> step
/// get exactly what production gets.
/// </remarks>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // First: the secrets directory's files (passwords in connection strings) are read by everything after.
        builder.AddServiceSecrets();
        builder.AddTelemetry();
        builder.AddJtaiAuthentication();
        builder.Services.AddJtaiProblemDetails();
        builder.Services.AddOpenApi(o => o.AddJtaiSecurity());
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    /// <summary>Error handling, authentication, health (live/ready) and the OpenAPI document.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        // Live: the process answers. Ready: the database and the broker are reachable (MassTransit
        // tags its bus check "ready").
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = WriteHealth }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        if (app.Services.GetService<DeadLetterStore>() is not null)
        {
            app.MapDeadLetters();
        }

        return app;
    }

    /// <summary>
    /// Runs the service, or with the argument <c>verify-audit</c> verifies its audit trail's hash chain and exits
    /// (<see cref="VerifyAuditAsync"/>), or with the argument <c>migrate</c> applies its migrations, declares its receive endpoints'
    /// queues, exchanges and bindings on the broker, and exits. A deployment runs migrate first, so a message another
    /// service publishes before this one ever started waits in this service's queue. MassTransit's deploy-only mode
    /// starts no consumer: a message already waiting stays there for the service's first start (FirstDeploymentTests).
    /// The migrations run on <c>ConnectionStrings:PostgresMigrations</c> (the schema owner) when it is set. A start whose
    /// role cannot migrate its schema while something is pending logs why and exits with code 1 (MigrationRunner).
    /// </summary>
    public static async Task RunServiceAsync(this WebApplication app, string[] args)
    {
        try
        {
            await RunCommandOrServiceAsync(app, args);
        }
        catch (Exception ex) when (IsMigrationsPending(ex))
        {
            // The migration runner has logged what is pending and that `migrate` must run first: exit without a stack trace.
            Environment.ExitCode = 1;
        }
    }

    private static bool IsMigrationsPending(Exception ex) =>
        ex is MigrationsPendingException || (ex is AggregateException aggregate && aggregate.InnerExceptions.All(IsMigrationsPending));

    private static async Task RunCommandOrServiceAsync(WebApplication app, string[] args)
    {
        if (args.Contains("migrate", StringComparer.Ordinal))
        {
            // The bus is built in MassTransit's deploy-only mode (TopologyDeployment reads the same argument).
            var topology = app.Services.GetService<TopologyDeployment>();
            foreach (var runner in app.Services.GetServices<IMigrationRunner>())
            {
                await runner.RunAsync(CancellationToken.None);
            }

            if (topology is not null)
            {
                // Wait for the broker as a start would, then start the bus once in deploy-only mode and stop it.
                await ActivatorUtilities.CreateInstance<BrokerStartupGate>(app.Services).StartingAsync(CancellationToken.None);
                await app.Services.GetRequiredService<IBusControl>().DeployAsync(CancellationToken.None);
            }

            return;
        }

        if (args.Contains(VerifyAuditCommand, StringComparer.Ordinal))
        {
            Environment.ExitCode = await VerifyAuditAsync(app.Services, Console.Out);
            return;
        }

        await app.RunAsync();
    }

    /// <summary>The command that verifies the service's audit trail and exits (0 intact, 1 broken).</summary>
    public const string VerifyAuditCommand = "verify-audit";

    /// <summary>
    /// Walks each audit trail the service declares and writes one line per trail: intact with its head, or the
    /// first broken link. Returns 1 when any trail is broken. Nothing else starts (no migration, no bus).
    /// </summary>
    public static async Task<int> VerifyAuditAsync(IServiceProvider services, TextWriter output)
    {
        var trails = services.GetServices<AuditTrail>().ToList();
        if (trails.Count == 0)
        {
            await output.WriteLineAsync("this service keeps no audit trail");
            return 0;
        }

        var verifier = services.GetRequiredService<AuditChainVerifier>();
        var exitCode = 0;
        foreach (var trail in trails)
        {
            var report = await verifier.VerifyAsync(trail, CancellationToken.None);
            await output.WriteLineAsync(report.ToString());
            exitCode = report.Intact ? exitCode : 1;
        }

        return exitCode;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
