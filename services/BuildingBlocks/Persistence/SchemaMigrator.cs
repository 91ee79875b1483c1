using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// Applies versioned, forward-only SQL migrations to one service's schema. Several instances may
/// start at once: a transaction-level advisory lock per schema lets one migrate while the others wait.
/// When the service runs as a role of its own (<see cref="SchemaPrivileges"/>), the same transaction grants it its
/// privileges, so no table exists, even for a moment, with more rights than the service should have.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(string schema, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken, SchemaPrivileges? privileges = null)
    {
        ValidateIdentifier(schema);
        var duplicate = migrations.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migration id '{duplicate.Key}' is defined twice.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext(@schema))", cancellationToken, ("schema", "migrate:" + schema));
        // Only when missing: CREATE SCHEMA IF NOT EXISTS checks the right to create schemas in the database first, and
        // a service's owner role has none there (its schema is made for it, deploy/postgres/service-roles.sh).
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", connection, transaction))
        {
            exists.Parameters.AddWithValue("schema", schema);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {schema}", cancellationToken);
            }
        }

        await ExecuteAsync(connection, transaction,
            $"CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);

        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand($"SELECT id, checksum FROM {schema}.schema_migrations", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var known = migrations.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = applied.Keys.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            // The database is ahead of this build: refuse rather than run old code on a newer schema.
            throw new InvalidOperationException($"Schema '{schema}' has migrations this build does not know: {string.Join(", ", unknown)}.");
        }

        var newlyApplied = new List<string>();
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Id, out var checksum))
            {
                if (!string.Equals(checksum, migration.Checksum, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Migration '{migration.Id}' in schema '{schema}' was changed after it was applied. Migrations are forward-only: add a new one.");
                }

                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql.Replace("{schema}", schema, StringComparison.Ordinal), cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO {schema}.schema_migrations (id, checksum) VALUES (@id, @checksum)", cancellationToken,
                ("id", migration.Id), ("checksum", migration.Checksum));
            newlyApplied.Add(migration.Id);
            LogApplied(logger, migration.Id, schema);
        }

        // Created here rather than by the first seed, so the runtime role's privileges on it are set below.
        await ExecuteAsync(connection, transaction, new SchemaSql(schema).CreateSeedsTable, cancellationToken);
        if (privileges is not null)
        {
            foreach (var statement in privileges.Statements(schema))
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    /// <summary>
    /// Whether the connection's role may migrate the schema: it owns it (or is a member of its owner, or a superuser),
    /// or the schema does not exist and the role may create it. A service's runtime role may not.
    /// </summary>
    public async Task<(bool CanMigrate, string Role)> CanMigrateAsync(string schema, CancellationToken cancellationToken)
    {
        ValidateIdentifier(schema);
        await using var command = dataSource.CreateCommand(
            """
            SELECT coalesce((SELECT pg_has_role(nspowner, 'USAGE') FROM pg_namespace WHERE nspname = $1),
                            has_database_privilege(current_database(), 'CREATE')),
                   current_user::text
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.GetString(1));
    }

    /// <summary>
    /// What the schema still lacks, read with the connection's own rights (no DDL, no lock): the migrations and the
    /// seeds not applied yet. A schema the role cannot see (missing, or no USAGE granted yet) lacks everything.
    /// Refuses, as <see cref="MigrateAsync"/> does, a schema ahead of this build or an applied migration since edited.
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingAsync(string schema, IReadOnlyList<Migration> migrations, IReadOnlyList<string> seedIds, CancellationToken cancellationToken)
    {
        ValidateIdentifier(schema);
        var applied = await ReadAsync($"SELECT id, checksum FROM {schema}.schema_migrations", cancellationToken);
        var seeded = await ReadAsync($"SELECT id, '' FROM {schema}.schema_seeds", cancellationToken);
        var known = migrations.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = applied.Keys.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Schema '{schema}' has migrations this build does not know: {string.Join(", ", unknown)}.");
        }

        var edited = migrations.FirstOrDefault(m => applied.TryGetValue(m.Id, out var checksum) && !string.Equals(checksum, m.Checksum, StringComparison.Ordinal));
        if (edited is not null)
        {
            throw new InvalidOperationException($"Migration '{edited.Id}' in schema '{schema}' was changed after it was applied. Migrations are forward-only: add a new one.");
        }

        return
        [
            .. migrations.Where(m => !applied.ContainsKey(m.Id)).Select(m => m.Id),
            .. seedIds.Where(id => !seeded.ContainsKey(id)).Select(id => "seed " + id),
        ];
    }

    private async Task<Dictionary<string, string>> ReadAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await using var command = dataSource.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetString(0)] = reader.GetString(1);
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedTable)
        {
            // Never migrated, or migrated before this role was granted anything: nothing is applied as far as it can tell.
        }

        return rows;
    }

    internal static void ValidateIdentifier(string identifier)
    {
        if (identifier.Length == 0 || !identifier.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_') || char.IsDigit(identifier[0]))
        {
            throw new ArgumentException($"'{identifier}' is not a lower-case SQL identifier.", nameof(identifier));
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {MigrationId} to schema {Schema}")]
    private static partial void LogApplied(ILogger logger, string migrationId, string schema);
}
