using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// Notices to a team's managers (issue #10, parts 1 and 5b), across both services on one Broker and the real SMTP
/// server: the meetings service's clock is moved, its deadlines fire, and each notice arrives once at each manager
/// address (the team's manager contact and the convening manager's own e-mail), with no case data.
/// </summary>
public sealed class ManagerNoticesEndToEndTests : ServicesOnOneBroker
{
    private static readonly JsonSerializerOptions Json = AcrossServices.Json;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;
    private ServiceHost<MeetingsService> meetings = null!;
    private NotificationsHost notifications = null!;
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private readonly string teamManager = TestMeeting.Address("team-manager", "durham.example.gov.uk");
    private readonly string convener = TestMeeting.Address("convening-manager", "durham.example.gov.uk");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        meetingsDatabase = await NewDatabaseAsync();
        notificationsDatabase = await NewDatabaseAsync();
        notifications = Own(await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync());
        meetings = Own(await AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker, clock));
    }

    [Fact]
    public async Task The_manager_receives_the_20_hour_warning_and_the_overdue_notice_once_each()
    {
        var team = await DirectoryAndTeamAsync(WithDeputy: false);
        var manager = ManagerClient(team);
        var meeting = await ConveneAsync(manager, removePolice: false);

        clock.Set(meeting.ScheduledEnd.AddMinutes(15));
        var actualEnd = meeting.ScheduledStart.AddMinutes(50);
        var record = await manager.PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", new RecordMeetingRequest(
            meeting.ScheduledStart.AddMinutes(2), actualEnd, "Alex Chair", "DCC-CSC",
            meeting.Agencies.Where(a => a.Invited).Select(a => new AttendanceRequest(a.AgencyCode, AttendanceMode.AttendedInPerson, null)).ToList(),
            null, null, false, null, "Safety plan agreed.", "Mother told by the social worker.", ChildViews.Recorded, "Wants to stay at her school."), Json);
        Assert.True(record.IsSuccessStatusCode, await record.Content.ReadAsStringAsync());
        var deadline = actualEnd.AddHours(24);

        clock.Set(actualEnd.AddHours(20).AddSeconds(1));
        var warnings = await NoticesArriveAsync(meeting, "agreed actions not yet circulated");
        foreach (var mail in warnings)
        {
            Assert.Contains("have not been circulated yet", mail.Text);
            await AssertMinimalAsync(mail, meeting, [deadline]);
        }

        clock.Set(deadline.AddHours(2));
        var overdue = await NoticesArriveAsync(meeting, "agreed actions overdue (2 h)");
        foreach (var mail in overdue)
        {
            Assert.Contains("2 hours overdue", mail.Text);
            await AssertMinimalAsync(mail, meeting, [deadline]);
        }

        // Later polls send nothing more: exactly one of each per address.
        await Task.Delay(1500);
        Assert.All(new[] { teamManager, convener }, a => Assert.Equal(2, Smtp.MessagesTo(a).Count));
        var receipts = await Eventually.GetAsync(
            () => Task.FromResult(Observer.NoticesDelivered.Where(n => n.MeetingId == meeting.Id).ToList()), n => n.Count >= 4, Timeout);
        Assert.Equal(["circulation-overdue", "circulation-overdue", "circulation-warning", "circulation-warning"], receipts.Select(r => r.Kind).Order());
    }

    [Fact]
    public async Task A_meeting_convened_below_the_national_minimum_is_notified_to_the_managers()
    {
        var team = await DirectoryAndTeamAsync(WithDeputy: false);
        var meeting = await ConveneAsync(ManagerClient(team), removePolice: true);
        Assert.Equal(["Police"], meeting.MinimumNotCovered);

        foreach (var mail in await NoticesArriveAsync(meeting, "below the national minimum"))
        {
            Assert.Contains("Not covered now: police.", mail.Text);
            await AssertMinimalAsync(mail, meeting, []);
        }
    }

    [Fact]
    public async Task When_the_chase_runs_out_of_deputies_the_managers_hear_which_agency_has_no_recipient_left()
    {
        var team = await DirectoryAndTeamAsync(WithDeputy: false);
        var meeting = await ConveneAsync(ManagerClient(team), removePolice: false);

        // Nobody answers: reminded first, then at the escalation time every agency's only SPOC has had it, so each has
        // no recipient left. Each step waits for the e-mails' receipts: a receipt updates the invitation, and an
        // escalation racing it would be retried on the deadline poller's (here frozen) clock.
        await ReceiptsAsync(meeting, "invitation");
        clock.Set(meeting.ScheduledStart.AddHours(-2));
        await ReceiptsAsync(meeting, "reminder");
        clock.Set(meeting.ScheduledStart.AddMinutes(-30));
        var mails = await NoticesArriveAsync(meeting, "no recipient left at Durham Constabulary");
        foreach (var mail in mails)
        {
            Assert.Contains("has not reached anyone at Durham Constabulary: it went to the primary SPOC, and no further deputy is available", mail.Text);
            Assert.DoesNotContain("Robin Primary", mail.Parsed.AllDecodedText);
            await AssertMinimalAsync(mail, meeting, []);
        }
    }

    [Fact]
    public async Task A_meeting_not_recorded_a_day_after_its_scheduled_end_draws_the_record_due_notice()
    {
        var team = await DirectoryAndTeamAsync(WithDeputy: false);
        var meeting = await ConveneAsync(ManagerClient(team), removePolice: false);

        clock.Set(meeting.ScheduledEnd.AddHours(24).AddSeconds(1));
        foreach (var mail in await NoticesArriveAsync(meeting, "meeting not recorded"))
        {
            Assert.Contains("has not been recorded as held, or cancelled", mail.Text);
            await AssertMinimalAsync(mail, meeting, [meeting.ScheduledEnd]);
        }

        var overdue = await meetingsDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.outbox_message WHERE message_type LIKE '%meeting-record-overdue%'");
        Assert.Equal(1L, overdue);
    }

    private Task ReceiptsAsync(MeetingResponse meeting, string kind) => Eventually.TrueAsync(
        () => Task.FromResult(Observer.Delivered.Count(d => d.MeetingId == meeting.Id && d.Kind == kind) >= AcrossServices.Agencies.Length), Timeout);

    private HttpClient ManagerClient(string team) => meetings.ClientAs(JtaiRoles.TeamManager, team: team, email: convener);

    /// <summary>Waits until the notice with <paramref name="subjectEnd"/> reached both manager addresses, once each.</summary>
    private async Task<List<ReceivedMail>> NoticesArriveAsync(MeetingResponse meeting, string subjectEnd)
    {
        var subject = $"Strategy meeting {meeting.Reference} \u2013 {subjectEnd}";
        var found = new List<ReceivedMail>();
        foreach (var address in new[] { teamManager, convener })
        {
            var mails = await Eventually.GetAsync(
                async () => await Task.WhenAll(Smtp.MessagesTo(address).Select(ReceivedMail.ReadAsync)),
                m => m.Any(x => x.Header("Subject") == subject),
                Timeout,
                $"'{subjectEnd}' reaches {address}");
            var mail = Assert.Single(mails, m => m.Header("Subject") == subject);
            Assert.False(mail.HasCalendar);
            found.Add(mail);
        }

        Assert.Equal(["Dear Pat Manager,", "Hello,"], found.Select(m => m.Text.Split('\n')[0]).Order());
        return found;
    }

    private static Task AssertMinimalAsync(ReceivedMail mail, MeetingResponse meeting, DateTimeOffset[] times) =>
        MinimalData.AssertAsync(mail, new AllowedFacts(
            times,
            [new Uri($"https://meetings.test/api/meetings/{meeting.Id}")],
            [mail.Header("To")!.Split('<', '>')[^2], NotificationsHost.FromAddress]));

    private Task<MeetingResponse> ConveneAsync(HttpClient manager, bool removePolice) =>
        AcrossServices.ConveneAsync(manager, AcrossServices.Convene(clock.GetUtcNow(), caseReference: "CSC-00987654") with
        {
            RemoveAgencies = removePolice ? [new RemoveAgencyRequest("DURHAM-POLICE", RemovalReason.InformationAlreadyShared, null)] : null,
        });

    /// <summary>The directory on the Broker, a team with a bridge, and its manager contact (added by an administrator).</summary>
    private async Task<string> DirectoryAndTeamAsync(bool WithDeputy)
    {
        var spocs = AcrossServices.OneSpocPerAgency();
        if (WithDeputy)
        {
            spocs.Add(AcrossServices.Spoc("DURHAM-POLICE", "Lee Deputy", 1, TestMeeting.Address("police-deputy")));
        }

        await AcrossServices.AnnounceDirectoryAsync(Observer.Publisher, meetingsDatabase, spocs);
        var team = await AcrossServices.CreateTeamAsync(meetings);
        (await meetings.ClientAs(JtaiRoles.Administrator).PostAsJsonAsync($"/api/teams/{team}/managers", new TeamManagerRequest(teamManager, "Pat Manager"), Json)).EnsureSuccessStatusCode();
        return team;
    }
}
