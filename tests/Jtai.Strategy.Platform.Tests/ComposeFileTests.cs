using System.Reflection;
using System.Text.Json.Nodes;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// docker-compose.yml checked offline, where no Docker engine runs (scripts/compose-check.sh runs it for real): apt's
/// docker-compose accepts it with and without the <c>cluster</c> profile, dclint finds nothing (its rules, less the
/// three compose/dclint.json turns off: a top-level <c>name:</c>, which compose 1.29 refuses; <c>image</c> beside
/// <c>build</c>, which is how an image built here gets its local name; alphabetical services, where the file reads in
/// start order), and the resolved file keeps the production-like promises of README "Deploying": no Development
/// environment or development key, local images only, secrets as files rather than passwords in the environment, and
/// every service started after every deployment step.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string PlatformTestsDirectory =
        typeof(ComposeFileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PlatformTestsDirectory").Value!;

    private static readonly string RepositoryRoot = Path.GetFullPath(Path.Combine(PlatformTestsDirectory, "..", ".."));

    private static readonly string ComposeFile = Path.Combine(RepositoryRoot, "docker-compose.yml");

    private static readonly string[] MigrateSteps =
        ["spoc-directory-migrate", "meetings-migrate", "notifications-migrate", "metrics-migrate", "action-plan-migrate", "web-migrate"];

    private static readonly string[] Services = ["spoc-directory", "meetings", "notifications", "metrics", "action-plan", "web"];

    [Theory]
    [InlineData(null)]
    [InlineData("cluster")]
    public async Task Docker_compose_accepts_the_file(string? profile)
    {
        var result = await ComposeAsync(profile, "config", "-q");

        Assert.True(result.ExitCode == 0, $"docker-compose config -q{(profile is null ? "" : $" (profile {profile})")}: {result.StandardError}");
    }

    [Fact]
    public async Task The_linter_finds_nothing()
    {
        var directory = Path.Combine(PlatformTestsDirectory, "compose");
        await NodePackages.EnsureInstalledAsync(directory, "dclint");

        var result = await ProcessRunner.RunAsync(
            Path.Combine(directory, "node_modules", ".bin", "dclint"),
            [ComposeFile, "--config", Path.Combine(directory, "dclint.json"), "--max-warnings", "0", "--color", "false"],
            directory,
            timeout: TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 0, $"dclint: {result.StandardOutput}{result.StandardError}");
    }

    [Fact]
    public async Task The_default_is_production_like_and_every_service_starts_after_every_deployment_step()
    {
        var services = (await ResolvedAsync(profile: null))["services"]!.AsObject();

        Assert.Equal(
            ["action-plan", "action-plan-migrate", "dev-identity", "meetings", "meetings-migrate", "metrics", "metrics-migrate", "notifications",
             "notifications-migrate", "postgres", "rabbitmq", "smtp-sink", "spoc-directory", "spoc-directory-migrate", "web", "web-migrate"],
            // compose 1.29's `config` lists every profile's services: the default ones are those without a profile.
            services.Where(s => s.Value!["profiles"] is null).Select(s => s.Key).Order(StringComparer.Ordinal));

        foreach (var (name, node) in services)
        {
            var service = node!.AsObject();
            // Built here, named locally, never pulled: no registry is needed.
            Assert.StartsWith("jtai-strategy/", (string)service["image"]!, StringComparison.Ordinal);
            Assert.Equal("never", (string?)service["pull_policy"]);

            var environment = service["environment"]?.AsObject() ?? [];
            Assert.NotEqual("Development", (string?)environment["ASPNETCORE_ENVIRONMENT"]);
            foreach (var (key, value) in environment)
            {
                Assert.DoesNotContain("DevelopmentSigningKey", key, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("DEVELOPMENT-ONLY", (string?)value ?? "", StringComparison.Ordinal);
                // A password or key travels as a file (…_FILE names it), never as the variable's value.
                if (key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || key.Contains("Secret", StringComparison.OrdinalIgnoreCase)
                    || key.Contains("ConnectionStrings", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.True(key.EndsWith("_FILE", StringComparison.Ordinal), $"{name}: {key} is given in the environment, not as a secret file");
                }
            }
        }

        foreach (var name in Services)
        {
            var service = services[name]!.AsObject();
            var environment = service["environment"]!.AsObject();
            Assert.Equal("Production", (string?)environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.StartsWith("http://dev-identity:", (string)environment["Auth__Authority"]!, StringComparison.Ordinal);
            var dependsOn = service["depends_on"]!.AsObject();
            foreach (var step in MigrateSteps)
            {
                Assert.True(dependsOn.ContainsKey(step), $"{name} does not wait for {step}");
                Assert.Equal("service_completed_successfully", (string?)dependsOn[step]!["condition"]);
            }

            // Its deployment step is the same image with the command migrate, and is never restarted.
            var migrate = services[name + "-migrate"]!.AsObject();
            Assert.Equal((string)service["image"]!, (string)migrate["image"]!);
            Assert.Equal(["migrate"], migrate["command"]!.AsArray().Select(c => (string)c!));
            Assert.Equal("no", (string?)migrate["restart"]);
        }

        // The web service signs in at the same provider the APIs trust; the provider never runs as Production.
        Assert.StartsWith("http://dev-identity:", (string)services["web"]!["environment"]!["Web__Oidc__Authority"]!, StringComparison.Ordinal);
        Assert.NotEqual("Production", (string?)services["dev-identity"]!["environment"]!["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public async Task The_cluster_profile_adds_two_broker_nodes_that_join_the_first_and_a_standby_that_follows_the_primary()
    {
        var services = (await ResolvedAsync("cluster"))["services"]!.AsObject();

        foreach (var node in new[] { "rabbitmq-2", "rabbitmq-3" })
        {
            Assert.Equal("rabbit@rabbitmq", (string?)services[node]!["environment"]!["JTAI_RABBITMQ_JOIN"]);
            Assert.Equal((string)services["rabbitmq"]!["image"]!, (string)services[node]!["image"]!);
        }

        var standby = services["postgres-standby"]!["environment"]!;
        Assert.Equal("standby", (string?)standby["JTAI_PG_ROLE"]);
        Assert.Equal("postgres", (string?)standby["JTAI_PG_PRIMARY_HOST"]);
        Assert.Equal("primary", (string?)services["postgres"]!["environment"]!["JTAI_PG_ROLE"]);
    }

    private static Task<ProcessResult> ComposeAsync(string? profile, params string[] arguments) =>
        ProcessRunner.RunAsync(
            "docker-compose",
            [.. profile is null ? [] : new[] { "--profile", profile }, "-f", ComposeFile, .. arguments],
            RepositoryRoot,
            timeout: TimeSpan.FromMinutes(1));

    /// <summary>The file as compose resolves it (anchors merged, variables at their defaults), as JSON.</summary>
    private static async Task<JsonObject> ResolvedAsync(string? profile)
    {
        var config = await ComposeAsync(profile, "config");
        Assert.True(config.ExitCode == 0, config.StandardError);
        // docker-compose is Python with PyYAML: the same interpreter turns its YAML into JSON.
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, config.StandardOutput);
            var json = await ProcessRunner.RunAsync(
                "/usr/bin/python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", file]);
            Assert.True(json.ExitCode == 0, json.StandardError);
            return JsonNode.Parse(json.StandardOutput)!.AsObject();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
