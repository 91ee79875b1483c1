using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jtai.Strategy.ActionPlan;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Metrics;
using Jtai.Strategy.Notifications;
using Jtai.Strategy.SpocDirectory;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// Each service's <c>/openapi/v1.json</c>, from the running service on the real servers: a valid OpenAPI 3.1
/// document (the npm validator checks it against the specification's JSON schema) that declares the bearer
/// scheme, and whose security requirements tell the truth: every operation that declares one answers 401
/// without a token and 403 to a token with none of the roles its description names; every operation without
/// one answers without asking for a token.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly string JsDirectory = Path.Combine(
        typeof(OpenApiDocumentTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PlatformTestsDirectory").Value!, "js");

    public static TheoryData<string> Services => ["SpocDirectory", "Meetings", "Notifications", "Metrics", "ActionPlan"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_document_is_valid_OpenAPI_3_1_and_every_operation_states_its_security_truthfully(string service)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var host = Start(service, database, broker);

        var anonymous = host.CreateClient();
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();

        var validation = await ValidateAsync(json);
        Assert.True(validation.Valid, $"{service}'s document is not valid OpenAPI: {validation.Errors}");
        Assert.Equal("3.1", validation.Version);

        var document = JsonNode.Parse(json)!.AsObject();
        var bearer = document["components"]?["securitySchemes"]?[OpenApiSecurity.BearerScheme];
        Assert.NotNull(bearer);
        Assert.Equal(("http", "bearer", "JWT"), ((string?)bearer["type"], (string?)bearer["scheme"], (string?)bearer["bearerFormat"]));

        var operations = Operations(document).ToList();
        Assert.NotEmpty(operations);
        var secured = 0;
        foreach (var (method, path, operation) in operations)
        {
            var what = $"{service} {method} {path}";
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(path, operation));
            var withoutToken = await anonymous.SendAsync(request);
            var security = operation["security"]?.AsArray();
            if (security is null || security.Count == 0)
            {
                Assert.NotEqual(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
                continue;
            }

            secured++;
            Assert.Contains(security, r => r!.AsObject().ContainsKey(OpenApiSecurity.BearerScheme));
            Assert.True(withoutToken.StatusCode == HttpStatusCode.Unauthorized, $"{what} declares a bearer requirement but answered {withoutToken.StatusCode} without a token");

            var description = (string?)operation["description"] ?? "";
            Assert.True(description.Contains("Requires a bearer token", StringComparison.Ordinal), $"{what}: no requirement in the description '{description}'");
            var roles = RolesNamed(description);
            var outsider = JtaiRoles.All.FirstOrDefault(r => !roles.Contains(r));
            if (roles.Count == 0 || outsider is null)
            {
                continue;
            }

            // A signed-in user with none of the named roles is refused before the endpoint runs.
            var client = host.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Mint("openapi-test", [outsider], agency: "NO-SUCH-AGENCY", team: "NO-SUCH-TEAM"));
            using var withOtherRole = new HttpRequestMessage(new HttpMethod(method), Concrete(path, operation));
            Assert.True((await client.SendAsync(withOtherRole)).StatusCode == HttpStatusCode.Forbidden, $"{what} names roles {string.Join(", ", roles)} but did not refuse role {outsider}");
        }

        Assert.True(secured > 0, $"{service} declares no secured operation");
    }

    [Fact]
    public async Task Only_the_answer_link_is_anonymous_among_the_meetings_operations()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var host = Start("Meetings", database, broker);
        var document = JsonNode.Parse(await host.CreateClient().GetStringAsync("/openapi/v1.json"))!.AsObject();

        var anonymous = Operations(document).Where(o => o.Operation["security"] is null).Select(o => $"{o.Method} {o.Path}").Order().ToList();
        Assert.Equal(["GET /respond/{token}", "POST /respond/{token}"], anonymous);
        var convene = Operations(document).Single(o => o is { Method: "POST", Path: "/api/meetings" }).Operation;
        Assert.Contains("role TeamManager", (string?)convene["description"], StringComparison.Ordinal);
    }

    internal static RunningService Start(string service, PostgresDatabase database, RabbitMqVirtualHost broker) => service switch
    {
        "SpocDirectory" => RunningService.Of(new ServiceHost<SpocDirectoryService>(database, broker)),
        "Meetings" => RunningService.Of(new ServiceHost<MeetingsService>(database, broker, new Dictionary<string, string?>
        {
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:ResponseLinkKey"] = "TEST-ONLY-meetings-response-link-key-0123456789abcdef",
        })),
        "Notifications" => RunningService.Of(new ServiceHost<NotificationsService>(database, broker)),
        "Metrics" => RunningService.Of(new ServiceHost<MetricsService>(database, broker)),
        "ActionPlan" => RunningService.Of(new ServiceHost<ActionPlanService>(database, broker)),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    /// <summary>Any of the five hosts, whatever its marker type.</summary>
    internal sealed record RunningService(IAsyncDisposable Host, Func<HttpClient> CreateClient) : IAsyncDisposable
    {
        public static RunningService Of<TMarker>(ServiceHost<TMarker> host)
            where TMarker : class => new(host, host.CreateClient);

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where operation.Key is "get" or "put" or "post" or "delete" or "patch"
        select (operation.Key.ToUpperInvariant(), path.Key, operation.Value!.AsObject());

    /// <summary>The path with each parameter filled in with a value of its declared type (a fresh GUID for a uuid).</summary>
    private static string Concrete(string path, JsonObject operation)
    {
        var parameters = operation["parameters"]?.AsArray() ?? [];
        return PathParameter().Replace(path, m =>
        {
            var declared = parameters.FirstOrDefault(p => (string?)p!["name"] == m.Groups[1].Value && (string?)p["in"] == "path");
            return (string?)declared?["schema"]?["format"] switch
            {
                "uuid" => Guid.NewGuid().ToString(),
                "int32" or "int64" => "1",
                _ => "no-such-" + m.Groups[1].Value,
            };
        });
    }

    /// <summary>The roles an operation's description names ("role X" or "one of the roles X, Y").</summary>
    private static List<string> RolesNamed(string description)
    {
        var match = RolesInDescription().Match(description);
        return match.Success
            ? (match.Groups[1].Success ? [match.Groups[1].Value] : match.Groups[2].Value.Split(", ").ToList())
            : [];
    }

    private static async Task<(bool Valid, string? Version, string Errors)> ValidateAsync(string json)
    {
        await NodePackages.EnsureInstalledAsync(JsDirectory, Path.Combine("@seriousme", "openapi-schema-validator"));
        var file = Path.Combine(Path.GetTempPath(), $"jtai-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var result = await ProcessRunner.RunAsync("node", ["validate-openapi.mjs", file], JsDirectory, timeout: TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 0, $"the validator failed: {result.StandardError}");
            var output = JsonNode.Parse(result.StandardOutput)!;
            return ((bool)output["valid"]!, (string?)output["version"], output["errors"]?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"\{([^}:]+)[^}]*\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"with (?:role (\w+)|one of the roles ([\w, ]+?))(?: and |\.)")]
    private static partial Regex RolesInDescription();
}
