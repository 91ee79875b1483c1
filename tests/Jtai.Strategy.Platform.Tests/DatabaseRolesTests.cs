using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.BuildingBlocks.Security;
using Npgsql;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// Least privilege in the database (SECURITY.md, "Database roles"), on the real PostgreSQL: in a fresh database with
/// the roles deploy/postgres/service-roles.sh provisions (as scripts/infra.sh does for the jtai database), each service
/// migrated by its owner role and run as its runtime role. The runtime role reads and writes its own tables and nothing
/// else: another service's schema, its audit trail's rows, the table's triggers and the table itself are out of reach.
/// </summary>
public sealed class DatabaseRolesTests
{
    private const string Meetings = "meetings";
    private const string Directory = "spoc_directory";
    private const string Team = "FF-ROLES";

    // Services start beside other test classes on a shared two-core machine: generous, as a deadline, not a wait.
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task The_meetings_service_runs_as_its_runtime_role_which_can_append_to_the_audit_trail_and_do_nothing_more()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await ServiceDatabaseRoles.ProvisionAsync(database);
        await MigrateAsync("SpocDirectory", Directory, database, broker);
        await MigrateAsync("Meetings", Meetings, database, broker);

        // The services as deployed: each its own process, connected as its runtime role only. The directory (seeded
        // by its owner at migrate) tells the meetings service its agencies and SPOCs over the bus.
        var settings = MeetingsSettings(database, broker);
        settings.Remove("ConnectionStrings:PostgresMigrations");
        var directorySettings = Common(database, Directory, broker);
        directorySettings.Remove("ConnectionStrings:PostgresMigrations");
        await using (var directory = await ServiceProcess.StartAsync("SpocDirectory", "Jtai.Strategy.SpocDirectory", directorySettings, Ready))
        await using (var service = await ServiceProcess.StartAsync("Meetings", "Jtai.Strategy.Meetings", settings, Ready))
        {
            var directoryAdmin = Client(directory, JtaiRoles.Administrator);
            foreach (var agency in new[] { "DCC-CSC", "CDDFT", "DURHAM-POLICE" })
            {
                var assigned = await directoryAdmin.PostAsJsonAsync($"api/agencies/{agency}/spocs", new { fullName = "SPOC of " + agency, secureEmail = $"spoc@{agency.ToLowerInvariant()}.example", rank = 0 });
                Assert.True(assigned.IsSuccessStatusCode, await assigned.Content.ReadAsStringAsync());
            }

            await Eventually.TrueAsync(
                async () => await ScalarAsync<long>(ServiceDatabaseRoles.Runtime(database, Meetings), "SELECT count(*) FROM meetings.spoc_replica") >= 3,
                TimeSpan.FromSeconds(60), "the meetings service's replica has the SPOCs");

            var admin = Client(service, JtaiRoles.Administrator);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("api/teams", new { code = Team, name = "Families First (roles)", gpPilot = false })).StatusCode);
            var bridge = await admin.PostAsJsonAsync($"api/teams/{Team}/bridges", new { label = "Bridge 1", dialInNumber = "0191 555 0001", conferenceCode = "4455661" });
            Assert.True(bridge.IsSuccessStatusCode, await bridge.Content.ReadAsStringAsync());

            var now = DateTimeOffset.UtcNow;
            var convened = await Client(service, JtaiRoles.TeamManager, team: Team).PostAsJsonAsync("api/meetings", new
            {
                caseReference = "ROLES-1",
                concernCategory = "DomesticAbuse",
                incidentAt = now.AddHours(-6),
                decisionAt = now.AddMinutes(-30),
                thresholdReason = "RepeatIncidentsCumulativeRisk",
                thresholdReasonText = "Third police call-out to the household in four weeks.",
                scheduledStart = now.AddHours(20),
                lengthMinutes = 60,
                caseFacts = new { ageBand = "FiveToTen", unbornChild = false, adultKnownToProbation = false, knownToYos = false },
            });
            Assert.True(convened.StatusCode == HttpStatusCode.Created, await convened.Content.ReadAsStringAsync());
        }

        var runtime = ServiceDatabaseRoles.Runtime(database, Meetings);
        // The service's own audit code appended as the runtime role (the convening and the team's configuration)...
        Assert.True(await ScalarAsync<long>(runtime, "SELECT count(*) FROM meetings.audit_entry WHERE action = 'meeting.convened'") == 1);
        // ... and the chain it built verifies, read as that role too.
        var (verified, verifyOutput) = await ServiceProcess.RunCommandAsync("Meetings", "Jtai.Strategy.Meetings", settings, ServiceDefaults.VerifyAuditCommand);
        Assert.True(verified == 0, verifyOutput);
        Assert.Contains("meetings.audit_entry: intact", verifyOutput, StringComparison.Ordinal);

        // Another service's schema: no USAGE, for the runtime role and for the owner role alike.
        await AssertRefusedAsync(runtime, "SELECT count(*) FROM spoc_directory.agency", "permission denied for schema spoc_directory");
        await AssertRefusedAsync(ServiceDatabaseRoles.Owner(database, Meetings), "SELECT count(*) FROM spoc_directory.agency", "permission denied for schema spoc_directory");
        await AssertRefusedAsync(ServiceDatabaseRoles.Runtime(database, Directory), "SELECT count(*) FROM meetings.audit_entry", "permission denied for schema meetings");

        // The audit trail: refused by privilege, before any trigger is reached (the trigger's message is another).
        await AssertRefusedAsync(runtime, "UPDATE meetings.audit_entry SET actor = 'someone else'", "permission denied for table audit_entry");
        await AssertRefusedAsync(runtime, "DELETE FROM meetings.audit_entry", "permission denied for table audit_entry");
        await AssertRefusedAsync(runtime, "TRUNCATE meetings.audit_entry", "permission denied for table audit_entry");
        // Nor can it switch the append-only triggers off, or drop or alter the table: it owns neither table nor schema.
        await AssertRefusedAsync(runtime, "ALTER TABLE meetings.audit_entry DISABLE TRIGGER audit_entry_append_only", "must be owner of table audit_entry");
        await AssertRefusedAsync(runtime, "ALTER TABLE meetings.audit_entry DISABLE TRIGGER ALL", "must be owner of table audit_entry");
        await AssertRefusedAsync(runtime, "DROP TABLE meetings.audit_entry", "must be owner of table audit_entry");
        await AssertRefusedAsync(runtime, "SET session_replication_role = replica", "permission denied to set parameter");
        await AssertRefusedAsync(runtime, "CREATE TABLE meetings.anything (id int)", "permission denied for schema meetings");
        await AssertRefusedAsync(runtime, "DROP SCHEMA meetings CASCADE", "must be owner of schema meetings");
        // The migration bookkeeping is read-only to it: it cannot mark a migration applied or undo one.
        await AssertRefusedAsync(runtime, "DELETE FROM meetings.schema_migrations", "permission denied for table schema_migrations");
        Assert.Equal(1L, await ScalarAsync<long>(runtime, "SELECT count(*) FROM meetings.audit_entry WHERE action = 'meeting.convened'"));

        // Neither role is a superuser or can make roles or databases; the schema is the owner role's, not the runtime's.
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'meetings\\_%' AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication)"));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_roles WHERE rolname IN ('meetings_owner', 'meetings_runtime')"));
        Assert.Equal("meetings_owner", await database.ScalarAsync<string>("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'meetings'"));
        Assert.Equal("meetings_owner", await database.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE schemaname = 'meetings' AND tablename = 'audit_entry'"));
        Assert.Equal("INSERT,SELECT", await database.ScalarAsync<string>(
            "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE table_schema = 'meetings' AND table_name = 'audit_entry' AND grantee = 'meetings_runtime'"));
    }

    [Fact]
    public async Task A_service_started_as_its_runtime_role_with_migrations_pending_stops_and_says_to_run_migrate()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await ServiceDatabaseRoles.ProvisionAsync(database);
        var settings = MeetingsSettings(database, broker);
        settings.Remove("ConnectionStrings:PostgresMigrations");

        // Never migrated: the schema exists (the owner's, empty) and the runtime role has not even USAGE on it yet.
        var (exitCode, output) = await ServiceProcess.RunCommandAsync("Meetings", "Jtai.Strategy.Meetings", settings, command: "serve", within: TimeSpan.FromSeconds(90));
        Assert.True(exitCode == 1, output);
        Assert.Contains("Schema 'meetings' is not up to date (pending: bb0001_outbox_inbox,", output, StringComparison.Ordinal);
        Assert.Contains("role 'meetings_runtime' cannot migrate it", output, StringComparison.Ordinal);
        Assert.Contains("Run this service's `migrate` step with ConnectionStrings:PostgresMigrations", output, StringComparison.Ordinal);
        Assert.DoesNotContain("42501", output, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'meetings'"));

        // Migrated by the owner up to the previous migration only (a deployment that skipped migrate for the new build).
        await MigrateAsync("Meetings", Meetings, database, broker);
        await database.ExecuteAsync("DELETE FROM meetings.schema_migrations WHERE id = '0130_audit_chain'");
        (exitCode, output) = await ServiceProcess.RunCommandAsync("Meetings", "Jtai.Strategy.Meetings", settings, command: "serve", within: TimeSpan.FromSeconds(90));
        Assert.True(exitCode == 1, output);
        Assert.Contains("Schema 'meetings' is not up to date (pending: 0130_audit_chain)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metrics_rebuild_runs_as_the_runtime_role_and_keeps_its_grants()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await ServiceDatabaseRoles.ProvisionAsync(database);
        await MigrateAsync("Metrics", "metrics", database, broker);
        var settings = Common(database, "metrics", broker);
        settings.Remove("ConnectionStrings:PostgresMigrations");
        var runtime = ServiceDatabaseRoles.Runtime(database, "metrics");

        // The rebuild drops, creates and renames tables: the runtime role may not, the owner's functions do it.
        await AssertRefusedAsync(runtime, "CREATE TABLE metrics.meeting_fact_next (LIKE metrics.meeting_fact)", "permission denied for schema metrics");
        await using (var service = await ServiceProcess.StartAsync("Metrics", "Jtai.Strategy.Metrics", settings, Ready))
        {
            var rebuilt = await Client(service, JtaiRoles.Administrator).PostAsync("api/metrics/rebuild", null);
            Assert.True(rebuilt.StatusCode == HttpStatusCode.OK, await rebuilt.Content.ReadAsStringAsync() + service.Output);
            // Twice: the second switch replaces the tables the first one made.
            rebuilt = await Client(service, JtaiRoles.Administrator).PostAsync("api/metrics/rebuild", null);
            Assert.True(rebuilt.StatusCode == HttpStatusCode.OK, await rebuilt.Content.ReadAsStringAsync());
        }

        foreach (var table in new[] { "meeting_fact", "rollup_day", "rollup_month" })
        {
            Assert.Equal("metrics_owner", await database.ScalarAsync<string>($"SELECT tableowner::text FROM pg_tables WHERE schemaname = 'metrics' AND tablename = '{table}'"));
            Assert.Equal(0L, await ScalarAsync<long>(runtime, $"SELECT count(*) FROM metrics.{table}"));
        }

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'metrics' AND tablename LIKE '%\\_next'"));
        // The event log every figure is rebuilt from and the publications issued to the tracker: read and appended to,
        // never changed, by privilege; the rebuild's locks on the log are taken by the owner's functions (0005).
        foreach (var table in new[] { "event_log", "publication" })
        {
            await AssertRefusedAsync(runtime, $"UPDATE metrics.{table} SET body = body", $"permission denied for table {table}");
            await AssertRefusedAsync(runtime, $"DELETE FROM metrics.{table}", $"permission denied for table {table}");
            await AssertRefusedAsync(runtime, $"TRUNCATE metrics.{table}", $"permission denied for table {table}");
            await AssertRefusedAsync(runtime, $"BEGIN; LOCK TABLE metrics.{table} IN EXCLUSIVE MODE; COMMIT", $"permission denied for table {table}");
            Assert.Equal("INSERT,SELECT", await database.ScalarAsync<string>(
                $"SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE table_schema = 'metrics' AND table_name = '{table}' AND grantee = 'metrics_runtime'"));
        }

        // Appending is still the runtime role's (ingestion), and what it appended stays.
        await ScalarAsync<int>(runtime, "INSERT INTO metrics.event_log (message_id, message_type, occurred_at, body) VALUES (gen_random_uuid(), 'urn:test:roles', now(), '{}') RETURNING 1");
        Assert.Equal(1L, await ScalarAsync<long>(runtime, "SELECT count(*) FROM metrics.event_log WHERE message_type = 'urn:test:roles'"));
        // PUBLIC may not call the owner's functions (and no other service's role can reach the schema at all).
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a WHERE p.pronamespace = 'metrics'::regnamespace AND p.proname LIKE 'rebuild\\_%' AND a.grantee = 0"));
    }

    [Fact]
    public async Task A_service_role_connects_only_to_the_databases_it_was_provisioned_in()
    {
        // Another database of the cluster (another deployment's, or anyone's), there before the roles were provisioned.
        await using var other = await PostgresDatabase.CreateAsync();
        await using var database = await PostgresDatabase.CreateAsync();
        await ServiceDatabaseRoles.ProvisionAsync(database);

        Assert.Equal(1, await ScalarAsync<int>(ServiceDatabaseRoles.Runtime(database, Meetings), "SELECT 1"));
        Assert.Equal(1, await ScalarAsync<int>(ServiceDatabaseRoles.Owner(database, Meetings), "SELECT 1"));
        // PUBLIC lost CONNECT on the service's database and on the others: a service's role reaches only its own.
        await AssertConnectRefusedAsync(ServiceDatabaseRoles.Runtime(other, Meetings), other.Name);
        await AssertConnectRefusedAsync(ServiceDatabaseRoles.Runtime(other, "metrics"), other.Name);
        await AssertConnectRefusedAsync(ServiceDatabaseRoles.Owner(other, Directory), other.Name);
        var maintenance = new NpgsqlConnectionStringBuilder(ServiceDatabaseRoles.Runtime(database, Meetings)) { Database = "postgres" }.ConnectionString;
        await AssertConnectRefusedAsync(maintenance, "postgres");
        Assert.False(await database.ScalarAsync<bool>("SELECT has_database_privilege('public', current_database(), 'CONNECT')"));
        Assert.False(await database.ScalarAsync<bool>($"SELECT has_database_privilege('public', '{other.Name}', 'CONNECT')"));
    }

    private static Dictionary<string, string?> Common(PostgresDatabase database, string schema, RabbitMqVirtualHost broker)
    {
        var settings = ServiceDatabaseRoles.Settings(database, schema);
        settings["ConnectionStrings:RabbitMq"] = broker.ConnectionString;
        settings["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey;
        return settings;
    }

    private static Dictionary<string, string?> MeetingsSettings(PostgresDatabase database, RabbitMqVirtualHost broker)
    {
        var settings = Common(database, Meetings, broker);
        settings["Meetings:PublicBaseUrl"] = "https://meetings.test/";
        return settings;
    }

    private static async Task MigrateAsync(string folder, string schema, PostgresDatabase database, RabbitMqVirtualHost broker)
    {
        var settings = schema == Meetings ? MeetingsSettings(database, broker) : Common(database, schema, broker);
        var (exitCode, output) = await ServiceProcess.MigrateAsync(folder, "Jtai.Strategy." + folder, settings);
        Assert.True(exitCode == 0, $"{folder} migrate failed:\n{output}");
    }

    private static HttpClient Client(ServiceProcess service, string role, string? team = null)
    {
        var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Mint("roles-test", [role], team: team));
        return client;
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Connecting fails with SQLSTATE 42501: the role has no CONNECT on the database.</summary>
    private static async Task AssertConnectRefusedAsync(string connectionString, string database)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal($"permission denied for database \"{database}\"", refused.MessageText);
    }

    /// <summary>The statement fails with SQLSTATE 42501 (insufficient_privilege) and the server's own message.</summary>
    private static async Task AssertRefusedAsync(string connectionString, string sql, string message)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.StartsWith(message, refused.MessageText, StringComparison.Ordinal);
    }
}
