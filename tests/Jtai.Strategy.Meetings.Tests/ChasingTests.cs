using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// Chasing unanswered invitations with deadlines stored in the database: the clock is moved past
/// each due time (no sleeping) and the poller fires them. Defaults: reminder after 2 h, deputy after 4 h.
/// </summary>
public sealed class ChasingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task No_answer_brings_a_reminder_then_the_next_deputy_until_none_is_left()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team, fixture.ConveneRequest(fixture.Clock.GetUtcNow().AddHours(20)));
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, 5);
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        var health = issued.Single(i => i.AgencyCode == "CDDFT");
        Assert.All(issued, i => Assert.Equal(fixture.Clock.GetUtcNow().AddHours(4), i.Links.RespondBy));

        // Two hours on: every recipient is reminded, with the link they already have.
        fixture.Clock.Advance(TimeSpan.FromHours(2) + Second);
        var reminders = await fixture.Probe.WaitForAllAsync<InvitationReminderDue>(m => m.MeetingId == meeting.Id, 5);
        Assert.Equal(issued.Select(i => i.InvitationId).Order(), reminders.Select(r => r.InvitationId).Order());
        Assert.Equal(police.Links.Response, reminders.Single(r => r.InvitationId == police.InvitationId).Links.Response);

        // The police answer in time; the others do not.
        var anonymous = fixture.Host.AnonymousClient();
        (await anonymous.PostAsJsonAsync(police.Links.Response.AbsolutePath, new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json)).EnsureSuccessStatusCode();

        // Four hours on: each unanswered invitation passes to the first deputy.
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        var superseded = await fixture.Probe.WaitForAllAsync<InvitationSuperseded>(m => m.MeetingId == meeting.Id, 4);
        Assert.DoesNotContain(superseded, s => s.AgencyCode == "DURHAM-POLICE");
        Assert.All(superseded, s => Assert.Equal(SupersededReason.NoAnswer, s.Reason));
        var toDeputies = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id && m.SupersedesInvitationId != null, 4);
        var healthDeputy = toDeputies.Single(i => i.AgencyCode == "CDDFT");
        Assert.Equal(health.InvitationId, healthDeputy.SupersedesInvitationId);
        Assert.Equal(TestDirectory.Spoc("CDDFT", 1).SpocId, healthDeputy.Recipient.SpocId);
        Assert.Equal(RecipientRole.DeputyAfterEscalation, healthDeputy.Recipient.Role);
        Assert.Equal(meeting.Pin, healthDeputy.DialIn.Pin);
        Assert.Equal(healthDeputy.InvitationId, superseded.Single(s => s.AgencyCode == "CDDFT").SupersededByInvitationId);

        // The primary's link no longer answers; the deputy's does.
        await RespondingTests.AssertProblemAsync(await anonymous.GetAsync(health.Links.Response.AbsolutePath), HttpStatusCode.Gone, "Invitation passed on");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(healthDeputy.Links.Response.AbsolutePath)).StatusCode);

        // Still nobody: the second deputy, then no one left and the manager is told; the invitation stays.
        fixture.Clock.Advance(TimeSpan.FromHours(4));
        await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id && m.Recipient.Role == RecipientRole.DeputyAfterEscalation, 8);
        fixture.Clock.Advance(TimeSpan.FromHours(4));
        var exhausted = await fixture.Probe.WaitForAllAsync<InvitationNotIssued>(m => m.MeetingId == meeting.Id, 4);
        Assert.All(exhausted, e => Assert.Contains("no further deputy", e.Reason, StringComparison.Ordinal));

        var board = await ReadAsync<BoardResponse>(await fixture.Manager(team).GetAsync($"/api/meetings/{meeting.Id}/board"));
        var healthRow = board.Agencies.Single(a => a.AgencyCode == "CDDFT");
        Assert.Equal(TestDirectory.Spoc("CDDFT", 2).FullName, healthRow.RecipientName);
        Assert.True(healthRow.EscalationExhausted);
        Assert.Equal(InvitationStatus.Awaiting, healthRow.Status);
        Assert.Equal(2, healthRow.Previously.Count);
        Assert.NotNull(healthRow.RemindedAt);
        var policeRow = board.Agencies.Single(a => a.AgencyCode == "DURHAM-POLICE");
        Assert.Equal(InvitationAnswer.AttendByDialIn, policeRow.Answer);
        Assert.Empty(policeRow.Previously);

        // Exactly one of each: 5 first reminders, 4 deputies × 2 rounds with their reminders.
        Assert.Equal(5 + 4 + 4, fixture.Probe.All<InvitationReminderDue>().Count(r => r.MeetingId == meeting.Id));
        Assert.Equal(5 + 8, fixture.Probe.All<InvitationIssued>().Count(r => r.MeetingId == meeting.Id));
    }

    [Fact]
    public async Task A_failed_delivery_passes_the_invitation_to_the_next_deputy_at_once_and_delivery_shows_on_the_board()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team, fixture.ConveneRequest(fixture.Clock.GetUtcNow().AddHours(20)));
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, 5);
        var education = issued.Single(i => i.AgencyCode == "DCC-EDUCATION");
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        var now = fixture.Clock.GetUtcNow();

        await fixture.Host.PublishAsync(new InvitationDelivered(police.InvitationId, meeting.Id, Guid.NewGuid(), "invitation-issued", "email", now));
        var failure = new InvitationDeliveryFailed(education.InvitationId, meeting.Id, Guid.NewGuid(), "invitation-issued", "email", "550 5.1.1 mailbox unknown", now);
        await fixture.Host.PublishAsync(failure);
        await fixture.Host.PublishAsync(failure); // a redelivered copy (new message id) must not escalate twice

        var passedOn = Assert.Single(await fixture.Probe.WaitForAllAsync<InvitationSuperseded>(m => m.InvitationId == education.InvitationId));
        Assert.Equal(SupersededReason.DeliveryFailed, passedOn.Reason);
        var deputy = Assert.Single(await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.SupersedesInvitationId == education.InvitationId));
        Assert.Equal(TestDirectory.Spoc("DCC-EDUCATION", 1).SpocId, deputy.Recipient.SpocId);

        var board = await Eventually.GetAsync(
            async () => await ReadAsync<BoardResponse>(await fixture.Manager(team).GetAsync($"/api/meetings/{meeting.Id}/board")),
            b => b.Agencies.Single(a => a.AgencyCode == "DURHAM-POLICE").DeliveryState == DeliveryState.Delivered);
        var educationRow = board.Agencies.Single(a => a.AgencyCode == "DCC-EDUCATION");
        Assert.Equal(deputy.InvitationId, educationRow.InvitationId);
        Assert.Equal(DeliveryState.Pending, educationRow.DeliveryState);
        var previous = Assert.Single(educationRow.Previously);
        Assert.Equal(DeliveryState.Failed, previous.DeliveryState);
        Assert.Equal(SupersededReason.DeliveryFailed, previous.SupersededReason);

        await Task.Delay(500);
        Assert.Single(fixture.Probe.All<InvitationIssued>(), m => m.SupersedesInvitationId == education.InvitationId);
    }
}

/// <summary>Deadlines live in the database: a restart and a second instance neither lose nor repeat them.</summary>
public sealed class ChasingAcrossRestartsTests
{
    [Fact]
    public async Task Chasing_survives_a_restart_and_fires_once_with_two_instances_running()
    {
        await using var fixture = new OwnedFixture();
        await fixture.Inner.InitializeAsync();
        var f = fixture.Inner;
        var team = await f.CreateTeamAsync();
        var meeting = await f.ConveneAsync(team, f.ConveneRequest(f.Clock.GetUtcNow().AddHours(20)));
        var issued = await f.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, 5);

        // Down while the reminders fall due; back up as two instances.
        await f.RestartAsync();
        f.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        await f.StartAnotherInstanceAsync();

        await f.Probe.WaitForAllAsync<InvitationReminderDue>(m => m.MeetingId == meeting.Id, 5);
        f.Clock.Advance(TimeSpan.FromHours(2));
        await f.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id && m.SupersedesInvitationId != null, 5);
        await Task.Delay(1500); // many poll intervals of both instances

        Assert.Equal(issued.Select(i => i.InvitationId).Order(), f.Probe.All<InvitationReminderDue>().Select(r => r.InvitationId).Order());
        Assert.Equal(5, f.Probe.All<InvitationIssued>().Count(m => m.SupersedesInvitationId != null));
        Assert.Equal(5, f.Probe.All<InvitationSuperseded>().Count);
        Assert.Equal(0L, await f.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.deadline WHERE fired_at IS NOT NULL AND attempts <> 1"));
        Assert.Equal(10L, await f.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.deadline WHERE fired_at IS NOT NULL"));
    }

    private sealed class OwnedFixture : IAsyncDisposable
    {
        public MeetingsFixture Inner { get; } = new();

        public async ValueTask DisposeAsync() => await Inner.DisposeAsync();
    }
}
