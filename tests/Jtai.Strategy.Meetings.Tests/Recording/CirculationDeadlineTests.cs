using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>
/// The 24-hour circulation deadline as the system enforces it: rows in the database claimed by the
/// poller, moved through time with the manual clock, observed on the real broker and in the database.
/// "Exactly once" is asserted after letting the pollers run on (they poll every 100 ms).
/// </summary>
public sealed class CirculationDeadlineTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    private const string Warned = "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND action = 'meeting.circulation.warned'";
    private const string OverdueNoticed = "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND action = 'meeting.circulation.overdue'";

    [Fact]
    public async Task The_warning_and_the_overdue_notice_fire_once_each_then_daily_until_circulated()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var end = (await fixture.RecordAsync(team, meeting)).ActualEnd;

        fixture.MoveTo(end + TimeSpan.FromHours(20) - TimeSpan.FromSeconds(1));
        await RecordingFixture.SettleAsync();
        Assert.Empty(Warnings(meeting.Id));

        fixture.MoveTo(end + TimeSpan.FromHours(20));
        var warning = await fixture.Probe.WaitForAsync<ActionCirculationWarning>(m => m.MeetingId == meeting.Id);
        Assert.Equal(end.AddHours(24), warning.CirculationDeadline);
        Assert.Equal(meeting.Reference, warning.MeetingReference);

        fixture.MoveTo(end + TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await RecordingFixture.SettleAsync();
        Assert.Empty(Overdue(meeting.Id));

        fixture.MoveTo(end + TimeSpan.FromHours(24));
        var first = await fixture.Probe.WaitForAsync<ActionCirculationOverdue>(m => m.MeetingId == meeting.Id);
        Assert.Equal((0, team, end.AddHours(24)), (first.Repeat, first.TeamCode, first.CirculationDeadline));

        fixture.MoveTo(end + TimeSpan.FromHours(48));
        await fixture.Probe.WaitForAsync<ActionCirculationOverdue>(m => m.MeetingId == meeting.Id && m.Repeat == 1);

        // Circulated late: still recorded, as late; the daily repeat stops.
        var circulation = await fixture.CirculateAsync(team, meeting.Id);
        Assert.False(circulation.OnTime);
        fixture.MoveTo(end + TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        await RecordingFixture.SettleAsync();

        Assert.Single(Warnings(meeting.Id));
        Assert.Equal([0, 1], Overdue(meeting.Id).Select(m => m.Repeat).Order());
        Assert.Equal(1L, await fixture.CountAsync(Warned, meeting.Id));
        Assert.Equal(2L, await fixture.CountAsync(OverdueNoticed, meeting.Id));
        Assert.Equal(2L, await fixture.CountAsync("SELECT overdue_notices FROM meetings.meeting_record WHERE meeting_id = @id", meeting.Id));
        Assert.Equal(3L, await fixture.CountAsync("SELECT count(*) FROM meetings.deadline WHERE subject_id = @id AND fired_at IS NOT NULL", meeting.Id));
        Assert.Equal(0L, await fixture.CountAsync("SELECT count(*) FROM meetings.deadline WHERE subject_id = @id AND fired_at IS NULL AND cancelled_at IS NULL", meeting.Id));
    }

    [Fact]
    public async Task Circulating_before_the_warning_means_neither_notice_ever_fires()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var end = (await fixture.RecordAsync(team, meeting)).ActualEnd;
        fixture.MoveTo(end + TimeSpan.FromHours(3));
        Assert.True((await fixture.CirculateAsync(team, meeting.Id)).OnTime);

        fixture.MoveTo(end + TimeSpan.FromHours(49));
        await RecordingFixture.SettleAsync();

        Assert.Empty(Warnings(meeting.Id));
        Assert.Empty(Overdue(meeting.Id));
        Assert.Equal(2L, await fixture.CountAsync("SELECT count(*) FROM meetings.deadline WHERE subject_id = @id AND cancelled_at IS NOT NULL", meeting.Id));
    }

    [Fact]
    public async Task Each_notice_fires_once_when_the_service_restarts_between_storing_the_deadline_and_its_due_time()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var end = (await fixture.RecordAsync(team, meeting)).ActualEnd;

        // Down before the warning is due; a new incarnation comes up after it.
        await StopHostAsync();
        fixture.MoveTo(end + TimeSpan.FromHours(20) + TimeSpan.FromMinutes(1));
        await RecordingFixture.SettleAsync();
        Assert.Empty(Warnings(meeting.Id));
        fixture.Host = await fixture.StartHostAsync();
        await fixture.Probe.WaitForAsync<ActionCirculationWarning>(m => m.MeetingId == meeting.Id);

        // Down again before the deadline; up after it.
        await StopHostAsync();
        fixture.MoveTo(end + TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        fixture.Host = await fixture.StartHostAsync();
        await fixture.Probe.WaitForAsync<ActionCirculationOverdue>(m => m.MeetingId == meeting.Id);

        // And once more, with nothing due: a restart fires nothing again.
        await StopHostAsync();
        fixture.Host = await fixture.StartHostAsync();
        await RecordingFixture.SettleAsync();

        Assert.Single(Warnings(meeting.Id));
        Assert.Single(Overdue(meeting.Id));
        Assert.Equal(1L, await fixture.CountAsync(Warned, meeting.Id));
        Assert.Equal(1L, await fixture.CountAsync(OverdueNoticed, meeting.Id));
    }

    [Fact]
    public async Task Each_notice_fires_once_when_two_instances_poll_the_same_database()
    {
        // Twelve meetings ending at the same moment, so both pollers find the same due rows together.
        var teams = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            teams.Add(await fixture.CreateTeamAsync());
        }

        var meetings = new List<MeetingResponse>();
        foreach (var team in teams)
        {
            meetings.Add(await fixture.ConveneAsync(team));
        }

        fixture.MoveTo(meetings.Max(m => m.ScheduledEnd).AddMinutes(15));
        var ends = new List<DateTimeOffset>();
        foreach (var (team, meeting) in teams.Zip(meetings))
        {
            ends.Add((await fixture.RecordAsync(team, meeting)).ActualEnd);
        }

        await using var second = await fixture.StartHostAsync();
        var ids = meetings.Select(m => m.Id).ToHashSet();

        fixture.MoveTo(ends.Max() + TimeSpan.FromHours(20));
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Probe.All<ActionCirculationWarning>(m => ids.Contains(m.MeetingId)).Count >= ids.Count));
        fixture.MoveTo(ends.Max() + TimeSpan.FromHours(24));
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Probe.All<ActionCirculationOverdue>(m => ids.Contains(m.MeetingId)).Count >= ids.Count));
        await RecordingFixture.SettleAsync();

        foreach (var id in ids)
        {
            Assert.Single(Warnings(id));
            Assert.Single(Overdue(id));
            Assert.Equal(1L, await fixture.CountAsync(Warned, id));
            Assert.Equal(1L, await fixture.CountAsync(OverdueNoticed, id));
        }
    }

    private IReadOnlyList<ActionCirculationWarning> Warnings(Guid meetingId) => fixture.Probe.All<ActionCirculationWarning>(m => m.MeetingId == meetingId);

    private IReadOnlyList<ActionCirculationOverdue> Overdue(Guid meetingId) => fixture.Probe.All<ActionCirculationOverdue>(m => m.MeetingId == meetingId);

    private async Task StopHostAsync()
    {
        await fixture.RunningHost.DisposeAsync();
        fixture.Host = null;
    }
}
