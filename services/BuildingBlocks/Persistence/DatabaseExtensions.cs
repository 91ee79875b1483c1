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
        builder.Services.AddSingleton(sp => ServiceDataSource(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured (see README: configuring real servers).")));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<DeadlineSignal>();
        builder.Services.AddSingleton<AfterCommitInterceptor>();
        builder.Services.AddDbContext<TDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(sp.GetRequiredService<AfterCommitInterceptor>()));

        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        // Migrations run on the owner's connection when one is given (ConnectionStrings:PostgresMigrations).
        builder.Services.AddSingleton(sp => new MigrationDatabase(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton(sp => new SchemaMigrator(sp.GetRequiredService<MigrationDatabase>().DataSource, sp.GetRequiredService<ILogger<SchemaMigrator>>()));
        builder.Services.AddSingleton(sp => new MigrationRunner<TDbContext>(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<SchemaMigrator>(),
            sp.GetRequiredService<MigrationDatabase>(),
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
    /// The service's connections, with two defaults a connection string may override (issue 18, measured with the load
    /// benchmark and <c>pg_stat_statements</c>: a delivered e-mail cost about 70 statements, half of them these two kinds
    /// of overhead):
    /// <list type="bullet">
    /// <item><c>No Reset On Close</c>: a connection going back to the pool is not reset with <c>DISCARD ALL</c>, one
    /// statement per unit of work. No service keeps session state on a pooled connection (its settings are
    /// <c>SET LOCAL</c>, its locks transaction-scoped).</item>
    /// <item><c>Max Auto Prepare</c> 64: a statement run a few times on a connection is prepared there, so PostgreSQL
    /// parses and plans the hot paths' statements once per connection instead of at every call.</item>
    /// </list>
    /// </summary>
    public static NpgsqlDataSource ServiceDataSource(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        return builder.Build();
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

    /// <summary>
    /// Declares a table of the service's schema that the running service only reads and appends to (a log it rebuilds
    /// from, a record of what it issued): the migrations grant its runtime role SELECT and INSERT there, as on an
    /// audit trail, so neither a bug nor whoever holds the runtime connection can rewrite it.
    /// </summary>
    public static IHostApplicationBuilder AddAppendOnlyTable(this IHostApplicationBuilder builder, string schema, string table)
    {
        builder.Services.AddSingleton(new AppendOnlyTable(schema, table));
        return builder;
    }
}

/// <summary>A table the service's runtime role may read and append to, never change (<see cref="DatabaseExtensions.AddAppendOnlyTable"/>).</summary>
public sealed record AppendOnlyTable(string Schema, string Table);

public interface IMigrationRunner
{
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Migrates one service's schema, then applies its seeders once each, on the migrations' connection
/// (<see cref="MigrationDatabase"/>). When that role may not migrate the schema (the service's runtime role, given no
/// owner's connection), it applies nothing: it checks that nothing is pending, and refuses with a message saying to
/// run <c>migrate</c> when something is, rather than failing later on a missing table or with a raw permission error.
/// </summary>
public sealed partial class MigrationRunner<TDbContext>(
    IServiceScopeFactory scopeFactory,
    SchemaMigrator migrator,
    MigrationDatabase database,
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
            var schema = scope.ServiceProvider.GetRequiredService<TDbContext>().Schema;
            var seeders = scope.ServiceProvider.GetServices<IDataSeeder<TDbContext>>().ToList();
            var (canMigrate, role) = await migrator.CanMigrateAsync(schema, ct);
            if (!canMigrate)
            {
                var pending = await migrator.PendingAsync(schema, migrations, [.. seeders.Select(s => s.Id)], ct);
                if (pending.Count == 0)
                {
                    LogUpToDate(logger, schema, role);
                    return;
                }

                var message = $"Schema '{schema}' is not up to date (pending: {string.Join(", ", pending)}) and role '{role}' cannot migrate it "
                    + "(it does not own the schema). Run this service's `migrate` step with ConnectionStrings:PostgresMigrations set to the "
                    + "schema owner's connection, then start the service again.";
                LogPending(logger, message);
                throw new MigrationsPendingException(message);
            }

            await migrator.MigrateAsync(schema, migrations, ct, Privileges(scope.ServiceProvider, schema));
            if (seeders.Count == 0)
            {
                return;
            }

            if (!database.HasOwnConnection)
            {
                await SeedAsync(seeders, scope.ServiceProvider.GetRequiredService<TDbContext>(), ct);
                return;
            }

            // Seeds are the migrations' too: written by the owner's role, through a context on its connection.
            var options = new DbContextOptionsBuilder<TDbContext>()
                .UseNpgsql(database.DataSource)
                .AddInterceptors(scope.ServiceProvider.GetRequiredService<AfterCommitInterceptor>())
                .Options;
            await using var db = ActivatorUtilities.CreateInstance<TDbContext>(scope.ServiceProvider, options);
            await SeedAsync(seeders, db, ct);
        }, cancellationToken);
    }

    /// <summary>The runtime role's privileges, when it is another role; its audit trails and other append-only tables are append-only.</summary>
    private SchemaPrivileges? Privileges(IServiceProvider services, string schema) => database.RuntimeRole is { } role
        ? new SchemaPrivileges(role, [
            .. services.GetServices<AuditTrail>().Where(t => t.Schema == schema).Select(t => t.Table),
            .. services.GetServices<AppendOnlyTable>().Where(t => t.Schema == schema).Select(t => t.Table)])
        : null;

    private static async Task SeedAsync(IReadOnlyList<IDataSeeder<TDbContext>> seeders, TDbContext db, CancellationToken cancellationToken)
    {
        foreach (var seeder in seeders)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} is up to date; role {Role} runs it without migrating (migrations are the migrate step's)")]
    private static partial void LogUpToDate(ILogger logger, string schema, string role);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private static partial void LogPending(ILogger logger, string message);
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
