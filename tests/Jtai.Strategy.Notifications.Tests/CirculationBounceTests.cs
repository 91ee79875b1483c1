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
/// Both services on one Broker and the real SMTP server: a circulation notice the server refuses for the police SPOC
/// is passed to the agency's deputy, whose e-mail arrives, and the record shows both (the bounce and the deputy's
/// delivery); with no deputy, the record says no SPOC is left.
/// </summary>
public sealed class CirculationBounceTests : ServicesOnOneBroker
{
    private static readonly JsonSerializerOptions Json = AcrossServices.Json;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;
    private NotificationsHost? notifications;
    private ServiceHost<MeetingsService>? meetings;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        meetingsDatabase = await NewDatabaseAsync();
        notificationsDatabase = await NewDatabaseAsync();
    }

    [Fact]
    public async Task A_bounced_circulation_notice_goes_to_the_deputy_whose_email_arrives_and_the_record_shows_both()
    {
        var primary = TestMeeting.Address("police-primary");
        var deputy = TestMeeting.Address("police-deputy");
        // The primary's invitation arrives; by the circulation their mailbox is closed and the server refuses it.
        var (meeting, manager, source) = await CirculatedAsync(primary, deputy);

        // The deputy had no invitation (the primary answered for the agency), so this is their only e-mail.
        var mail = await ReceivedMail.ReadAsync(Assert.Single(await Eventually.GetAsync(
            () => Task.FromResult(Smtp.MessagesTo(deputy)), f => f.Count > 0, Timeout, "the deputy's circulation notice arrives")));
        Assert.Equal($"Lee Deputy <{deputy}>", mail.Header("To"));
        Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 agreed actions circulated", mail.Header("Subject"));
        Assert.Contains($"https://meetings.test/api/circulated-records/{meeting.Id}", mail.Text);

        var police = await Eventually.GetAsync(
            async () => (await RecordAsync(manager, meeting.Id)).Circulations[0].Recipients.Single(r => r.AgencyCode == "DURHAM-POLICE"),
            r => r.PassedOn.Count == 1 && r.PassedOn[0].Delivery == CirculationDelivery.Delivered,
            Timeout,
            "the record shows the notice passed to the deputy and delivered");
        Assert.Equal(("Robin Primary", CirculationDelivery.Failed), (police.RecipientName, police.Delivery));
        Assert.False(string.IsNullOrWhiteSpace(police.DeliveryFailure));
        var hop = police.PassedOn[0];
        Assert.Equal(("Lee Deputy", deputy), (hop.RecipientName, hop.RecipientEmail));
        Assert.Equal(police.DeliveryFailure, hop.Reason);
        Assert.False(police.NoRecipientLeft);

        // The other agencies' notices went as before; the deputy's notice is reported as its own message, not the circulation's.
        var passedOn = Assert.Single(Observer.NoticesDelivered, n => n.MeetingId == meeting.Id && n.AgencyCode == "DURHAM-POLICE");
        Assert.NotEqual(source, passedOn.SourceMessageId);
        Assert.Equal("actions-circulated", passedOn.Kind);
        Assert.Single(Observer.NoticesFailed, n => n.MeetingId == meeting.Id && n.SourceMessageId == source && n.AgencyCode == "DURHAM-POLICE");
    }

    [Fact]
    public async Task A_circulation_notice_bouncing_at_the_last_spoc_is_shown_failed_with_no_recipient_left()
    {
        var primary = TestMeeting.Address("police-primary");
        var (meeting, manager, _) = await CirculatedAsync(primary, null);

        var police = await Eventually.GetAsync(
            async () => (await RecordAsync(manager, meeting.Id)).Circulations[0].Recipients.Single(r => r.AgencyCode == "DURHAM-POLICE"),
            r => r.NoRecipientLeft,
            Timeout,
            "the record says no SPOC is left");
        Assert.Equal(CirculationDelivery.Failed, police.Delivery);
        Assert.Empty(police.PassedOn);
        Assert.DoesNotContain(Observer.NoticesDelivered, n => n.MeetingId == meeting.Id && n.AgencyCode == "DURHAM-POLICE");
    }

    /// <summary>
    /// Convenes (every invitation delivered), records and circulates a meeting. The police primary's address then
    /// changes in the directory to one the server refuses, as a mailbox closed between the meeting and the circulation.
    /// </summary>
    private async Task<(MeetingResponse Meeting, HttpClient Manager, Guid Source)> CirculatedAsync(string primary, string? deputy)
    {
        notifications = Own(await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync());
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        meetings = Own(await AcrossServices.StartMeetingsAsync(meetingsDatabase, Broker, clock));

        var spocs = AcrossServices.OneSpocPerAgency(primary);
        var primarySpoc = spocs.Single(s => s.AgencyCode == "DURHAM-POLICE");
        if (deputy is not null)
        {
            spocs.Add(AcrossServices.Spoc("DURHAM-POLICE", "Lee Deputy", 1, deputy));
        }

        await AcrossServices.AnnounceDirectoryAsync(Observer.Publisher, meetingsDatabase, spocs);
        var manager = meetings.ClientAs(JtaiRoles.TeamManager, team: await AcrossServices.CreateTeamAsync(meetings));
        var meeting = await AcrossServices.ConveneAsync(manager, AcrossServices.Convene(clock.GetUtcNow(), caseReference: "LL-2026-6310"));
        await Eventually.TrueAsync(() => Task.FromResult(Smtp.MessagesTo(primary).Count == 1), Timeout, "the primary's invitation arrives");

        // Same address with the sink's "reject" marker: the mailbox was closed after the meeting.
        var closed = "reject." + primary;
        await Observer.PublishAsync(new SpocDetailsChanged(primarySpoc with { SecureEmail = closed, Version = 2 }, DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(
            async () => await meetingsDatabase.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica WHERE secure_email = @e", ("e", closed)) == 1, Timeout);

        clock.Set(meeting.ScheduledEnd.AddMinutes(15));
        await AcrossServices.RecordAsHeldAsync(manager, meeting);
        await AcrossServices.CirculateAsync(manager, meeting);
        var source = await meetingsDatabase.ScalarAsync<Guid>("SELECT source_message_id FROM meetings.circulation WHERE meeting_id = @id", ("id", meeting.Id));

        return (meeting, manager, source);
    }

    private static async Task<MeetingRecordResponse> RecordAsync(HttpClient manager, Guid meetingId) =>
        (await (await manager.GetAsync($"/api/meetings/{meetingId}/record")).Content.ReadFromJsonAsync<MeetingRecordResponse>(Json))!;
}
