using Npgsql;

namespace Jtai.Strategy.Testing;

/// <summary>
/// Each service's two PostgreSQL roles, as <c>deploy/postgres/service-roles.sh</c> provisions them (and
/// <c>scripts/infra.sh up</c> runs it): <c>&lt;schema&gt;_owner</c> owns the service's schema and migrates it,
/// <c>&lt;schema&gt;_runtime</c> is the role the service runs as. The roles are the cluster's; the schemas and the
/// CONNECT grants are per database, so a test's fresh database gets them by running the same script there.
/// </summary>
public static class ServiceDatabaseRoles
{
    /// <summary>Runs the provisioning script's SQL in <paramref name="database"/> as the test server's superuser.</summary>
    public static async Task ProvisionAsync(PostgresDatabase database)
    {
        var script = Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "postgres", "service-roles.sh");
        var result = await ProcessRunner.RunAsync("bash", [script, "--sql"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} --sql failed ({result.ExitCode}): {result.StandardError}");
        }

        await database.ExecuteAsync(result.StandardOutput);
    }

    /// <summary>The owner role's connection to <paramref name="database"/> (for <c>ConnectionStrings:PostgresMigrations</c>).</summary>
    public static string Owner(PostgresDatabase database, string schema) =>
        ConnectionString(database, schema + "_owner", Password(schema, "OWNER_PASSWORD", "owner"));

    /// <summary>The runtime role's connection to <paramref name="database"/> (for <c>ConnectionStrings:Postgres</c>).</summary>
    public static string Runtime(PostgresDatabase database, string schema) =>
        ConnectionString(database, schema + "_runtime", Password(schema, "PASSWORD", "runtime"));

    /// <summary>
    /// A service's database settings as deployed: it runs as its runtime role, and its <c>migrate</c> step as the owner.
    /// </summary>
    public static Dictionary<string, string?> Settings(PostgresDatabase database, string schema) => new()
    {
        ["ConnectionStrings:Postgres"] = Runtime(database, schema),
        ["ConnectionStrings:PostgresMigrations"] = Owner(database, schema),
    };

    // The script's variables, else its development defaults ("<schema>-owner-dev", "<schema>-runtime-dev").
    private static string Password(string schema, string variable, string kind) =>
        Environment.GetEnvironmentVariable($"JTAI_PG_{schema.ToUpperInvariant()}_{variable}") is { Length: > 0 } password
            ? password
            : $"{schema.Replace('_', '-')}-{kind}-dev";

    private static string ConnectionString(PostgresDatabase database, string role, string password) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;
}
