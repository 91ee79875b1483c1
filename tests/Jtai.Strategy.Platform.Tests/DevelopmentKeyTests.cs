using System.Text;
using Jtai.Strategy.BuildingBlocks.Security;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// The development signing key is accepted only in the Development environment, and no service carries it: a service
/// started as Staging or Production with the key refuses to start, and the key's text is in no service's build output
/// (it lives with the tests and the development settings, which the image recipe leaves out).
/// </summary>
public sealed class DevelopmentKeyTests
{
    public static TheoryData<string> NotDevelopment => ["Staging", "Production", "Test"];

    [Theory]
    [MemberData(nameof(NotDevelopment))]
    public async Task A_service_outside_Development_refuses_to_start_with_the_development_key(string environment)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        var (exitCode, output) = await ServiceProcess.RunCommandAsync("SpocDirectory", "Jtai.Strategy.SpocDirectory", new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
        }, command: "serve", within: TimeSpan.FromSeconds(90));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Auth:DevelopmentSigningKey is accepted only in the Development environment, not in '{environment}'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_service_assembly_contains_the_development_key()
    {
        var key = DevelopmentTokens.DevelopmentSigningKey;
        var patterns = new[] { Encoding.UTF8.GetBytes(key), Encoding.Unicode.GetBytes(key) };
        var checkedFiles = 0;
        foreach (var service in new[] { "SpocDirectory", "Meetings", "Notifications", "Metrics", "ActionPlan" })
        {
            var output = Path.Combine(ServiceProcess.RepositoryRoot, "services", service, "bin", ServiceProcess.Configuration, "net10.0");
            foreach (var dll in Directory.GetFiles(output, "Jtai.Strategy.*.dll"))
            {
                var bytes = File.ReadAllBytes(dll);
                Assert.DoesNotContain(patterns, p => bytes.AsSpan().IndexOf(p) >= 0);
                checkedFiles++;
            }
        }

        // Each service's own assembly, the building blocks and the contracts at least.
        Assert.True(checkedFiles >= 15, $"only {checkedFiles} assemblies checked");
    }
}
