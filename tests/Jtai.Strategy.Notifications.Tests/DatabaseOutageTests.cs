using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// PostgreSQL stops while meetings are convened and their invitations are on the way: requests answer 503 with
/// Retry-After (never 500), readiness is red and liveness green, consumers wait instead of spending their retries, and
/// after the restart every accepted meeting's e-mails arrive exactly once with nothing in any error queue. Answers by
/// link meet the same 503 during the outage and go through after it; an answer made just before it is recorded once. The outage is short
/// here (configured intervals shortened to match); the same mechanism, unbounded in time, covers a two-minute one.
/// Both services use a PostgreSQL server of this test's own, so stopping it disturbs no other test.
/// </summary>
public sealed class DatabaseOutageTests : ServicesOnOneBroker
{
    internal static readonly JsonSerializerOptions Json = AcrossServices.Json;
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    internal static readonly Dictionary<string, string?> OutageSettings = new()
    {
        ["Messaging:TransientRetryInterval"] = "00:00:01",
        ["Http:RetryAfterSeconds"] = "5",
        // The test asks about one link twice a second through the outage to see 503s; the answer-link flood limits
        // (their own test, AnswerLinkSecurityTests) would otherwise answer 429 first.
        ["Meetings:AnswerRateLimit:PerLinkPerMinute"] = "1000",
        ["Meetings:AnswerRateLimit:PerClientPerMinute"] = "1000",
    };

    private PrivatePostgresServer postgres = null!;
    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        postgres = Own(await PrivatePostgresServer.StartAsync());
        meetingsDatabase = await NewDatabaseAsync(postgres.ConnectionString);
        notificationsDatabase = await NewDatabaseAsync(postgres.ConnectionString);
    }

    [Fact]
    public async Task With_the_database_stopped_requests_answer_503_and_after_it_returns_every_accepted_meeting_is_e_mailed_once()
    {
        await using var notifications = await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp, OutageSettings)).StartedAsync();
        await using var meetings = await AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker, settings: OutageSettings);
        await AcrossServices.AnnounceDirectoryAsync(Observer.Publisher, meetingsDatabase, AcrossServices.OneSpocPerAgency());
        var team = await AcrossServices.CreateTeamAsync(meetings);
        var admin = meetings.ClientAs(JtaiRoles.Administrator);
        var manager = meetings.ClientAs(JtaiRoles.TeamManager, team: team);
        var anonymous = meetings.AnonymousClient();

        // Convened and e-mailed before the outage: one of its links is answered just before it, another during it.
        var answeredMeeting = await AcrossServices.ConveneAsync(manager, AcrossServices.Convene(DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () => (await MailsOfAsync(answeredMeeting)).Count == 3, Timeout, $"the invitations of {answeredMeeting.Reference} arrive");
        var links = (await MailsOfAsync(answeredMeeting)).Select(ResponseTokenOf).ToList();
        // Convened just before the outage: its invitations are still on their way through both services.
        var accepted = new List<MeetingResponse> { answeredMeeting };
        accepted.Add(await AcrossServices.ConveneAsync(manager, AcrossServices.Convene(DateTimeOffset.UtcNow, accepted.Count)));
        var answerBefore = await anonymous.PostAsJsonAsync("/respond/" + links[0], new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json);
        Assert.Equal(HttpStatusCode.OK, answerBefore.StatusCode);
        await postgres.StopAsync();
        // Reaches the notifications service while its database is down: without the outage handling its five
        // poison retries (about 11 s) would be spent well within the outage and it would end in _error.
        var sentDuringOutage = await Observer.PublishAsync(TestMeeting.New().Invite(TestMeeting.Address("during-outage")));

        var statuses = new List<HttpStatusCode>();
        var until = DateTimeOffset.UtcNow + Outage;
        while (DateTimeOffset.UtcNow < until)
        {
            var response = await manager.PostAsJsonAsync("/api/meetings", AcrossServices.Convene(DateTimeOffset.UtcNow, accepted.Count), Json);
            statuses.Add(response.StatusCode);
            if (response.IsSuccessStatusCode)
            {
                accepted.Add((await response.Content.ReadFromJsonAsync<MeetingResponse>(Json))!);
                continue;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);

            // Answering by link meets the same outage: 503 with Retry-After, never 500.
            var answer = await anonymous.PostAsJsonAsync("/respond/" + links[1], new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json);
            statuses.Add(answer.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
            var page = await anonymous.GetAsync("/respond/" + links[1]);
            statuses.Add(page.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);

        await postgres.StartAgainAsync();
        // A client honouring Retry-After gets through once the database is back.
        var afterRestart = await Eventually.GetAsync(async () =>
        {
            var response = await manager.PostAsJsonAsync("/api/meetings", AcrossServices.Convene(DateTimeOffset.UtcNow, accepted.Count), Json);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode != HttpStatusCode.ServiceUnavailable, Timeout, "the database answers again");
        Assert.True((int)afterRestart.StatusCode is >= 200 and < 300, $"{afterRestart.StatusCode}: {afterRestart.Body}");
        accepted.Add(JsonSerializer.Deserialize<MeetingResponse>(afterRestart.Body, Json)!);

        // The answer refused during the outage goes through after it; the one made before it is recorded once.
        var answerAfter = await anonymous.PostAsJsonAsync("/respond/" + links[1], new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json);
        Assert.Equal(HttpStatusCode.OK, answerAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await anonymous.PostAsJsonAsync("/respond/" + links[0], new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json)).StatusCode);
        Assert.Equal(2, await meetingsDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND actor = 'response-link' AND action = 'invitation.answered'", ("m", answeredMeeting.Id)));
        Assert.Equal(2, await meetingsDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.invitation WHERE meeting_id = @m AND answer IS NOT NULL", ("m", answeredMeeting.Id)));

        foreach (var meeting in accepted)
        {
            await Eventually.TrueAsync(async () => (await MailsOfAsync(meeting)).Select(m => m.Header("To")).Distinct().Count() == 3, Timeout, $"the three invitations of {meeting.Reference} arrive");
        }

        await Eventually.TrueAsync(() => Task.FromResult(Smtp.MessagesWithId(sentDuringOutage.ToString("N")).Count > 0), Timeout, "the invitation sent during the outage arrives");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(Smtp.MessagesWithId(sentDuringOutage.ToString("N")));
        // Every meeting's invitations exactly once, including the meeting whose e-mails were being sent when the
        // database stopped: a dispatcher that got the relay's 250 keeps retrying "sent" through the outage.
        foreach (var meeting in accepted)
        {
            var mails = await MailsOfAsync(meeting);
            Assert.Equal(3, mails.Count);
            Assert.Equal(3, mails.Select(m => m.Header("To")).Distinct().Count());
            Assert.Equal(3, mails.Select(m => m.Header("Message-ID")).Distinct().Count());
        }

        foreach (var errorQueue in (await Broker.QueueNamesAsync()).Where(q => q.EndsWith("_error", StringComparison.Ordinal)))
        {
            Assert.Equal(0, await Broker.ReadyCountAsync(errorQueue));
        }

        Assert.Empty((await admin.GetFromJsonAsync<List<DeadLetter>>("/api/admin/dead-letters", Json))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/admin/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    // The signed token of the invitation's response link, as the recipient reads it in the e-mail.
    private static string ResponseTokenOf(ReceivedMail mail) =>
        Regex.Match(mail.Text, @"https://meetings\.test/respond/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)").Groups[1].Value is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException("No response link in " + mail.File);

    private Task<List<ReceivedMail>> MailsOfAsync(MeetingResponse meeting) => AcrossServices.MailsOfAsync(Smtp, meeting);
}
