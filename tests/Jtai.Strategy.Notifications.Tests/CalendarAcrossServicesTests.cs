using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
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
/// Every change the meetings service can make to a meeting, carried on one Broker to this service and through the real
/// SMTP server: each invitee's e-mail arrives, and its calendar object (parsed by ical.js) has the METHOD, UID,
/// SEQUENCE, times, organizer and attendee the calendar needs. The sequences are the meetings service's own, never
/// made up by the test, so a contract the two services read differently fails here.
/// </summary>
public sealed partial class CalendarAcrossServicesTests : ServicesOnOneBroker
{
    private static readonly JsonSerializerOptions Json = AcrossServices.Json;
    private static readonly AgencySnapshot[] Agencies = AcrossServices.Agencies;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;
    private NotificationsHost notifications = null!;
    private ServiceHost<MeetingsService> meetings = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        meetingsDatabase = await NewDatabaseAsync();
        notificationsDatabase = await NewDatabaseAsync();
        notifications = Own(await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync());
        meetings = Own(await AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker));
    }

    [Fact]
    public async Task Convening_rescheduling_and_cancelling_reach_every_invitee_as_one_calendar_entry_whose_sequence_rises()
    {
        var (manager, invitees) = await DirectoryAndManagerAsync();
        var meeting = await ConveneAsync(manager);
        var uid = $"{meeting.Reference}@jtai-strategy";

        // Convene: a REQUEST at SEQUENCE 0 to each invitee.
        foreach (var (email, name) in invitees)
        {
            var mail = await MailAsync(email, $"Strategy meeting {meeting.Reference} \u2013 invitation");
            await AssertCalendarAsync(mail, "REQUEST", uid, 0, meeting.ScheduledStart, meeting.ScheduledEnd, email, name);
        }

        // The police SPOC answers by the link in the e-mail.
        var police = invitees.Single(i => i.Email.StartsWith("police", StringComparison.Ordinal)).Email;
        var firstLink = ResponseLinkIn(await MailAsync(police, $"Strategy meeting {meeting.Reference} \u2013 invitation"));
        var anonymous = meetings.AnonymousClient();
        (await anonymous.PostAsJsonAsync(firstLink.AbsolutePath, new AnswerRequest(InvitationAnswer.AttendInPerson, null, null, null), Json)).EnsureSuccessStatusCode();
        Assert.Equal(InvitationAnswer.AttendInPerson, (await BoardAsync(manager, meeting.Id)).Agencies.Single(a => a.AgencyCode == "DURHAM-POLICE").Answer);

        // Reschedule to a new start: a REQUEST with the same UID at SEQUENCE 1 and the new times; the answer is reset
        // and the e-mail asks again, with a new link that works.
        var moved = await ReadAsync<MeetingResponse>(await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/reschedule",
            new RescheduleRequest(meeting.ScheduledStart.AddHours(2), 90, RescheduleReason.PartnerAvailability, null, null, null), Json));
        Assert.Equal(1, moved.CalendarSequence);
        foreach (var (email, name) in invitees)
        {
            var mail = await MailAsync(email, $"Strategy meeting {meeting.Reference} \u2013 rescheduled");
            await AssertCalendarAsync(mail, "REQUEST", uid, 1, moved.ScheduledStart, moved.ScheduledEnd, email, name);
            Assert.Contains("Please answer again by ", mail.Text);
        }

        var policeRow = (await BoardAsync(manager, meeting.Id)).Agencies.Single(a => a.AgencyCode == "DURHAM-POLICE");
        Assert.Equal((null, InvitationStatus.Awaiting), (policeRow.Answer, policeRow.Status));
        var secondLink = ResponseLinkIn(await MailAsync(police, $"Strategy meeting {meeting.Reference} \u2013 rescheduled"));
        Assert.NotEqual(firstLink, secondLink);
        Assert.Equal(moved.ScheduledStart, (await ReadAsync<ResponsePage>(await anonymous.GetAsync(secondLink.AbsolutePath))).ScheduledStart);

        // Cancel after the reschedule: a CANCEL with the same UID at SEQUENCE 2, over the last REQUEST.
        (await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/cancel", new CancelRequest(CancelReason.DuplicateMeeting, null), Json)).EnsureSuccessStatusCode();
        foreach (var (email, name) in invitees)
        {
            var mail = await MailAsync(email, $"Strategy meeting {meeting.Reference} \u2013 cancelled");
            var calendar = await AssertCalendarAsync(mail, "CANCEL", uid, 2, moved.ScheduledStart, moved.ScheduledEnd, email, name);
            Assert.Equal("CANCELLED", calendar.Status);
        }

        Assert.DoesNotContain(Observer.Failed, f => f.MeetingId == meeting.Id);
    }

    [Fact]
    public async Task Cancelling_a_meeting_never_rescheduled_sends_every_invitee_a_cancel_at_sequence_1_with_the_invitations_uid()
    {
        var (manager, invitees) = await DirectoryAndManagerAsync();
        var meeting = await ConveneAsync(manager);
        var uid = $"{meeting.Reference}@jtai-strategy";
        foreach (var (email, _) in invitees)
        {
            var invitation = await IcalJs.ParseAsync((await MailAsync(email, $"Strategy meeting {meeting.Reference} \u2013 invitation")).CalendarPart);
            Assert.Equal((uid, 0), (invitation.Uid, invitation.Sequence));
        }

        (await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/cancel", new CancelRequest(CancelReason.DuplicateMeeting, null), Json)).EnsureSuccessStatusCode();

        foreach (var (email, name) in invitees)
        {
            var mail = await MailAsync(email, $"Strategy meeting {meeting.Reference} \u2013 cancelled");
            Assert.Equal("CANCEL", mail.CalendarMethodParameter);
            Assert.Equal("cancel.ics", mail.IcsAttachment.FileName);
            var calendar = await AssertCalendarAsync(mail, "CANCEL", uid, 1, meeting.ScheduledStart, meeting.ScheduledEnd, email, name);
            Assert.Equal("CANCELLED", calendar.Status);
        }

        // Each cancellation is reported delivered; none failed (before the fix, every one failed to render).
        await Eventually.TrueAsync(
            () => Task.FromResult(Observer.Delivered.Count(d => d.MeetingId == meeting.Id && d.Kind == "cancellation") == invitees.Count), Timeout);
        Assert.DoesNotContain(Observer.Failed, f => f.MeetingId == meeting.Id);
    }

    [Fact]
    public async Task A_deputy_after_the_primarys_bounce_gets_the_meetings_calendar_entry_and_its_cancellation_and_the_primary_nothing()
    {
        var primary = TestMeeting.Address("reject.police-primary");
        var deputy = TestMeeting.Address("police-deputy");
        var (manager, _) = await DirectoryAndManagerAsync(primary, ("Lee Deputy", deputy));
        var meeting = await ConveneAsync(manager);
        var uid = $"{meeting.Reference}@jtai-strategy";

        // The primary's address is refused: the invitation passes to the deputy, a REQUEST at the meeting's current sequence.
        var invitation = await MailAsync(deputy, $"Strategy meeting {meeting.Reference} \u2013 invitation");
        await AssertCalendarAsync(invitation, "REQUEST", uid, 0, meeting.ScheduledStart, meeting.ScheduledEnd, deputy, "Lee Deputy");
        var issued = Assert.Single(Observer.Issued, i => i.Recipient.Email == deputy);
        Assert.Equal(RecipientRole.DeputyAfterEscalation, issued.Recipient.Role);
        Assert.Equal(0, issued.CalendarSequence);

        // Cancelled: the deputy, who holds the invitation now, gets the CANCEL; the superseded primary is not written to
        // (their copy never arrived, and a CANCEL would bounce the same way).
        (await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/cancel", new CancelRequest(CancelReason.DuplicateMeeting, null), Json)).EnsureSuccessStatusCode();
        var cancel = await MailAsync(deputy, $"Strategy meeting {meeting.Reference} \u2013 cancelled");
        await AssertCalendarAsync(cancel, "CANCEL", uid, 1, meeting.ScheduledStart, meeting.ScheduledEnd, deputy, "Lee Deputy");
        await Eventually.TrueAsync(
            () => Task.FromResult(Observer.Delivered.Count(d => d.MeetingId == meeting.Id && d.Kind == "cancellation") == Agencies.Length), Timeout);
        Assert.Empty(Smtp.MessagesTo(primary));
        Assert.Single(Observer.Failed, f => f.MeetingId == meeting.Id);
    }

    /// <summary>The e-mail to <paramref name="address"/> with this subject, once it has arrived.</summary>
    private async Task<ReceivedMail> MailAsync(string address, string subject)
    {
        var found = await Eventually.GetAsync(
            async () =>
            {
                foreach (var file in Smtp.MessagesTo(address))
                {
                    var mail = await ReceivedMail.ReadAsync(file);
                    if (mail.Header("Subject") == subject)
                    {
                        return mail;
                    }
                }

                return null;
            },
            m => m is not null,
            Timeout,
            $"\"{subject}\" arrives at {address}");
        return found!;
    }

    /// <summary>Parses the e-mail's calendar object with ical.js and checks what a calendar applies it by.</summary>
    private static async Task<ParsedIcs> AssertCalendarAsync(
        ReceivedMail mail, string method, string uid, int sequence, DateTimeOffset start, DateTimeOffset end, string attendee, string attendeeName)
    {
        Assert.Equal(method, mail.CalendarMethodParameter);
        var calendar = await IcalJs.ParseAsync(mail.CalendarPart);
        Assert.Equal(method, calendar.Method);
        Assert.Equal(uid, calendar.Uid);
        Assert.Equal(sequence, calendar.Sequence);
        Assert.True(calendar.DtStart!.IsUtc && calendar.DtEnd!.IsUtc);
        Assert.Equal(start, DateTimeOffset.Parse(calendar.DtStart.Utc, CultureInfo.InvariantCulture));
        Assert.Equal(end, DateTimeOffset.Parse(calendar.DtEnd.Utc, CultureInfo.InvariantCulture));
        Assert.Equal($"mailto:{TestMeeting.OrganizerEmail}", calendar.Organizer!.Value);
        var who = Assert.Single(calendar.Attendees);
        Assert.Equal(($"mailto:{attendee}", attendeeName), (who.Value, who.CommonName));
        return calendar;
    }

    private static Uri ResponseLinkIn(ReceivedMail mail) => new(ResponseLinkLine().Match(mail.Text).Groups[1].Value);

    [GeneratedRegex(@"Response link: (\S+)\n")]
    private static partial Regex ResponseLinkLine();

    private async Task<MeetingResponse> ConveneAsync(HttpClient manager)
    {
        var now = DateTimeOffset.UtcNow;
        var convene = await manager.PostAsJsonAsync("/api/meetings", new ConveneRequest(
            null, "LL-2026-5120", ConcernCategory.DomesticAbuse, now.AddHours(-6), now.AddMinutes(-30), ThresholdReason.RepeatIncidentsCumulativeRisk,
            "Third police call-out to the household in four weeks.",
            new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(4), 60, null, null,
            new CaseFactsRequest(ChildAgeBand.FiveToTen, false, false, false, null, null), null, null), Json);
        var meeting = await ReadAsync<MeetingResponse>(convene);
        Assert.Equal(0, meeting.CalendarSequence);
        return meeting;
    }

    private async Task<BoardResponse> BoardAsync(HttpClient manager, Guid meetingId) =>
        await ReadAsync<BoardResponse>(await manager.GetAsync($"/api/meetings/{meetingId}/board"));

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>
    /// The directory announced on the Broker as the directory service would (one SPOC per agency, the police one at
    /// <paramref name="policePrimary"/>, and a police deputy if given), and a team with a bridge whose manager acts.
    /// </summary>
    private async Task<(HttpClient Manager, IReadOnlyList<(string Email, string Name)> Invitees)> DirectoryAndManagerAsync(
        string? policePrimary = null, (string Name, string Email)? policeDeputy = null)
    {
        var spocs = AcrossServices.OneSpocPerAgency(policePrimary);
        if (policeDeputy is { } d)
        {
            spocs.Add(AcrossServices.Spoc("DURHAM-POLICE", d.Name, 1, d.Email));
        }

        await AcrossServices.AnnounceDirectoryAsync(Observer.Publisher, meetingsDatabase, spocs);
        var team = await AcrossServices.CreateTeamAsync(meetings);
        return (meetings.ClientAs(JtaiRoles.TeamManager, team: team), spocs.Where(s => s.Rank == 0).Select(s => (s.SecureEmail, s.FullName)).ToList());
    }
}
