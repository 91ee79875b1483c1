using System.Text;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// Messages published on the real broker, delivered by the service through a real SMTP server (aiosmtpd), checked in
/// its maildir with an independent MIME parser and Mozilla's ical.js, and the delivery events observed on the broker.
/// </summary>
public sealed class DeliveryFlowTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(30);

    private SmtpSink Smtp => fixture.Smtp;

    private MeetingsSide Meetings => fixture.Meetings;

    [Fact]
    public async Task An_issued_invitation_arrives_with_its_headers_body_and_a_calendar_invitation_that_ical_js_reads()
    {
        var meeting = TestMeeting.New();
        var invitation = meeting.Invite(TestMeeting.Address("dana.officer"));

        var messageId = await Meetings.PublishAsync(invitation);

        var mail = await SingleMailAsync(messageId.ToString("N"));
        Assert.Empty(mail.Parsed.Defects);
        Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 invitation", mail.Header("Subject"));
        Assert.Equal($"\"Strategy meetings (do not reply)\" <{NotificationsHost.FromAddress}>", mail.Header("From"));
        Assert.Equal($"Dana Officer <{invitation.Recipient.Email}>", mail.Header("To"));
        Assert.Equal($"<{messageId:N}@jtai-strategy>", mail.Header("Message-ID"));
        Assert.Equal(invitation.Recipient.Email, mail.Header("X-RcptTo"));
        Assert.Equal(NotificationsHost.FromAddress, mail.Header("X-MailFrom"));

        Assert.StartsWith("Dear Dana Officer,\n", mail.Text);
        Assert.Contains($"{TestMeeting.TeamName} invites Durham Constabulary to a strategy meeting.", mail.Text);
        Assert.Contains($"Meeting reference: {meeting.Reference}\n", mail.Text);
        Assert.Contains("Phone: 0300 123 4567\n", mail.Text);
        Assert.Contains($"Conference code: {meeting.ConferenceCode}\n", mail.Text);
        Assert.Contains($"PIN: {meeting.Pin}\n", mail.Text);
        Assert.Contains($"Response link: {invitation.Links.Response.AbsoluteUri}\n", mail.Text);
        Assert.Contains($"Case details are available only after you sign in: {meeting.SignInLink.AbsoluteUri}\n", mail.Text);

        Assert.Equal("REQUEST", mail.CalendarMethodParameter);
        Assert.Equal("invite.ics", mail.IcsAttachment.FileName);
        Assert.Equal(mail.CalendarPart, Encoding.UTF8.GetString(mail.IcsAttachment.Bytes));
        var calendar = await IcalJs.ParseAsync(mail.CalendarPart);
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal($"{meeting.Reference}@jtai-strategy", calendar.Uid);
        Assert.Equal(0, calendar.Sequence);
        Assert.Equal("CONFIRMED", calendar.Status);
        Assert.True(calendar.DtStart!.IsUtc && calendar.DtEnd!.IsUtc);
        Assert.Equal(meeting.Start, DateTimeOffset.Parse(calendar.DtStart.Utc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(meeting.End, DateTimeOffset.Parse(calendar.DtEnd.Utc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"Dial-in 0300 123 4567, conference code {meeting.ConferenceCode}, PIN {meeting.Pin}", calendar.Location);
        Assert.Contains($"PIN: {meeting.Pin}", calendar.Description);
        Assert.Contains($"Conference code: {meeting.ConferenceCode}", calendar.Description);
        Assert.Equal($"mailto:{TestMeeting.OrganizerEmail}", calendar.Organizer!.Value);
        Assert.Equal(TestMeeting.TeamName, calendar.Organizer.CommonName);
        Assert.Equal($"mailto:{invitation.Recipient.Email}", Assert.Single(calendar.Attendees).Value);

        var delivered = await DeliveredAsync(messageId);
        Assert.Equal(invitation.InvitationId, delivered.InvitationId);
        Assert.Equal(meeting.MeetingId, delivered.MeetingId);
        Assert.Equal("invitation", delivered.Kind);
        Assert.Equal("email", delivered.Channel);
        Assert.Equal("DURHAM-POLICE", delivered.AgencyCode);
        await MinimalData.AssertAsync(mail, Facts(meeting, invitation));
    }

    [Fact]
    public async Task A_reschedule_and_then_a_cancellation_update_the_same_calendar_entry()
    {
        var meeting = TestMeeting.New();
        var invitation = meeting.Invite(TestMeeting.Address("sam.nurse", "nhs.example"), "Sam Nurse", "CDDFT", "County Durham and Darlington NHS FT");
        var issued = await Meetings.PublishAsync(invitation);
        var first = await IcalJs.ParseAsync((await SingleMailAsync(issued.ToString("N"))).CalendarPart);

        var (moved, reschedule) = meeting.Reschedule(invitation, TimeSpan.FromDays(1), sequence: 1);
        var rescheduled = await Meetings.PublishAsync(reschedule);
        var rescheduleMail = await SingleMailAsync(rescheduled.ToString("N"));
        var update = await IcalJs.ParseAsync(rescheduleMail.CalendarPart);

        var cancellation = moved.Cancel(invitation, sequence: 2);
        var cancelled = await Meetings.PublishAsync(cancellation);
        var cancelMail = await SingleMailAsync(cancelled.ToString("N"));
        var cancel = await IcalJs.ParseAsync(cancelMail.CalendarPart);

        Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 rescheduled", rescheduleMail.Header("Subject"));
        Assert.Contains("Previous time: ", rescheduleMail.Text);
        Assert.Equal(first.Uid, update.Uid);
        Assert.Equal("REQUEST", update.Method);
        Assert.Equal(1, update.Sequence);
        Assert.Equal(moved.Start, DateTimeOffset.Parse(update.DtStart!.Utc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(moved.End, DateTimeOffset.Parse(update.DtEnd!.Utc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"PIN {meeting.Pin}", update.Location);

        Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 cancelled", cancelMail.Header("Subject"));
        Assert.Equal("CANCEL", cancelMail.CalendarMethodParameter);
        Assert.Equal("cancel.ics", cancelMail.IcsAttachment.FileName);
        Assert.Equal(first.Uid, cancel.Uid);
        Assert.Equal("CANCEL", cancel.Method);
        Assert.Equal("CANCELLED", cancel.Status);
        Assert.Equal(2, cancel.Sequence);
        Assert.Equal(moved.Start, DateTimeOffset.Parse(cancel.DtStart!.Utc, System.Globalization.CultureInfo.InvariantCulture));
        // The cancellation is signed by the organising team and carries the invitation's sign-in link, both
        // remembered from the InvitationIssued (the cancellation message does not carry them).
        Assert.Contains($"{TestMeeting.TeamName}\n", cancelMail.Text);
        Assert.Contains(meeting.SignInLink.AbsoluteUri, cancelMail.Text);

        Assert.Equal("reschedule", (await DeliveredAsync(rescheduled)).Kind);
        Assert.Equal("cancellation", (await DeliveredAsync(cancelled)).Kind);
        await MinimalData.AssertAsync(rescheduleMail, Facts(moved, invitation, meeting.Start, meeting.End));
        await MinimalData.AssertAsync(cancelMail, Facts(moved, invitation));
    }

    [Fact]
    public async Task A_reminder_reaches_the_same_recipient_with_the_dial_in_details_and_no_calendar_object()
    {
        var meeting = TestMeeting.New();
        var invitation = meeting.Invite(TestMeeting.Address("pat.probation", "probation.example"), "Pat Probation", "NPS", "National Probation Service");
        await SingleMailAsync((await Meetings.PublishAsync(invitation)).ToString("N"));

        var reminded = await Meetings.PublishAsync(meeting.Remind(invitation));

        var mail = await SingleMailAsync(reminded.ToString("N"));
        Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 reminder: please answer", mail.Header("Subject"));
        Assert.Equal(invitation.Recipient.Email, mail.Header("X-RcptTo"));
        Assert.Contains($"PIN: {meeting.Pin}\n", mail.Text);
        Assert.Contains($"Response link: {invitation.Links.Response.AbsoluteUri}\n", mail.Text);
        Assert.False(mail.HasCalendar);
        Assert.Equal("reminder", (await DeliveredAsync(reminded)).Kind);
        await MinimalData.AssertAsync(mail, Facts(meeting, invitation));
    }

    [Fact]
    public async Task Circulated_actions_send_one_email_per_recipient()
    {
        var meeting = TestMeeting.New();
        var police = new CirculationRecipient("DURHAM-POLICE", Guid.NewGuid(), "Dana Officer", TestMeeting.Address("dana.officer"));
        var school = new CirculationRecipient("EDUCATION", Guid.NewGuid(), "Chris Teacher", TestMeeting.Address("chris.teacher", "school.example"));

        // The police SPOC listed twice (say, once per role) still gets one e-mail.
        var circulated = await Meetings.PublishAsync(meeting.Circulate(police, school, police with { SpocId = Guid.NewGuid() }));

        var toPolice = await SingleMailAsync($"{circulated:N}.{police.SpocId:N}");
        var toSchool = await SingleMailAsync($"{circulated:N}.{school.SpocId:N}");
        Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 agreed actions circulated", toPolice.Header("Subject"));
        Assert.Equal(police.RecipientEmail, toPolice.Header("X-RcptTo"));
        Assert.Equal(school.RecipientEmail, toSchool.Header("X-RcptTo"));
        Assert.Contains(meeting.SignInLink.AbsoluteUri, toSchool.Text);
        Assert.False(toSchool.HasCalendar);

        // Not about one invitation: reported as notices, naming the circulation message, never as InvitationDelivered.
        var events = await Eventually.GetAsync(() => Task.FromResult(Meetings.NoticesDelivered.Where(d => d.SourceMessageId == circulated).ToList()), e => e.Count >= 2, MailTimeout);
        Assert.Equal(["DURHAM-POLICE", "EDUCATION"], events.Select(e => e.AgencyCode).Order());
        Assert.All(events, e => Assert.Equal(("actions-circulated", meeting.MeetingId), (e.Kind, e.MeetingId)));
        await Task.Delay(500);
        Assert.DoesNotContain(Meetings.Delivered, d => d.SourceMessageId == circulated);
        Assert.Single(Smtp.MessagesTo(police.RecipientEmail));
        foreach (var mail in new[] { toPolice, toSchool })
        {
            await MinimalData.AssertAsync(mail, new AllowedFacts([], [meeting.SignInLink], [police.RecipientEmail, school.RecipientEmail, NotificationsHost.FromAddress]));
        }
    }

    [Fact]
    public async Task A_redelivered_invitation_sends_no_second_email()
    {
        var meeting = TestMeeting.New();
        var invitation = meeting.Invite(TestMeeting.Address("redelivered"));
        var messageId = NewId();

        // Twice at once (a broker redelivery racing the first), then once more after the e-mail went out.
        await Task.WhenAll(Meetings.PublishAsync(invitation, messageId), Meetings.PublishAsync(invitation, messageId));
        var mail = await SingleMailAsync(messageId.ToString("N"));
        await Meetings.PublishAsync(invitation, messageId);

        // Everything published before the marker has been consumed once the marker's e-mail is out; and a little more.
        var marker = await Meetings.PublishAsync(meeting.Invite(TestMeeting.Address("marker")));
        await SingleMailAsync(marker.ToString("N"));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(Smtp.MessagesWithId(messageId.ToString("N")));
        Assert.Single(Smtp.MessagesTo(invitation.Recipient.Email));
        Assert.Single(Meetings.Delivered, d => d.SourceMessageId == messageId);
        await MinimalData.AssertAsync(mail, Facts(meeting, invitation));
    }

    [Fact]
    public async Task A_recipient_the_server_rejects_leads_to_InvitationDeliveryFailed_and_the_deputy_gets_the_invitation()
    {
        var meeting = TestMeeting.New();
        var primary = meeting.Invite(TestMeeting.Address("reject.primary"), "Robin Primary");

        var issued = await Meetings.PublishAsync(primary);

        var failed = await Eventually.GetAsync(() => Task.FromResult(Meetings.Failed.FirstOrDefault(f => f.SourceMessageId == issued)), f => f is not null, MailTimeout);
        Assert.Equal(primary.InvitationId, failed!.InvitationId);
        Assert.Equal(meeting.MeetingId, failed.MeetingId);
        Assert.Equal(("invitation", "email", "DURHAM-POLICE"), (failed.Kind, failed.Channel, failed.AgencyCode));
        Assert.Contains("550", failed.Reason);
        Assert.DoesNotContain(primary.Recipient.Email, failed.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Smtp.MessagesTo(primary.Recipient.Email));
        // A permanent failure is not retried.
        Assert.Equal(1, await fixture.Database.ScalarAsync<int>(
            "SELECT attempts FROM notifications.delivery WHERE source_message_id = @id AND status = 'failed'", ("id", issued)));

        // What the meetings service does on InvitationDeliveryFailed: the next deputy gets a new invitation.
        var deputy = meeting.Invite(TestMeeting.Address("deputy"), "Lee Deputy", role: RecipientRole.DeputyAfterEscalation, supersedes: failed.InvitationId);
        var deputyIssued = await Meetings.PublishAsync(deputy);
        var deputyMail = await SingleMailAsync(deputyIssued.ToString("N"));
        Assert.Equal($"Lee Deputy <{deputy.Recipient.Email}>", deputyMail.Header("To"));
        Assert.Equal($"{meeting.Reference}@jtai-strategy", (await IcalJs.ParseAsync(deputyMail.CalendarPart)).Uid);
        await MinimalData.AssertAsync(deputyMail, Facts(meeting, deputy));
    }

    [Fact]
    public async Task An_invitation_that_cannot_be_rendered_fails_visibly_instead_of_being_retried()
    {
        var meeting = TestMeeting.New();
        var valid = meeting.Invite(TestMeeting.Address("unrenderable"));
        var invitation = valid with { Links = valid.Links with { Response = new Uri("mailto:somebody@example.org") } };

        var issued = await Meetings.PublishAsync(invitation);

        var failed = await Eventually.GetAsync(() => Task.FromResult(Meetings.Failed.FirstOrDefault(f => f.SourceMessageId == issued)), f => f is not null, MailTimeout);
        Assert.Contains("could not be rendered", failed!.Reason);
        Assert.Equal("none", failed.Channel);
        Assert.Empty(Smtp.MessagesTo(invitation.Recipient.Email));
    }

    private static Guid NewId() => MassTransit.NewId.NextGuid();

    private static AllowedFacts Facts(TestMeeting meeting, InvitationIssued invitation, params DateTimeOffset[] more) =>
        new([meeting.Start, meeting.End, meeting.RespondBy, .. more], [invitation.Links.Response, meeting.SignInLink],
            [invitation.Recipient.Email, TestMeeting.OrganizerEmail, NotificationsHost.FromAddress]);

    private async Task<ReceivedMail> SingleMailAsync(string notificationId)
    {
        var files = await Eventually.GetAsync(() => Task.FromResult(Smtp.MessagesWithId(notificationId)), f => f.Count > 0, MailTimeout, $"an e-mail with Message-ID <{notificationId}@jtai-strategy>");
        return await ReceivedMail.ReadAsync(Assert.Single(files));
    }

    private async Task<InvitationDelivered> DeliveredAsync(Guid sourceMessageId) =>
        (await Eventually.GetAsync(() => Task.FromResult(Meetings.Delivered.FirstOrDefault(d => d.SourceMessageId == sourceMessageId)), d => d is not null, MailTimeout))!;
}
