using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Resilience;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>Seed data applied once per schema, after migrations (an administrator may change it afterwards).</summary>
public interface IDataSeeder<in TDbContext>
    where TDbContext : ServiceDbContext
{
    /// <summary>Stable id recorded in <c>schema_seeds</c>; change it only to seed again.</summary>
    string Id { get; }

    /// <summary>Add entities (and their outbox messages) to <paramref name="db"/>; the caller saves and commits.</summary>
    Task SeedAsync(TDbContext db, CancellationToken cancellationToken);
}

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's DbContext on PostgreSQL, its migrations (applied at start-up, or by the
    /// <c>migrate</c> command), the outbox relay, and a readiness check on the database.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder, IReadOnlyList<Migration> migrations)
        where TDbContext : ServiceDbContext
    {
        // Read when first resolved, not now, so test hosts and deployments can override configuration late.
        builder.Services.AddSingleton(sp => new NpgsqlDataSourceBuilder(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured (see README: configuring real servers).")).Build());
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<DeadlineSignal>();
        builder.Services.AddSingleton<AfterCommitInterceptor>();
        builder.Services.AddDbContext<TDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(sp.GetRequiredService<AfterCommitInterceptor>()));

        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton(sp => new MigrationRunner<TDbContext>(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<SchemaMigrator>(),
            [.. Migration.BuildingBlocks, .. migrations],
            sp.GetRequiredService<ILogger<MigrationRunner<TDbContext>>>()));
        builder.Services.AddSingleton<IMigrationRunner>(sp => sp.GetRequiredService<MigrationRunner<TDbContext>>());
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHostedService<OutboxRelay<TDbContext>>();
        builder.Services.AddSingleton<OutboxRelayShutdown>();
        builder.Services.AddBusObserver(sp => sp.GetRequiredService<OutboxRelayShutdown>());

        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<OutboxHealthCheck<TDbContext>>("outbox", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Declares the service's hash-chained audit trail (its migration creates the chain), for the <c>verify-audit</c>
    /// command.
    /// </summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder, AuditTrail trail)
    {
        builder.Services.AddSingleton(trail);
        builder.Services.AddSingleton<AuditChainVerifier>();
        return builder;
    }
}

public interface IMigrationRunner
{
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Migrates one service's schema, then applies its seeders once each.</summary>
public sealed class MigrationRunner<TDbContext>(
    IServiceScopeFactory scopeFactory,
    SchemaMigrator migrator,
    IReadOnlyList<Migration> migrations,
    ILogger<MigrationRunner<TDbContext>> logger) : IMigrationRunner
    where TDbContext : ServiceDbContext
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var activity = Telemetry.JtaiTelemetry.ActivitySource.StartActivity($"migrate {typeof(TDbContext).Name}");
        await StartupResilience.Database(logger).ExecuteAsync(async ct =>
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            await migrator.MigrateAsync(db.Schema, migrations, ct);
            await SeedAsync(scope.ServiceProvider, db, ct);
        }, cancellationToken);
    }

    private static async Task SeedAsync(IServiceProvider services, TDbContext db, CancellationToken cancellationToken)
    {
        foreach (var seeder in services.GetServices<IDataSeeder<TDbContext>>())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"seed:" + db.Schema}))", cancellationToken);
            await db.Database.ExecuteSqlRawAsync(db.Sql.CreateSeedsTable, cancellationToken);
            var seeded = (await db.Database.SqlQueryRaw<int>(db.Sql.SeedApplied, seeder.Id).ToListAsync(cancellationToken)).Single() > 0;
            if (!seeded)
            {
                await seeder.SeedAsync(db, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync(db.Sql.InsertSeed, [seeder.Id], cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>Runs migrations before any other hosted service starts (so the relay and the bus see the schema).</summary>
public sealed class MigrationHostedService(IEnumerable<IMigrationRunner> runners) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in runners)
        {
            await runner.RunAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable", ex);
        }
    }
}
