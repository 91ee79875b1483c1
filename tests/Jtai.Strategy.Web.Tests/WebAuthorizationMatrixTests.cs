using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jtai.Strategy.Testing.Authorization;
using Jtai.Strategy.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// Every page, page handler and endpoint of the web service × every caller: not signed in, and each example user of
/// the development identity provider signed in over plain HTTP (a team manager of the scene's team and of another, a
/// SPOC of the invited agency and of one left out, the MASDG, the administrator). The pages come from the web
/// service's endpoint data source, so a new page or handler without a row in <c>authorization-matrix.md</c> fails
/// here with the row to add; each cell is the answer expected from the running system; no answer to an outsider
/// carries the scene's case data; and the POSTs, sent without an antiforgery token, change nothing.
/// <c>JTAI_RECORD_AUTHORIZATION_MATRIX=1</c> writes the answers seen into the table and <c>docs/authorization.md</c>
/// and fails: review every changed cell before committing it.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class WebAuthorizationMatrixTests(WebSystem system)
{
    private static readonly string MatrixFile = Path.Combine(WebSystem.RepositoryRoot, "tests", "Jtai.Strategy.Web.Tests", "authorization-matrix.md");

    private static readonly string ApiMatrixFile = Path.Combine(WebSystem.RepositoryRoot, "tests", "Jtai.Strategy.Platform.Tests", "authorization-matrix.md");

    private static readonly string DocumentFile = Path.Combine(WebSystem.RepositoryRoot, "docs", "authorization.md");

    private const string OwnAgency = "DURHAM-POLICE";

    /// <summary>The other agency's SPOC's agency: left out of the scene's meeting, so it has no business with it.</summary>
    private const string OtherAgency = "CDDFT";

    /// <summary>The callers, outsiders first (as in the APIs' matrix), each an example user of the provider.</summary>
    private static readonly (string Column, bool Outsider, string? User)[] Callers =
    [
        ("not signed in", true, null),
        ("Spoc, other agency", true, "spoc.health"),
        ("TeamManager, other team", true, "manager.derwentside"),
        ("Masdg", false, "masdg"),
        ("Spoc, own agency", false, "spoc.police"),
        ("TeamManager, own team", false, "manager.easington"),
        ("Administrator", false, "admin"),
    ];

    [Fact]
    public async Task Every_page_answers_every_caller_as_the_matrix_says_and_no_outsider_sees_the_scene()
    {
        var endpoints = await WebEndpointsAsync();
        var scene = await SetSceneAsync();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var (column, _, user) in Callers)
        {
            clients[column] = user is null
                ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = system.WebAddress }
                : await system.SignInOverHttpAsync(user);
        }

        var matrix = WebAuthorizationMatrix.Read(MatrixFile);
        var record = Environment.GetEnvironmentVariable("JTAI_RECORD_AUTHORIZATION_MATRIX") == "1";
        var before = await scene.SnapshotAsync(system);
        var failures = new List<string>();
        var leaks = new List<string>();
        var observed = new List<WebAuthorizationMatrix.Row>();
        // Signing out ends the caller's session: last.
        foreach (var endpoint in endpoints.OrderBy(e => e.Route == "/sign-out"))
        {
            var row = matrix.Find(endpoint.Method, endpoint.Route);
            var request = row?.Request ?? DefaultRequest(endpoint.Route);
            var answers = new Dictionary<string, string>();
            foreach (var (column, outsider, _) in Callers)
            {
                using var message = new HttpRequestMessage(new HttpMethod(endpoint.Method), scene.Fill(request).TrimStart('/'));
                if (endpoint.Method == "POST")
                {
                    // An empty form without the antiforgery token: a forged post, as another site could send it.
                    message.Content = new FormUrlEncodedContent([]);
                }

                using var response = await clients[column].SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
                var answer = Answer(response);
                answers[column] = answer;
                // The live board's stream never ends: its headers are the answer.
                var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
                if (outsider && scene.Markers.FirstOrDefault(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)) is { } leaked)
                {
                    leaks.Add($"{endpoint} as {column} answered {answer} with the scene's '{leaked}'");
                }

                if (row is not null && row.Expected.TryGetValue(column, out var expected) && expected != answer)
                {
                    failures.Add($"{endpoint} as {column}: expected {expected}, got {answer}");
                }
            }

            var seen = new WebAuthorizationMatrix.Row(endpoint.Method, endpoint.Route, request, answers);
            if (row is null)
            {
                failures.Add($"{endpoint} has no row in tests/Jtai.Strategy.Web.Tests/authorization-matrix.md. Add this one (the answers seen now; "
                    + $"review each, and put a scene value such as {{meeting}} in the request where {{random}} cannot reach the page):\n{WebAuthorizationMatrix.RenderRow(seen)}");
            }

            observed.Add(seen);
        }

        var after = await scene.SnapshotAsync(system);
        using (var meetings = await system.ApiAsAsync("admin", system.MeetingsAddress))
        {
            (await meetings.DeleteAsync($"api/teams/{WebSystem.ManagerTeam}/managers/{Uri.EscapeDataString(scene.Manager)}")).EnsureSuccessStatusCode();
        }

        var known = endpoints.Select(e => (e.Method, e.Route)).ToHashSet();
        failures.AddRange(matrix.Rows.Where(r => !known.Contains((r.Method, r.Route))).Select(r => $"{r}: a row for a page or endpoint the web service does not map (remove it)"));

        var recorded = new WebAuthorizationMatrix(observed.OrderBy(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList());
        if (record)
        {
            await File.WriteAllTextAsync(MatrixFile, recorded.Render());
            await File.WriteAllTextAsync(DocumentFile, AuthorizationMatrix.Read(ApiMatrixFile).RenderDocument(recorded));
        }

        Assert.True(leaks.Count == 0, "Outsiders saw the scene's data:\n" + string.Join("\n", leaks));
        Assert.Equal(before, after);
        Assert.False(record, "JTAI_RECORD_AUTHORIZATION_MATRIX=1: the answers seen were written to tests/Jtai.Strategy.Web.Tests/authorization-matrix.md and docs/authorization.md; review every changed cell, then run without it.");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n(JTAI_RECORD_AUTHORIZATION_MATRIX=1 writes the answers seen; review each before committing.)");
        Assert.True(File.Exists(DocumentFile) && await File.ReadAllTextAsync(DocumentFile) == AuthorizationMatrix.Read(ApiMatrixFile).RenderDocument(matrix),
            "docs/authorization.md is not the page generated from the APIs' and the web service's authorization-matrix.md (JTAI_RECORD_AUTHORIZATION_MATRIX=1 writes it).");
    }

    /// <summary>The status, and for a redirect where it goes: the identity provider is "sign-in", a page of the web its path.</summary>
    private string Answer(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is < 300 or >= 400 || response.Headers.Location is not { } location)
        {
            return status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var target = new Uri(system.WebAddress, location);
        return target.GetLeftPart(UriPartial.Authority) == system.Authority.GetLeftPart(UriPartial.Authority)
            ? $"{status} sign-in"
            : $"{status} {target.AbsolutePath}";
    }

    /// <summary>The scene: a meeting of the own team (manager.easington's) inviting the own agency and not the other.</summary>
    private sealed record Scene(Guid Meeting, string Reference, string CaseReference, Guid Invitation, Guid Spoc, Guid Bridge, string Manager)
    {
        public string[] Markers => [Meeting.ToString(), Reference, CaseReference, Invitation.ToString()];

        public string Fill(string request) => request
            .Replace("{meeting}", Meeting.ToString(), StringComparison.Ordinal)
            .Replace("{invitation}", Invitation.ToString(), StringComparison.Ordinal)
            .Replace("{team}", WebSystem.ManagerTeam, StringComparison.Ordinal)
            .Replace("{agency}", OwnAgency, StringComparison.Ordinal)
            .Replace("{spoc}", Spoc.ToString(), StringComparison.Ordinal)
            .Replace("{bridge}", Bridge.ToString(), StringComparison.Ordinal)
            .Replace("{manager}", Uri.EscapeDataString(Manager), StringComparison.Ordinal)
            .Replace("{random}", "00000000-0000-4000-8000-000000000001", StringComparison.Ordinal);

        /// <summary>What a forged post could have changed: the meeting, the team's configuration, the agency's SPOCs.</summary>
        public async Task<string> SnapshotAsync(WebSystem system)
        {
            using var manager = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
            using var admin = await system.ApiAsAsync("admin", system.MeetingsAddress);
            using var directory = await system.ApiAsAsync("admin", system.Directory.Address);
            return string.Join("\n",
                await manager.GetStringAsync($"api/meetings/{Meeting}"),
                await admin.GetStringAsync($"api/teams/{WebSystem.ManagerTeam}"),
                await directory.GetStringAsync($"api/agencies/{OwnAgency}/spocs"));
        }
    }

    private async Task<Scene> SetSceneAsync()
    {
        var caseReference = "LL-2026-AZ" + system.Run;
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(30), caseReference, "manager.easington", OtherAgency);
        var invitation = meeting["invitations"]!.AsArray().Single(i => (string)i!["agencyCode"]! == OwnAgency)!;
        Assert.DoesNotContain(meeting["invitations"]!.AsArray(), i => (string)i!["agencyCode"]! == OtherAgency);
        using var directory = await system.ApiAsAsync("admin", system.Directory.Address);
        var spoc = JsonNode.Parse(await directory.GetStringAsync($"api/agencies/{OwnAgency}/spocs"))!.AsArray()[0]!;
        using var meetings = await system.ApiAsAsync("admin", system.MeetingsAddress);
        var bridge = JsonNode.Parse(await meetings.GetStringAsync($"api/teams/{WebSystem.ManagerTeam}"))!["bridges"]!.AsArray().First(b => (bool)b!["active"]!)!;
        // A manager contact of the scene's own, for the page that removes one; taken away again after the run.
        var manager = $"matrix-{system.Run}@durham.gov.example";
        (await meetings.PostAsJsonAsync($"api/teams/{WebSystem.ManagerTeam}/managers", new { email = manager, fullName = "Morgan Matrix" })).EnsureSuccessStatusCode();
        return new Scene(Guid.Parse((string)meeting["id"]!), (string)meeting["reference"]!, caseReference, Guid.Parse((string)invitation["invitationId"]!), Guid.Parse((string)spoc["spocId"]!), Guid.Parse((string)bridge["id"]!), manager);
    }

    private sealed record WebEndpoint(string Method, string Route)
    {
        public override string ToString() => $"{Method} {Route}";
    }

    /// <summary>
    /// The web service's endpoints from its endpoint data source (the service built in this process, not serving):
    /// each page's GET and each POST handler (a named one as <c>?handler=Name</c>), each endpoint's methods. The static
    /// files (styles, scripts, fonts, images) are served to anyone and left out.
    /// </summary>
    private async Task<IReadOnlyList<WebEndpoint>> WebEndpointsAsync()
    {
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var web = new WebServiceInProcess(new Dictionary<string, string?>
        {
            ["Web:Oidc:Authority"] = system.Authority.ToString(),
            ["Web:Oidc:ClientSecret"] = WebSystem.ClientSecret,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Web:DataProtectionKeysDirectory"] = Path.Combine(Path.GetTempPath(), "jtai-web-matrix-keys-" + system.Run),
        });
        var loader = web.Services.GetRequiredService<PageLoader>();
        var found = new List<WebEndpoint>();
        foreach (var endpoint in web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.Any(m => m.GetType().Namespace == "Microsoft.AspNetCore.StaticAssets"))
            {
                continue;
            }

            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                if (compiled.HandlerMethods.Count == 0)
                {
                    // A page without a model (the status and error pages) is shown for a GET.
                    found.Add(new WebEndpoint("GET", route));
                }

                found.AddRange(compiled.HandlerMethods
                    .Select(h => new WebEndpoint(h.HttpMethod.ToUpperInvariant(), h.Name is null ? route : $"{route}?handler={h.Name}"))
                    .Distinct());
            }
            else
            {
                found.AddRange((endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new WebEndpoint(m, route)));
            }
        }

        return found.Distinct().ToList();
    }

    /// <summary>A new row's request: the route with its parameters left to fill in by hand ({random} until then).</summary>
    private static string DefaultRequest(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", "{random}");

    /// <summary>The web service built in this test's process, only to read its endpoint data source.</summary>
    private sealed class WebServiceInProcess(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<WebService>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
