using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.ActionPlan;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Metrics;
using Jtai.Strategy.Notifications;
using Jtai.Strategy.SpocDirectory;
using Jtai.Strategy.Testing.Authorization;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// Every endpoint of every service × every caller: no token, each role, a team manager of the owning team and of
/// another, a SPOC of the invited agency and of another. The endpoints come from each running service's endpoint data
/// source, so a new endpoint without a row in <c>authorization-matrix.md</c> fails here; each cell is the status
/// expected, asserted on the real servers; and no answer to an outsider (no token, another team, another agency)
/// carries the scene's case data. <c>docs/authorization.md</c> is generated from the table.
/// With <c>JTAI_RECORD_AUTHORIZATION_MATRIX=1</c> the test writes the statuses it saw into the table (and the page)
/// and fails: review every changed cell before committing it.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static readonly string ProjectDirectory =
        typeof(AuthorizationMatrixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PlatformTestsDirectory").Value!;

    private static readonly string MatrixFile = Path.Combine(ProjectDirectory, "authorization-matrix.md");

    /// <summary>The web service's pages (WebAuthorizationMatrixTests): their section of the generated page.</summary>
    private static readonly string WebMatrixFile = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", "Jtai.Strategy.Web.Tests", "authorization-matrix.md"));

    private static readonly string DocumentFile = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", "..", "docs", "authorization.md"));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private const string OwnTeamPrefix = "FF-OWN-";
    private const string OwnAgency = "DURHAM-POLICE";
    private const string OtherAgency = "OTHER-AGENCY";

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_the_matrix_says_and_no_outsider_sees_the_scene()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        // One virtual host each: the services do not talk here, so each answers from its own data alone.
        await using var directoryBroker = await RabbitMqVirtualHost.CreateAsync();
        await using var meetingsBroker = await RabbitMqVirtualHost.CreateAsync();
        await using var notificationsBroker = await RabbitMqVirtualHost.CreateAsync();
        await using var metricsBroker = await RabbitMqVirtualHost.CreateAsync();
        await using var planBroker = await RabbitMqVirtualHost.CreateAsync();
        await using var directory = new ServiceHost<SpocDirectoryService>(database, directoryBroker);
        await using var meetings = new ServiceHost<MeetingsService>(database, meetingsBroker, new Dictionary<string, string?>
        {
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:ResponseLinkKey"] = "TEST-ONLY-meetings-response-link-key-0123456789abcdef",
        });
        await using var notifications = new ServiceHost<NotificationsService>(database, notificationsBroker);
        await using var metrics = new ServiceHost<MetricsService>(database, metricsBroker);
        // The sample plan is the scene's {plan}; deployments opt in to it.
        await using var plans = new ServiceHost<ActionPlanService>(database, planBroker, new Dictionary<string, string?> { ["ActionPlan:SeedDurhamSamplePlan"] = "true" });
        var hosts = new Dictionary<string, (IServiceProvider Services, Func<HttpClient> CreateClient)>
        {
            ["SpocDirectory"] = (directory.Services, directory.CreateClient),
            ["Meetings"] = (meetings.Services, meetings.CreateClient),
            ["Notifications"] = (notifications.Services, notifications.CreateClient),
            ["Metrics"] = (metrics.Services, metrics.CreateClient),
            ["ActionPlan"] = (plans.Services, plans.CreateClient),
        };

        var scene = await SetSceneAsync(meetings);
        var matrix = AuthorizationMatrix.Read(MatrixFile);
        var endpoints = hosts.SelectMany(h => Endpoints(h.Key, h.Value.Services)).ToList();
        var record = Environment.GetEnvironmentVariable("JTAI_RECORD_AUTHORIZATION_MATRIX") == "1";

        var failures = new List<string>();
        var leaks = new List<string>();
        var observed = new List<AuthorizationMatrix.Row>();
        foreach (var endpoint in endpoints)
        {
            var row = matrix.Find(endpoint.Service, endpoint.Method, endpoint.Route);
            var request = row?.Request ?? DefaultRequest(endpoint.Route);
            var statuses = new Dictionary<string, int>();
            foreach (var caller in Caller.InOrder)
            {
                using var message = new HttpRequestMessage(new HttpMethod(endpoint.Method), scene.Fill(request));
                if (endpoint.Method is "POST" or "PUT" or "PATCH")
                {
                    // An empty document: authorization is decided before the body is judged.
                    message.Content = endpoint.AcceptsCsv ? new StringContent("", Encoding.UTF8, "text/csv") : new StringContent("{}", Encoding.UTF8, "application/json");
                }

                var client = hosts[endpoint.Service].CreateClient();
                if (caller.Token(scene) is { } token)
                {
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var response = await client.SendAsync(message);
                var status = (int)response.StatusCode;
                statuses[caller.Column] = status;
                var body = await response.Content.ReadAsStringAsync();
                var leaked = caller.Outsider && status is >= 200 and < 300
                    ? scene.Markers.FirstOrDefault(m => body.Contains(m, StringComparison.OrdinalIgnoreCase))
                    : null;
                if (leaked is not null)
                {
                    leaks.Add($"{endpoint} as {caller.Column} answered {status} with the scene's '{leaked}'");
                }

                if (row is not null && row.Expected.TryGetValue(caller.Column, out var expected) && expected != status)
                {
                    failures.Add($"{endpoint} as {caller.Column}: expected {expected}, got {status}");
                }
            }

            if (row is null)
            {
                failures.Add($"{endpoint} has no row in authorization-matrix.md");
            }

            observed.Add(new AuthorizationMatrix.Row(endpoint.Service, endpoint.Method, endpoint.Route, request, statuses));
        }

        var known = endpoints.Select(e => (e.Service, e.Method, e.Route)).ToHashSet();
        failures.AddRange(matrix.Rows.Where(r => !known.Contains((r.Service, r.Method, r.Route))).Select(r => $"{r.Service} {r.Method} {r.Route}: a row for an endpoint no service maps"));

        var recorded = new AuthorizationMatrix(observed.OrderBy(r => r.Service, StringComparer.Ordinal).ThenBy(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList());
        if (record)
        {
            await File.WriteAllTextAsync(MatrixFile, recorded.Render());
            await File.WriteAllTextAsync(DocumentFile, recorded.RenderDocument(WebAuthorizationMatrix.Read(WebMatrixFile)));
        }

        Assert.True(leaks.Count == 0, "Outsiders saw the scene's data:\n" + string.Join("\n", leaks));
        Assert.False(record, "JTAI_RECORD_AUTHORIZATION_MATRIX=1: the statuses seen were written to authorization-matrix.md and docs/authorization.md; review every changed cell, then run without it.");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n(JTAI_RECORD_AUTHORIZATION_MATRIX=1 writes the statuses seen; review each before committing.)");
        Assert.True(File.Exists(DocumentFile) && await File.ReadAllTextAsync(DocumentFile) == matrix.RenderDocument(WebAuthorizationMatrix.Read(WebMatrixFile)),
            "docs/authorization.md is not the page generated from authorization-matrix.md and the web service's (JTAI_RECORD_AUTHORIZATION_MATRIX=1 writes it).");
    }

    /// <summary>The callers, outsiders first, so that a write an owner may make runs after every refusal was seen.</summary>
    private sealed record Caller(string Column, bool Outsider, Func<Scene, string?> Token)
    {
        public static readonly Caller[] InOrder =
        [
            new("no token", true, _ => null),
            new("Spoc, other agency", true, _ => DevelopmentTokens.Mint("spoc-other", [JtaiRoles.Spoc], agency: OtherAgency)),
            new("TeamManager, other team", true, s => DevelopmentTokens.Mint("manager-other", [JtaiRoles.TeamManager], team: s.OtherTeam)),
            new("Masdg", false, _ => DevelopmentTokens.Mint("masdg", [JtaiRoles.Masdg])),
            new("Spoc, own agency", false, _ => DevelopmentTokens.Mint("spoc-own", [JtaiRoles.Spoc], agency: OwnAgency)),
            new("TeamManager, own team", false, s => DevelopmentTokens.Mint("manager-own", [JtaiRoles.TeamManager], team: s.Team)),
            new("Administrator", false, _ => DevelopmentTokens.Mint("administrator", [JtaiRoles.Administrator])),
        ];
    }

    /// <summary>What the callers ask about: a team's meeting with an invitation to the own agency, and the values that name it.</summary>
    private sealed record Scene(string Team, string OtherTeam, Guid Meeting, string MeetingReference, string CaseReference, Guid Invitation)
    {
        /// <summary>What no outsider's answer may contain.</summary>
        public string[] Markers => [Meeting.ToString(), MeetingReference, CaseReference, Invitation.ToString()];

        public string Fill(string request) => request
            .Replace("{team}", Team, StringComparison.Ordinal)
            .Replace("{meeting}", Meeting.ToString(), StringComparison.Ordinal)
            .Replace("{invitation}", Invitation.ToString(), StringComparison.Ordinal)
            .Replace("{agency}", OwnAgency, StringComparison.Ordinal)
            .Replace("{plan}", "durham-jtai-2018", StringComparison.Ordinal)
            .Replace("{random}", "00000000-0000-4000-8000-000000000001", StringComparison.Ordinal);
    }

    private static async Task<Scene> SetSceneAsync(ServiceHost<MeetingsService> meetings)
    {
        // The directory as the directory service announces it, on the meetings service's own broker.
        var bus = meetings.Services.GetRequiredService<IBus>();
        await meetings.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        var now = DateTimeOffset.UtcNow;
        AgencySnapshot[] agencies =
        [
            new("DCC-CSC", "Durham County Council Children's Services", AgencyKind.SocialCare, true, 1),
            new("CDDFT", "County Durham & Darlington NHS FT", AgencyKind.Health, true, 1),
            new(OwnAgency, "Durham Constabulary", AgencyKind.Police, true, 1),
        ];
        foreach (var agency in agencies)
        {
            await bus.Publish(new AgencyRegistered(agency, now));
            await bus.Publish(new SpocAssigned(new SpocSnapshot(Guid.NewGuid(), agency.Code, null, "SPOC of " + agency.Code, 0, $"spoc@{agency.Code.ToLowerInvariant()}.example", null, true, [], 1), now));
        }

        var team = OwnTeamPrefix + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var otherTeam = "FF-OTHER-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var admin = meetings.ClientAs(JtaiRoles.Administrator);
        foreach (var code in new[] { team, otherTeam })
        {
            (await admin.PostAsJsonAsync("/api/teams", new TeamRequest(code, $"Families First {code}", null, false, null), Json)).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/teams/{code}/bridges", new BridgeRequest("Bridge 1", "0191 555 0001", "4455661"), Json)).EnsureSuccessStatusCode();
        }

        var caseReference = "LL-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var manager = meetings.ClientAs(JtaiRoles.TeamManager, team: team, subject: "manager-own");
        MeetingResponse? meeting = null;
        await Eventually.TrueAsync(async () =>
        {
            // Convening waits for the replica: the directory's events are consumed asynchronously.
            var response = await manager.PostAsJsonAsync("/api/meetings", new ConveneRequest(
                null, caseReference, ConcernCategory.DomesticAbuse, now.AddHours(-6), now.AddMinutes(-30), ThresholdReason.RepeatIncidentsCumulativeRisk,
                "Third police call-out to the household in four weeks.", now.AddHours(3), 60, null, null,
                new CaseFactsRequest(ChildAgeBand.FiveToTen, false, false, false, null, null), null, null), Json);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            meeting = await response.Content.ReadFromJsonAsync<MeetingResponse>(Json);
            return meeting!.Invitations.Any(i => i.AgencyCode == OwnAgency);
        }, TimeSpan.FromSeconds(60), "a meeting convened with an invitation to the police");
        return new Scene(team, otherTeam, meeting!.Id, meeting.Reference, caseReference, meeting.Invitations.Single(i => i.AgencyCode == OwnAgency).InvitationId);
    }

    private sealed record Endpoint(string Service, string Method, string Route, bool AcceptsCsv)
    {
        public override string ToString() => $"{Service} {Method} {Route}";
    }

    private static IEnumerable<Endpoint> Endpoints(string service, IServiceProvider services) =>
        from endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        // An endpoint for any method (health) is called with GET.
        from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]
        select new Endpoint(service, method, endpoint.RoutePattern.RawText ?? "", endpoint.Metadata.GetOrderedMetadata<IAcceptsMetadata>().Any(a => a.ContentTypes.Contains("text/csv")));

    /// <summary>A new row's request: the route with its parameters left to fill in by hand ({random} until then).</summary>
    private static string DefaultRequest(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", "{random}");
}
