using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.SpocDirectory.Apis;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.SpocDirectory.Tests;

/// <summary>One directory instance on its own database and virtual host, shared by the API tests.</summary>
public sealed class DirectoryFixture : IAsyncLifetime
{
    public PostgresDatabase Database { get; private set; } = null!;

    public RabbitMqVirtualHost Broker { get; private set; } = null!;

    public ServiceHost<SpocDirectoryService> Host { get; private set; } = null!;

    public MessageProbe Probe { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        Broker = await RabbitMqVirtualHost.CreateAsync();
        Probe = await MessageProbe.StartAsync(Broker, p => p.Collect<AgencyRegistered>().Collect<SpocAssigned>().Collect<SpocCoverChanged>().Collect<SpocRetired>().Collect<DirectorySnapshotPublished>());
        Host = new ServiceHost<SpocDirectoryService>(Database, Broker, services: s => s.AddSingleton<ILoggerProvider>(Logs));
        _ = Host.Server; // start it
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Probe.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class DirectoryApiTests(DirectoryFixture fixture) : IClassFixture<DirectoryFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly HttpClient admin = fixture.Host.ClientAs(JtaiRoles.Administrator);

    private static string NewCode() => "T-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private async Task<string> RegisterAgency(AgencyKind kind = AgencyKind.Health)
    {
        var code = NewCode();
        var response = await admin.PostAsJsonAsync("/api/agencies", new { code, name = "Test agency " + code, kind = kind.ToString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return code;
    }

    private async Task<SpocSnapshot> AssignSpoc(string agency, string name, int rank, string? area = null)
    {
        var response = await admin.PostAsJsonAsync($"/api/agencies/{agency}/spocs", new { fullName = name, secureEmail = $"{name.Replace(' ', '.').ToLowerInvariant()}@nhs.example", phone = "0191 000 0000", area, rank });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SpocSnapshot>(Json))!;
    }

    [Fact]
    public async Task Each_committed_change_is_logged_with_its_codes_and_version_but_no_name_or_address()
    {
        var agency = await RegisterAgency();
        var spoc = await AssignSpoc(agency, "Lee Logged", 0);

        var registered = Assert.Single(fixture.Logs.Entries, e => Equals(e.Fields.GetValueOrDefault("Change"), nameof(AgencyRegistered)) && Equals(e.Fields.GetValueOrDefault("AgencyCode"), agency));
        Assert.Equal(LogLevel.Information, registered.Level);
        var assigned = Assert.Single(fixture.Logs.Entries, e => Equals(e.Fields.GetValueOrDefault("Change"), nameof(SpocAssigned)) && Equals(e.Fields.GetValueOrDefault("SpocId"), spoc.SpocId));
        Assert.Equal((agency, spoc.Version), (assigned.Fields["AgencyCode"], assigned.Fields["Version"]));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains("Lee Logged", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("lee.logged@", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Durham_agencies_from_the_action_plan_are_seeded()
    {
        var agencies = await admin.GetFromJsonAsync<List<AgencySnapshot>>("/api/agencies", Json);

        Assert.Contains(agencies!, a => a is { Code: "DURHAM-POLICE", Kind: AgencyKind.Police, Active: true });
        Assert.Contains(agencies!, a => a is { Code: "DCC-CSC", Kind: AgencyKind.SocialCare });
        Assert.Contains(agencies!, a => a is { Code: "GP", Kind: AgencyKind.Gp });
        Assert.Equal(14, agencies!.Count(a => !a.Code.StartsWith("T-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Registering_and_assigning_publish_events_that_reach_a_consumer()
    {
        var code = await RegisterAgency();
        var spoc = await AssignSpoc(code, "Pat Primary", 0);

        var registered = await fixture.Probe.WaitForAsync<AgencyRegistered>(e => e.Agency.Code == code);
        var assigned = await fixture.Probe.WaitForAsync<SpocAssigned>(e => e.Spoc.SpocId == spoc.SpocId);

        Assert.Equal(AgencyKind.Health, registered.Agency.Kind);
        Assert.Equal("Pat Primary", assigned.Spoc.FullName);
        Assert.Equal(0, assigned.Spoc.Rank);
    }

    [Fact]
    public async Task The_whole_directory_is_published_at_start_up_and_on_request_for_replicas_that_missed_events()
    {
        var atStartUp = await fixture.Probe.WaitForAsync<DirectorySnapshotPublished>(s => s.RequestId is null);
        Assert.Contains(atStartUp.Agencies, a => a.Code == "DURHAM-POLICE");
        Assert.True(atStartUp.Agencies.Count >= 14);

        var code = await RegisterAgency();
        var spoc = await AssignSpoc(code, "Late Joiner", 0);
        var requestId = Guid.NewGuid();
        await fixture.Host.Services.GetRequiredService<MassTransit.IBus>().Publish(new DirectorySnapshotRequested(requestId, "a-late-replica", DateTimeOffset.UtcNow));

        var answer = await fixture.Probe.WaitForAsync<DirectorySnapshotPublished>(s => s.RequestId == requestId);
        Assert.Contains(answer.Agencies, a => a.Code == code && a.Active);
        Assert.Contains(answer.Spocs, s => s.SpocId == spoc.SpocId && s.FullName == "Late Joiner");
    }

    [Fact]
    public async Task A_deputy_receives_while_the_primary_is_on_cover()
    {
        var code = await RegisterAgency();
        var primary = await AssignSpoc(code, "Pat Primary", 0);
        var deputy = await AssignSpoc(code, "Dee Deputy", 1);
        var from = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var cover = await admin.PostAsJsonAsync($"/api/spocs/{primary.SpocId}/covers", new { startsAt = from, endsAt = from.AddDays(14), reason = "annual leave" });
        Assert.Equal(HttpStatusCode.OK, cover.StatusCode);

        var during = await admin.GetFromJsonAsync<RecipientResponse>($"/api/agencies/{code}/recipient?at={Uri.EscapeDataString(from.AddDays(3).ToString("O"))}", Json);
        var after = await admin.GetFromJsonAsync<RecipientResponse>($"/api/agencies/{code}/recipient?at={Uri.EscapeDataString(from.AddDays(14).ToString("O"))}", Json);

        Assert.Equal(deputy.SpocId, during!.Recipient.SpocId);
        Assert.Equal(RecipientReason.DeputyCoveringAbsence, during.Reason);
        Assert.Contains("Pat Primary", during.Explanation);
        Assert.Equal(primary.SpocId, after!.Recipient.SpocId);
        Assert.Equal([deputy.SpocId], after.Escalation.Select(s => s.SpocId));
        var changed = await fixture.Probe.WaitForAsync<SpocCoverChanged>(e => e.Spoc.SpocId == primary.SpocId);
        Assert.Single(changed.Spoc.Covers);
    }

    [Fact]
    public async Task An_agency_wide_spoc_receives_while_every_spoc_of_the_area_is_on_cover()
    {
        var code = await RegisterAgency();
        var easington = await AssignSpoc(code, "Ella Easington", 0, "Easington");
        var county = await AssignSpoc(code, "Cal County", 0);
        var from = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var cover = await admin.PostAsJsonAsync($"/api/spocs/{easington.SpocId}/covers", new { startsAt = from, endsAt = from.AddDays(14), reason = "annual leave" });
        Assert.Equal(HttpStatusCode.OK, cover.StatusCode);

        var during = await admin.GetFromJsonAsync<RecipientResponse>($"/api/agencies/{code}/recipient?area=Easington&at={Uri.EscapeDataString(from.AddDays(3).ToString("O"))}", Json);
        var after = await admin.GetFromJsonAsync<RecipientResponse>($"/api/agencies/{code}/recipient?area=Easington&at={Uri.EscapeDataString(from.AddDays(14).ToString("O"))}", Json);

        Assert.Equal(county.SpocId, during!.Recipient.SpocId);
        Assert.Equal(RecipientReason.AgencyWideCoveringArea, during.Reason);
        Assert.Contains("Ella Easington", during.Explanation);
        Assert.Contains("agency-wide", during.Explanation);
        Assert.Equal(easington.SpocId, after!.Recipient.SpocId);
        Assert.Equal(RecipientReason.Primary, after.Reason);
        Assert.Equal([county.SpocId], after.Escalation.Select(s => s.SpocId)); // the agency-wide SPOC follows the area's own
    }

    [Fact]
    public async Task An_agency_without_an_available_spoc_is_reported_not_skipped()
    {
        var code = await RegisterAgency();

        var response = await admin.GetAsync($"/api/agencies/{code}/recipient");

        await AssertProblem(response, HttpStatusCode.Conflict, "No available SPOC");
    }

    [Fact]
    public async Task A_retired_spoc_no_longer_receives()
    {
        var code = await RegisterAgency();
        var primary = await AssignSpoc(code, "Pat Primary", 0);
        var deputy = await AssignSpoc(code, "Dee Deputy", 1);

        var retire = await admin.PostAsJsonAsync($"/api/spocs/{primary.SpocId}/retire", new { reason = "left the trust" });
        Assert.Equal(HttpStatusCode.OK, retire.StatusCode);

        var now = await admin.GetFromJsonAsync<RecipientResponse>($"/api/agencies/{code}/recipient", Json);
        Assert.Equal(deputy.SpocId, now!.Recipient.SpocId);
        await fixture.Probe.WaitForAsync<SpocRetired>(e => e.Spoc.SpocId == primary.SpocId && e.Reason == "left the trust" && !e.Spoc.Active);
    }

    [Fact]
    public async Task A_second_spoc_at_the_same_rank_is_refused()
    {
        var code = await RegisterAgency();
        await AssignSpoc(code, "Pat Primary", 0);

        var response = await admin.PostAsJsonAsync($"/api/agencies/{code}/spocs", new { fullName = "Other Primary", secureEmail = "other@nhs.example", rank = 0 });

        await AssertProblem(response, HttpStatusCode.Conflict, "Rank already held");
    }

    [Fact]
    public async Task Concurrent_edits_of_one_spoc_succeed_or_conflict_but_never_fail()
    {
        var code = await RegisterAgency();
        var spoc = await AssignSpoc(code, "Pat Primary", 0);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            admin.PutAsJsonAsync($"/api/spocs/{spoc.SpocId}", new { fullName = $"Pat Primary {i}", secureEmail = "pat@nhs.example", rank = 0 })));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var succeeded = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.True(succeeded >= 1);
        var final = await admin.GetFromJsonAsync<SpocSnapshot>($"/api/spocs/{spoc.SpocId}", Json);
        Assert.Equal(1 + succeeded, final!.Version); // each successful edit, and only those, advanced the version
    }

    [Fact]
    public async Task An_invalid_request_gets_a_400_problem_with_field_errors()
    {
        var response = await admin.PostAsJsonAsync("/api/agencies", new { code = "not a code", name = "" });

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, null);
        var errors = problem.GetProperty("errors");
        Assert.Contains("upper-case", errors.GetProperty("code")[0].GetString());
        Assert.Equal("name is required.", errors.GetProperty("name")[0].GetString());
        Assert.Equal("kind is required.", errors.GetProperty("kind")[0].GetString());

        var spoc = await admin.PostAsJsonAsync("/api/agencies/DURHAM-POLICE/spocs", new { fullName = "X", secureEmail = "not-an-email", rank = 99 });
        var spocErrors = (await AssertProblem(spoc, HttpStatusCode.BadRequest, null)).GetProperty("errors");
        Assert.True(spocErrors.TryGetProperty("secureEmail", out _));
        Assert.True(spocErrors.TryGetProperty("rank", out _));
    }

    [Fact]
    public async Task An_unknown_agency_or_spoc_gets_a_404_problem()
    {
        await AssertProblem(await admin.GetAsync("/api/agencies/NO-SUCH-AGENCY"), HttpStatusCode.NotFound, null);
        await AssertProblem(await admin.GetAsync($"/api/spocs/{Guid.NewGuid()}"), HttpStatusCode.NotFound, null);
        await AssertProblem(await admin.PostAsJsonAsync("/api/agencies/NO-SUCH-AGENCY/spocs", new { fullName = "X", secureEmail = "x@y.example", rank = 0 }), HttpStatusCode.NotFound, "Unknown agency");
    }

    [Fact]
    public async Task Malformed_json_gets_a_400_problem_not_a_500()
    {
        var response = await admin.PostAsync("/api/agencies", new StringContent("{\"code\": ", Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest, null);
    }

    [Fact]
    public async Task An_unauthenticated_caller_gets_401()
    {
        var response = await fixture.Host.AnonymousClient().GetAsync("/api/agencies");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_rejected()
    {
        var client = fixture.Host.AnonymousClient();
        var forged = DevelopmentTokens.Mint("mallory", [JtaiRoles.Administrator], signingKey: "a-different-key-of-sufficient-length-0123456789");
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/agencies")).StatusCode);
    }

    [Theory]
    [InlineData(JtaiRoles.TeamManager)]
    [InlineData(JtaiRoles.Masdg)]
    [InlineData(JtaiRoles.Spoc)]
    public async Task Only_administrators_change_the_directory(string role)
    {
        var client = fixture.Host.ClientAs(role, agency: "DURHAM-POLICE");

        var response = await client.PostAsJsonAsync("/api/agencies", new { code = NewCode(), name = "Sneaky", kind = "Other" });

        await AssertProblem(response, HttpStatusCode.Forbidden, null);
    }

    [Fact]
    public async Task A_spoc_reads_its_own_agency_only()
    {
        var police = fixture.Host.ClientAs(JtaiRoles.Spoc, agency: "DURHAM-POLICE");

        Assert.Equal(HttpStatusCode.OK, (await police.GetAsync("/api/agencies/DURHAM-POLICE/spocs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync("/api/agencies/CDDFT/spocs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync("/api/agencies/CDDFT/recipient")).StatusCode);
        var visible = await police.GetFromJsonAsync<List<AgencySnapshot>>("/api/agencies", Json);
        Assert.Equal(["DURHAM-POLICE"], visible!.Select(a => a.Code));
    }

    [Fact]
    public async Task Team_managers_read_any_agency()
    {
        var manager = fixture.Host.ClientAs(JtaiRoles.TeamManager, team: "FF-EASINGTON");

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/api/agencies/CDDFT/spocs")).StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        var client = fixture.Host.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("postgres", body);
        Assert.Contains("masstransit", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Trace_context_flows_from_http_through_the_outbox_and_bus_to_the_consumer()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var consumed = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                {
                    lock (consumed)
                    {
                        consumed.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var code = NewCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agencies") { Content = JsonContent.Create(new { code, name = "Traced", kind = "Other" }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(request)).StatusCode);

        await fixture.Probe.WaitForAsync<AgencyRegistered>(e => e.Agency.Code == code);
        await Eventually.TrueAsync(() =>
        {
            lock (consumed)
            {
                return Task.FromResult(consumed.Any(a => a.Kind == ActivityKind.Consumer) && consumed.Any(a => a.Kind == ActivityKind.Producer));
            }
        }, because: "the publish and the consume belong to the HTTP request's trace");
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (title is not null)
        {
            Assert.Equal(title, problem.GetProperty("title").GetString());
        }

        Assert.True(problem.TryGetProperty("traceId", out _));
        return problem;
    }
}
