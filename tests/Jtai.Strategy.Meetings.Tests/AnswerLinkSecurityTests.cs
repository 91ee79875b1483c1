using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using OpenTelemetry.Trace;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// The anonymous answer-by-link endpoints against strangers: the token never reaches a log or a span, a large body is
/// refused unread (413), and a flood is refused (429) before the database or the audit trail is touched. Each test
/// runs its own instance of the service, so the rate limiter's counts are its own.
/// </summary>
public sealed class AnswerLinkSecurityTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    private async Task<(MeetingResponse Meeting, InvitationIssued Police)> ConveneAsync()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team);
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, meeting.Invitations.Count);
        return (meeting, issued.Single(i => i.AgencyCode == "DURHAM-POLICE"));
    }

    private static string TokenOf(InvitationIssued invitation) => invitation.Links.Response.AbsolutePath["/respond/".Length..];

    [Fact]
    public async Task A_token_appears_in_no_log_entry_no_log_scope_and_no_span()
    {
        var spans = new List<Activity>();
        // ASP.NET Core's own request lines ("Request starting ... /respond/...") are logged too in this instance.
        var host = await fixture.StartAnotherInstanceAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" },
            services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        var (meeting, police) = await ConveneAsync();
        var token = TokenOf(police);
        var anonymous = host.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(police.Links.Response.AbsolutePath)).StatusCode);
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        await RespondingTests.AssertProblemAsync(await anonymous.GetAsync("/respond/" + tampered), HttpStatusCode.BadRequest, "Link invalid");
        await ReadAsync<AnswerResponse>(await anonymous.PostAsJsonAsync(police.Links.Response.AbsolutePath + "?from=email",
            new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json));

        // The three requests' server spans end as their responses complete.
        await Eventually.TrueAsync(
            () => Task.FromResult(Snapshot(spans).Count(s => Equals(s.GetTagItem("http.route"), "/respond/{token}")) >= 3),
            TimeSpan.FromSeconds(10), "the answer-by-link requests' spans are exported");

        var secrets = new[] { token, tampered, token[..20] };
        var logs = fixture.Logs.Entries;
        var logTexts =
            from entry in logs
            from text in entry.Fields.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).Append(entry.Message).Concat(entry.Scopes)
            select (Where: entry.Category, Text: text);
        var spanTexts =
            from span in Snapshot(spans)
            from text in span.TagObjects.Select(t => $"{t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}").Append(span.DisplayName)
            select (Where: "span " + span.OperationName, Text: text);
        var texts = logTexts.Concat(spanTexts).ToList();
        Assert.Empty(
            from t in texts
            from secret in secrets
            where t.Text.Contains(secret, StringComparison.Ordinal)
            select $"{t.Where}: {t.Text}");

        // What is there instead: the redacted path, in the request scope, ASP.NET Core's request lines and the spans' url.path.
        Assert.Contains(logs, e => e.Scopes.Contains("RequestPath=/respond/[redacted]"));
        Assert.Contains(logs, e => e.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal) && e.Message.Contains("/respond/[redacted]?from=email", StringComparison.Ordinal));
        Assert.Contains(Snapshot(spans), s => Equals(s.GetTagItem("url.path"), "/respond/[redacted]"));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND action = 'invitation.answered' AND actor = 'response-link'", ("m", meeting.Id)));
    }

    [Fact]
    public async Task A_body_over_the_cap_is_refused_unread_and_the_token_is_checked_before_the_body()
    {
        var host = await fixture.StartAnotherInstanceAsync();
        var (_, police) = await ConveneAsync();
        var anonymous = host.AnonymousClient();
        var sixKilobytes = new AnswerRequest(InvitationAnswer.ContributeInWriting, null, null, new string('x', 6 * 1024));

        // Declared length (Content-Length) and undeclared (streamed JSON): both 413, the link unspent.
        var declared = new StringContent(System.Text.Json.JsonSerializer.Serialize(sixKilobytes, Json), Encoding.UTF8, "application/json");
        Assert.NotNull(declared.Headers.ContentLength);
        await RespondingTests.AssertProblemAsync(await anonymous.PostAsync(police.Links.Response.AbsolutePath, declared), HttpStatusCode.RequestEntityTooLarge, "Answer too large");
        await RespondingTests.AssertProblemAsync(await anonymous.PostAsJsonAsync(police.Links.Response.AbsolutePath, sixKilobytes, Json), HttpStatusCode.RequestEntityTooLarge, "Answer too large");

        // An ill-signed token is refused before the body is looked at: the same large body gets "Link invalid".
        await RespondingTests.AssertProblemAsync(await anonymous.PostAsJsonAsync("/respond/not-a-token.at-all", sixKilobytes, Json), HttpStatusCode.BadRequest, "Link invalid");

        // The page tells the answer page how long a contribution fits (the web's text box takes it as its maximum), and
        // a contribution that long is taken as before.
        var page = await ReadAsync<ResponsePage>(await anonymous.GetAsync(police.Links.Response.AbsolutePath));
        Assert.Equal(new AnswerRateLimitOptions().MaxBodyBytes - 1024, page.MaxWrittenContributionLength);
        var answered = await ReadAsync<AnswerResponse>(await anonymous.PostAsJsonAsync(police.Links.Response.AbsolutePath,
            new AnswerRequest(InvitationAnswer.ContributeInWriting, null, null, new string('x', page.MaxWrittenContributionLength)), Json));
        Assert.Equal(InvitationAnswer.ContributeInWriting, answered.Answer);
    }

    [Fact]
    public async Task A_flood_on_one_link_is_refused_after_the_links_allowance_and_writes_no_audit_row_per_request()
    {
        var host = await fixture.StartAnotherInstanceAsync();
        var (meeting, police) = await ConveneAsync();
        var anonymous = host.AnonymousClient();

        var statuses = await FloodAsync(anonymous, _ => police.Links.Response.AbsolutePath, 1000);

        var limits = new AnswerRateLimitOptions();
        Assert.Equal(limits.PerLinkPerMinute, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(1000 - limits.PerLinkPerMinute, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var refused = await anonymous.GetAsync(police.Links.Response.AbsolutePath);
        await RespondingTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "Too many requests");
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 60);

        // One audit row per read that got through, none for the refused ones.
        Assert.Equal((long)limits.PerLinkPerMinute, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND action = 'invitation.read-by-link'", ("m", meeting.Id)));
    }

    [Fact]
    public async Task A_flood_from_one_client_over_many_links_is_refused_after_the_clients_allowance()
    {
        var host = await fixture.StartAnotherInstanceAsync();
        var anonymous = host.AnonymousClient();

        var statuses = await FloodAsync(anonymous, i => $"/respond/guess-{i}.x", 1000);

        var limits = new AnswerRateLimitOptions();
        Assert.Equal(limits.PerClientPerMinute, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(1000 - limits.PerClientPerMinute, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    /// <summary>The requests, 16 at a time (well within a minute).</summary>
    private static async Task<List<HttpStatusCode>> FloodAsync(HttpClient client, Func<int, string> path, int count)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(16))
        {
            var responses = await Task.WhenAll(chunk.Select(i => client.GetAsync(path(i))));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        return statuses;
    }

    private static List<Activity> Snapshot(List<Activity> spans)
    {
        lock (spans)
        {
            return [.. spans];
        }
    }
}
