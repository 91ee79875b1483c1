using System.Net;
using System.Net.Http.Headers;
using Jtai.Strategy.BuildingBlocks.Security;
using Npgsql;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// Secrets as files (SECURITY.md, "Deployment secrets"): a service started with a secrets directory, as compose mounts
/// its secrets under /run/secrets, reads its connection strings from the files there (.NET's key-per-file
/// configuration), over environment variables of the same name. Here the environment's are wrong on purpose: the
/// service migrates, starts and answers from its database and broker only because it read the files.
/// </summary>
public sealed class ServiceSecretsTests
{
    private const string Schema = "spoc_directory";

    [Fact]
    public async Task A_service_reads_its_connection_strings_from_the_secrets_directory_over_the_environment()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await ServiceDatabaseRoles.ProvisionAsync(database);
        var secrets = Directory.CreateTempSubdirectory("jtai-secrets-");
        try
        {
            // One file per key, named as its environment variable, the value its content (a trailing newline, as an
            // editor or `echo` leaves it, is not part of the value).
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "ConnectionStrings__Postgres"), ServiceDatabaseRoles.Runtime(database, Schema) + "\n");
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "ConnectionStrings__PostgresMigrations"), ServiceDatabaseRoles.Owner(database, Schema));
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "ConnectionStrings__RabbitMq"), broker.ConnectionString);
            var settings = new Dictionary<string, string?>
            {
                [ServiceSecrets.DirectoryKey] = secrets.FullName,
                ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(ServiceDatabaseRoles.Runtime(database, Schema)) { Password = "not-the-password" }.ConnectionString,
                ["ConnectionStrings:PostgresMigrations"] = new NpgsqlConnectionStringBuilder(ServiceDatabaseRoles.Owner(database, Schema)) { Password = "not-the-password" }.ConnectionString,
                ["ConnectionStrings:RabbitMq"] = "amqp://nobody:not-the-password@127.0.0.1:1/",
                ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
            };

            // The migrate step as the owner role of the file, then the service as the runtime role of the file.
            var (exitCode, output) = await ServiceProcess.MigrateAsync("SpocDirectory", "Jtai.Strategy.SpocDirectory", settings);
            Assert.True(exitCode == 0, output);
            Assert.Equal("spoc_directory_owner", await database.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE schemaname = 'spoc_directory' AND tablename = 'agency'"));
            // Generous, as a deadline: the machine may be shared.
            await using var service = await ServiceProcess.StartAsync("SpocDirectory", "Jtai.Strategy.SpocDirectory", settings, TimeSpan.FromSeconds(180));
            using var client = new HttpClient { BaseAddress = service.Address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Mint("secrets-test", [JtaiRoles.Administrator]));
            using var agencies = await client.GetAsync("api/agencies");
            Assert.True(agencies.StatusCode == HttpStatusCode.OK, await agencies.Content.ReadAsStringAsync() + service.Output);
            Assert.Contains("DURHAM-POLICE", await agencies.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var ready = await client.GetAsync("health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.True(await database.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database.Name}' AND usename = 'spoc_directory_runtime'") > 0);
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }
}
