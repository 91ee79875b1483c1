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
/// Both services on one Broker: the meetings service convenes and invites, this service delivers through the real
/// SMTP server; an address the server rejects comes back as InvitationDeliveryFailed and the meetings service passes
/// the invitation to the deputy, whose e-mail arrives.
/// </summary>
public sealed class MeetingsEndToEndTests : ServicesOnOneBroker
{
    private static readonly JsonSerializerOptions Json = AcrossServices.Json;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string CaseReference = "LL-2026-4471";
    private const string ThresholdText = "Third police call-out to the household in four weeks.";

    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        meetingsDatabase = await NewDatabaseAsync();
        notificationsDatabase = await NewDatabaseAsync();
    }

    [Fact]
    public async Task A_rejected_spoc_address_passes_the_invitation_to_the_deputy_whose_email_arrives()
    {
        await using var notifications = await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync();
        await using var meetings = await StartMeetingsAsync(TimeProvider.System);

        // The directory, announced on the Broker as the directory service would: the police SPOC's address is refused
        // by the mail server; the deputy's is fine.
        var primary = TestMeeting.Address("reject.police-primary");
        var deputy = TestMeeting.Address("police-deputy");
        SpocSnapshot[] spocs = [.. AcrossServices.OneSpocPerAgency(primary), AcrossServices.Spoc("DURHAM-POLICE", "Lee Deputy", 1, deputy)];
        var team = await AnnounceDirectoryAndCreateTeamAsync(meetings, spocs);
        var now = DateTimeOffset.UtcNow;
        var meeting = await AcrossServices.ConveneAsync(meetings.ClientAs(JtaiRoles.TeamManager, team: team), AcrossServices.Convene(now, caseReference: CaseReference, thresholdText: ThresholdText));

        var failed = await Eventually.GetAsync(() => Task.FromResult(Observer.Failed.FirstOrDefault(f => f.MeetingId == meeting.Id)), f => f is not null, Timeout);
        Assert.Equal("DURHAM-POLICE", failed!.AgencyCode);
        var deputyMail = await ReceivedMail.ReadAsync(Assert.Single(
            await Eventually.GetAsync(() => Task.FromResult(Smtp.MessagesTo(deputy)), f => f.Count > 0, Timeout, "the deputy's invitation arrives")));
        Assert.Equal($"Lee Deputy <{deputy}>", deputyMail.Header("To"));
        Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 invitation", deputyMail.Header("Subject"));
        Assert.Equal($"{meeting.Reference}@jtai-strategy", (await IcalJs.ParseAsync(deputyMail.CalendarPart)).Uid);
        Assert.Contains($"PIN: {meeting.Pin}", deputyMail.Text);
        Assert.Empty(Smtp.MessagesTo(primary));

        var deputyInvitation = Assert.Single(Observer.Issued, i => i.Recipient.Email == deputy);
        Assert.Equal((RecipientRole.DeputyAfterEscalation, failed.InvitationId), (deputyInvitation.Recipient.Role, deputyInvitation.SupersedesInvitationId));

        // Every e-mail of the meeting: no case reference, no threshold text, no child; only the allowed fields.
        var invitations = Observer.Issued.Where(i => i.MeetingId == meeting.Id).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(invitations.Where(i => i.Recipient.Email != primary).All(i => Smtp.MessagesTo(i.Recipient.Email).Count == 1)), Timeout);
        foreach (var invitation in invitations.Where(i => i.Recipient.Email != primary))
        {
            var mail = await ReceivedMail.ReadAsync(Assert.Single(Smtp.MessagesTo(invitation.Recipient.Email)));
            Assert.DoesNotContain(CaseReference, mail.Raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("call-out", mail.Parsed.AllDecodedText, StringComparison.OrdinalIgnoreCase);
            await MinimalData.AssertAsync(mail, new AllowedFacts(
                [invitation.Slot.Start, invitation.Slot.End, invitation.Links.RespondBy],
                [invitation.Links.Response, invitation.Links.SignIn],
                [invitation.Recipient.Email, TestMeeting.OrganizerEmail, NotificationsHost.FromAddress]));
        }
    }

    [Fact]
    public async Task Circulated_actions_are_reported_as_notices_and_the_record_shows_each_delivered()
    {
        await using var notifications = await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync();
        // The meetings service's own clock, moved past the meeting's end so it can be recorded; notifications keeps real time.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var meetings = await StartMeetingsAsync(clock);

        SpocSnapshot[] spocs = [.. AcrossServices.OneSpocPerAgency()];
        var team = await AnnounceDirectoryAndCreateTeamAsync(meetings, spocs);
        var manager = meetings.ClientAs(JtaiRoles.TeamManager, team: team);
        var now = clock.GetUtcNow();
        var meeting = await AcrossServices.ConveneAsync(manager, AcrossServices.Convene(now, caseReference: CaseReference, thresholdText: ThresholdText));

        clock.Set(meeting.ScheduledEnd.AddMinutes(15));
        await AcrossServices.RecordAsHeldAsync(manager, meeting);
        await AcrossServices.CirculateAsync(manager, meeting);
        var source = await meetingsDatabase.ScalarAsync<Guid>("SELECT source_message_id FROM meetings.circulation WHERE meeting_id = @id", ("id", meeting.Id));

        // Each recipient's notice comes back as NoticeDelivered naming the circulation message, never as an invitation's receipt.
        var notices = await Eventually.GetAsync(
            () => Task.FromResult(Observer.NoticesDelivered.Where(n => n.SourceMessageId == source).ToList()), n => n.Count >= AcrossServices.Agencies.Length, Timeout);
        Assert.Equal(AcrossServices.Agencies.Select(a => a.Code).Order(), notices.Select(n => n.AgencyCode).Order());
        Assert.All(notices, n => Assert.Equal((meeting.Id, "actions-circulated"), (n.MeetingId, n.Kind)));

        var shown = await Eventually.GetAsync(
            async () => (await (await manager.GetAsync($"/api/meetings/{meeting.Id}/record")).Content.ReadFromJsonAsync<MeetingRecordResponse>(Json))!,
            r => r.Circulations.Count == 1 && r.Circulations[0].Recipients.All(x => x.Delivery == CirculationDelivery.Delivered),
            Timeout,
            "the record shows every circulation notice delivered");
        Assert.Equal(AcrossServices.Agencies.Select(a => a.Code).Order(), shown.Circulations[0].Recipients.Select(r => r.AgencyCode).Order());
        Assert.DoesNotContain(Observer.Delivered, d => d.SourceMessageId == source || d.InvitationId == Guid.Empty);
    }

    private Task<ServiceHost<MeetingsService>> StartMeetingsAsync(TimeProvider clock) => AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker, clock);

    private async Task<string> AnnounceDirectoryAndCreateTeamAsync(ServiceHost<MeetingsService> meetings, SpocSnapshot[] spocs)
    {
        await AcrossServices.AnnounceDirectoryAsync(Observer.Publisher, meetingsDatabase, spocs);
        return await AcrossServices.CreateTeamAsync(meetings);
    }
}
