using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// Where a service's migrations run: <c>ConnectionStrings:PostgresMigrations</c> (the schema owner's role) when it is
/// set, else <c>ConnectionStrings:Postgres</c>, the connection the service runs on. When the two name different roles,
/// the one in <c>ConnectionStrings:Postgres</c> is the service's runtime role: every migration run grants it what the
/// service needs in its schema and no more (<see cref="SchemaPrivileges"/>). When they are one role (a test's single
/// superuser, a one-role deployment) nothing is granted: that role owns what it creates.
/// </summary>
public sealed class MigrationDatabase : IAsyncDisposable
{
    /// <summary>The connection string's name for the migrations' role (the schema owner).</summary>
    public const string ConnectionName = "PostgresMigrations";

    private readonly bool ownsDataSource;

    public MigrationDatabase(IConfiguration configuration, NpgsqlDataSource runtime)
    {
        var migrations = configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(migrations))
        {
            DataSource = runtime;
            return;
        }

        DataSource = NpgsqlDataSource.Create(migrations);
        ownsDataSource = true;
        var runtimeRole = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Postgres")).Username;
        var migrationsRole = new NpgsqlConnectionStringBuilder(migrations).Username;
        if (string.IsNullOrEmpty(runtimeRole) || string.IsNullOrEmpty(migrationsRole))
        {
            // The grants name the runtime role: without it they would silently go to nobody.
            throw new InvalidOperationException(
                "ConnectionStrings:PostgresMigrations is set, so both it and ConnectionStrings:Postgres must name their role (Username=...): the migrations grant the runtime role its privileges.");
        }

        RuntimeRole = string.Equals(runtimeRole, migrationsRole, StringComparison.Ordinal) ? null : runtimeRole;
    }

    /// <summary>Whether the migrations have a connection of their own (ConnectionStrings:PostgresMigrations is set).</summary>
    public bool HasOwnConnection => ownsDataSource;

    /// <summary>The connection the migrations (and the seeders) run on.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The role the service runs as, when it is not the one that migrates; null when they are one role.</summary>
    public string? RuntimeRole { get; }

    public async ValueTask DisposeAsync()
    {
        if (ownsDataSource)
        {
            await DataSource.DisposeAsync();
        }
    }
}

/// <summary>
/// What a service's runtime role may do in its schema, granted by the schema's owner at the end of every migration
/// run: USAGE on the schema (not CREATE, not ownership: an owner can alter, disable a trigger on or drop anything in
/// it); SELECT, INSERT, UPDATE and DELETE on its tables and USAGE on its sequences, now and (default privileges) on
/// what the owner creates later; EXECUTE on its functions; read only on the migration bookkeeping; and SELECT and
/// INSERT only on its append-only tables (the audit trail).
/// </summary>
/// <param name="RuntimeRole">The role the service connects as.</param>
/// <param name="AppendOnlyTables">Tables of the schema the runtime role may read and append to, never change.</param>
public sealed record SchemaPrivileges(string RuntimeRole, IReadOnlyList<string> AppendOnlyTables)
{
    /// <summary>The tables only the migrations write: the applied migrations and seeds.</summary>
    public static IReadOnlyList<string> ReadOnlyTables { get; } = ["schema_migrations", "schema_seeds"];

    /// <summary>The statements, in order, for <paramref name="schema"/> (a validated identifier).</summary>
    public IReadOnlyList<string> Statements(string schema)
    {
        SchemaMigrator.ValidateIdentifier(schema);
        foreach (var table in AppendOnlyTables)
        {
            SchemaMigrator.ValidateIdentifier(table);
        }

        var role = QuoteIdentifier(RuntimeRole);
        List<string> statements =
        [
            $"GRANT USAGE ON SCHEMA {schema} TO {role}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            $"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role}",
            // Tables the owner creates later (the next migrations, the metrics rebuild's shadow tables) are covered too.
            $"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            $"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ];
        statements.AddRange(ReadOnlyTables.Select(t => $"REVOKE ALL ON {schema}.{t} FROM {role}"));
        statements.AddRange(ReadOnlyTables.Select(t => $"GRANT SELECT ON {schema}.{t} TO {role}"));
        statements.AddRange(AppendOnlyTables.Select(t => $"REVOKE ALL ON {schema}.{t} FROM {role}"));
        statements.AddRange(AppendOnlyTables.Select(t => $"GRANT SELECT, INSERT ON {schema}.{t} TO {role}"));
        return statements;
    }

    /// <summary>A role name as a quoted SQL identifier (role names come from configuration, not code).</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>The service's schema needs migrations (or seed data) that the role it connects with cannot apply.</summary>
public sealed class MigrationsPendingException(string message) : Exception(message);
