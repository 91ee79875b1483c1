using System.Globalization;
using System.Text.Json;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Recording;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>
/// Issue #17: the team's meetings list carries each meeting's circulation deadline and standing, added to its items
/// (the fields a caller reading the old ones never sees): none before the record, then due, overdue once the deadline
/// passes, and circulated late or on time.
/// </summary>
public sealed class MeetingListCirculationTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    [Fact]
    public async Task The_meetings_list_shows_no_circulation_before_the_record_then_due_overdue_and_circulated_late()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team);
        var from = meeting.ScheduledStart.AddHours(-1);

        var convened = await ListedAsync(team, meeting.Id, from);
        Assert.Null(convened.CirculationDeadline);
        Assert.Null(convened.Circulation);
        // The old fields are as they were.
        Assert.Equal(meeting.Reference, convened.Reference);
        Assert.Equal(meeting.ScheduledStart, convened.ScheduledStart);

        fixture.MoveTo(meeting.ScheduledEnd.AddMinutes(15));
        var record = await fixture.RecordAsync(team, meeting);
        var due = await ListedAsync(team, meeting.Id, from);
        Assert.Equal(CirculationStanding.Due, due.Circulation);
        Assert.Equal(record.CirculationDeadline, due.CirculationDeadline);

        fixture.MoveTo(record.CirculationDeadline.AddMinutes(1));
        var overdue = await ListedAsync(team, meeting.Id, from);
        Assert.Equal(CirculationStanding.Overdue, overdue.Circulation);
        Assert.Equal(record.CirculationDeadline, overdue.CirculationDeadline);

        await fixture.CirculateAsync(team, meeting.Id);
        var late = await ListedAsync(team, meeting.Id, from);
        Assert.Equal(CirculationStanding.CirculatedLate, late.Circulation);

        // As JSON, the new fields are named and written as the record's own (the standing by name).
        var json = JsonDocument.Parse(await fixture.Manager(team).GetStringAsync(ListPath(from))).RootElement.EnumerateArray()
            .Single(m => m.GetProperty("id").GetGuid() == meeting.Id);
        Assert.Equal("CirculatedLate", json.GetProperty("circulation").GetString());
        Assert.Equal(record.CirculationDeadline, json.GetProperty("circulationDeadline").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_record_circulated_before_its_deadline_is_listed_as_circulated_on_time()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        await fixture.RecordAsync(team, meeting);
        await fixture.CirculateAsync(team, meeting.Id);

        var listed = await ListedAsync(team, meeting.Id, meeting.ScheduledStart.AddHours(-1));
        Assert.Equal(CirculationStanding.CirculatedOnTime, listed.Circulation);
    }

    private static string ListPath(DateTimeOffset from) =>
        "/api/meetings?from=" + Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture));

    private async Task<MeetingListItem> ListedAsync(string team, Guid meetingId, DateTimeOffset from) =>
        (await ReadAsync<List<MeetingListItem>>(await fixture.Manager(team).GetAsync(ListPath(from)))).Single(m => m.Id == meetingId);
}
