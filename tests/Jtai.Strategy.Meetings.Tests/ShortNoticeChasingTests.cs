using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// A meeting convened for this afternoon is chased too: with Durham's defaults a meeting three hours
/// away reminds at 45 minutes and reaches a deputy at 90, well before the start. A fixture of its own,
/// because the clock moves.
/// </summary>
public sealed class ShortNoticeChasingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_meeting_three_hours_away_unanswered_reaches_a_deputy_before_it_starts()
    {
        var team = await fixture.CreateTeamAsync();
        var issuedAt = fixture.Clock.GetUtcNow();
        var meeting = await fixture.ConveneAsync(team, fixture.ConveneRequest(issuedAt.AddHours(3)));
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, 5);
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        Assert.All(issued, i => Assert.Equal(issuedAt.AddMinutes(90), i.Links.RespondBy));

        // A quarter of the lead: the reminder.
        fixture.Clock.Advance(TimeSpan.FromMinutes(45) + Second);
        var reminders = await fixture.Probe.WaitForAllAsync<InvitationReminderDue>(m => m.MeetingId == meeting.Id, 5);
        Assert.Equal(issued.Select(i => i.InvitationId).Order(), reminders.Select(r => r.InvitationId).Order());
        Assert.DoesNotContain(fixture.Probe.All<InvitationSuperseded>(), m => m.MeetingId == meeting.Id);

        // Half of the lead, still 90 minutes before the start: the police deputy has it, the primary's invitation is superseded.
        fixture.Clock.Advance(TimeSpan.FromMinutes(45));
        var superseded = await fixture.Probe.WaitForAllAsync<InvitationSuperseded>(m => m.MeetingId == meeting.Id, 5);
        var policeSuperseded = superseded.Single(s => s.InvitationId == police.InvitationId);
        Assert.Equal(SupersededReason.NoAnswer, policeSuperseded.Reason);
        var deputy = (await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.SupersedesInvitationId == police.InvitationId)).Single();
        Assert.Equal(TestDirectory.Spoc("DURHAM-POLICE", 1).SpocId, deputy.Recipient.SpocId);
        Assert.Equal(RecipientRole.DeputyAfterEscalation, deputy.Recipient.Role);
        Assert.Equal(deputy.InvitationId, policeSuperseded.SupersededByInvitationId);
        Assert.True(fixture.Clock.GetUtcNow() < meeting.ScheduledStart);

        // The deputy's own chase is proportional to what is left (90 minutes): the second deputy at half of it.
        var handedOver = fixture.Clock.GetUtcNow();
        Assert.Equal(handedOver + (meeting.ScheduledStart - handedOver) / 2, deputy.Links.RespondBy);
        fixture.Clock.Advance(TimeSpan.FromMinutes(45));
        var second = (await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.SupersedesInvitationId == deputy.InvitationId)).Single();
        Assert.Equal(TestDirectory.Spoc("DURHAM-POLICE", 2).SpocId, second.Recipient.SpocId);

        // The second deputies' reminder (at 150 minutes) and escalation (157.5) fire only once the
        // meeting has started: too late to help, so neither is sent.
        await fixture.Probe.WaitForAllAsync<InvitationReminderDue>(m => m.MeetingId == meeting.Id, 10);
        fixture.Clock.Set(meeting.ScheduledStart.AddMinutes(5));
        await Eventually.TrueAsync(
            async () => await fixture.Database.ScalarAsync<long>(
                "SELECT count(*) FROM meetings.deadline WHERE subject_id = @s AND fired_at IS NULL", ("s", second.InvitationId)) == 0,
            because: "the poller claims the late deadlines");
        await Task.Delay(500);
        Assert.Equal(5 + 5, fixture.Probe.All<InvitationReminderDue>().Count(m => m.MeetingId == meeting.Id));
        Assert.DoesNotContain(fixture.Probe.All<InvitationNotIssued>(), m => m.MeetingId == meeting.Id);
        Assert.Equal(5 + 5 + 5, fixture.Probe.All<InvitationIssued>().Count(m => m.MeetingId == meeting.Id));
    }
}
