using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// Applies versioned, forward-only SQL migrations to one service's schema. Several instances may
/// start at once: a transaction-level advisory lock per schema lets one migrate while the others wait.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(string schema, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
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
        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {schema}", cancellationToken);
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

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
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
