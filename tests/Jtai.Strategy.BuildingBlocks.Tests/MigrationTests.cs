using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Tests;

public sealed class MigrationTests : IAsyncLifetime
{
    private PostgresDatabase database = null!;
    private NpgsqlDataSource dataSource = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        dataSource = NpgsqlDataSource.Create(database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    private SchemaMigrator Migrator => new(dataSource, NullLogger<SchemaMigrator>.Instance);

    private static readonly Migration First = new("0001_first", "CREATE TABLE {schema}.thing (id int PRIMARY KEY);");
    private static readonly Migration Second = new("0002_second", "ALTER TABLE {schema}.thing ADD COLUMN name text;");

    [Fact]
    public async Task Migrations_apply_in_order_once()
    {
        Assert.Equal(["0001_first"], await Migrator.MigrateAsync("m_test", [First], default));
        Assert.Equal(["0002_second"], await Migrator.MigrateAsync("m_test", [First, Second], default));
        Assert.Empty(await Migrator.MigrateAsync("m_test", [First, Second], default));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM m_test.schema_migrations"));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_is_refused()
    {
        await Migrator.MigrateAsync("m_test", [First], default);
        var edited = First with { Sql = "CREATE TABLE {schema}.thing (id bigint PRIMARY KEY);" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator.MigrateAsync("m_test", [edited], default));
        Assert.Contains("forward-only", error.Message);
    }

    [Fact]
    public async Task A_database_ahead_of_the_build_is_refused()
    {
        await Migrator.MigrateAsync("m_test", [First, Second], default);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator.MigrateAsync("m_test", [First], default));
        Assert.Contains("0002_second", error.Message);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var broken = new Migration("0002_broken", "ALTER TABLE {schema}.thing ADD COLUMN name text; SELECT * FROM {schema}.missing_table;");

        await Assert.ThrowsAsync<PostgresException>(() => Migrator.MigrateAsync("m_test", [First, broken], default));

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'm_test'"));
    }

    [Fact]
    public async Task Instances_starting_together_migrate_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrator.MigrateAsync("m_test", [.. Migration.BuildingBlocks, First, Second], default)));

        Assert.Single(results, r => r.Count > 0);
        Assert.Equal(Migration.BuildingBlocks.Count + 2L, await database.ScalarAsync<long>("SELECT count(*) FROM m_test.schema_migrations"));
    }
}
