using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>
/// Issue #10, part 5: the end time moves the circulation deadline only until the first notice about it fires. After a
/// warning or an overdue notice the deadline is the one notified: a corrected end is recorded, with a reason, audited,
/// and a circulation is judged against the notified deadline.
/// </summary>
public sealed class FixedDeadlineTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    private const string EndCorrectedAfterNotice = "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND action = 'meeting.record.end-corrected-after-notice'";

    [Fact]
    public async Task Before_any_notice_a_corrected_end_moves_the_deadline_without_a_reason()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var request = RecordingFixture.RecordRequest(meeting);
        await fixture.RecordAsync(team, meeting, request);

        var corrected = await fixture.RecordAsync(team, meeting, request with { ActualEnd = request.ActualEnd!.Value.AddMinutes(10) });

        Assert.Equal(request.ActualEnd!.Value.AddMinutes(10).AddHours(24), corrected.CirculationDeadline);
        Assert.Null(corrected.CirculationDeadlineFixedAt);
        Assert.Equal(0L, await fixture.CountAsync(EndCorrectedAfterNotice, meeting.Id));
    }

    [Fact]
    public async Task After_the_warning_a_later_end_needs_a_reason_is_audited_and_circulation_is_judged_against_the_notified_deadline()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var request = RecordingFixture.RecordRequest(meeting);
        var end = (await fixture.RecordAsync(team, meeting, request)).ActualEnd;
        var notified = end.AddHours(24);

        fixture.MoveTo(end + TimeSpan.FromHours(20));
        var warning = await fixture.Probe.WaitForAsync<ActionCirculationWarning>(m => m.MeetingId == meeting.Id);
        Assert.Equal(notified, warning.CirculationDeadline);
        var fixedAt = (await ReadAsync<MeetingRecordResponse>(await fixture.Manager(team).GetAsync($"/api/meetings/{meeting.Id}/record"))).CirculationDeadlineFixedAt;
        Assert.Equal(end + TimeSpan.FromHours(20), fixedAt);

        // The end an hour later, without a reason: refused, field by field.
        var later = request with { ActualEnd = end.AddHours(1) };
        var refused = await fixture.Manager(team).PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", later, Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["endCorrectionReason"], errors.EnumerateObject().Select(p => p.Name).ToList());

        // Other corrections need no reason; the end with one is recorded, and the deadline stays the one notified.
        var otherField = await fixture.RecordAsync(team, meeting, request with { FamilyTold = "Mother and father told by the social worker." });
        Assert.Equal(notified, otherField.CirculationDeadline);
        var corrected = await fixture.RecordAsync(team, meeting, later with { EndCorrectionReason = "The chair's minutes show the meeting ran until 12:50." });
        Assert.Equal(end.AddHours(1), corrected.ActualEnd);
        Assert.Equal(notified, corrected.CirculationDeadline);
        Assert.Equal(fixedAt, corrected.CirculationDeadlineFixedAt);
        Assert.Equal(1L, await fixture.CountAsync(EndCorrectedAfterNotice, meeting.Id));
        var held = await Eventually.GetAsync(
            () => Task.FromResult(fixture.Probe.All<MeetingHeld>(m => m.MeetingId == meeting.Id && m.ActualEnd == end.AddHours(1))),
            found => found.Count == 1);
        Assert.Equal(notified, held[0].CirculationDeadline);

        // The overdue notice comes at the notified deadline, not an hour later.
        fixture.MoveTo(notified);
        var overdue = await fixture.Probe.WaitForAsync<ActionCirculationOverdue>(m => m.MeetingId == meeting.Id);
        Assert.Equal((0, notified), (overdue.Repeat, overdue.CirculationDeadline));

        // Circulated half an hour after the notified deadline (within 24 hours of the corrected end): late.
        fixture.MoveTo(notified.AddMinutes(30));
        var circulation = await fixture.CirculateAsync(team, meeting.Id);
        Assert.False(circulation.OnTime);
        Assert.Equal(TimeSpan.FromMinutes(30), circulation.LateBy);
        var circulated = await fixture.Probe.WaitForAsync<AgreedActionsCirculated>(m => m.MeetingId == meeting.Id);
        Assert.Equal((notified, false, end.AddHours(1)), (circulated.CirculationDeadline, circulated.OnTime, circulated.MeetingEndedAt));
        Assert.Equal(1L, await fixture.CountAsync("SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND action = 'meeting.circulation.overdue'", meeting.Id));
    }
}
