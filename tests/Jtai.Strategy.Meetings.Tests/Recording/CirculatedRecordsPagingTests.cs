using System.Net.Http.Json;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>
/// A SPOC's circulated records page on the real database as the meetings and invitations lists do: each record exactly
/// once, latest circulation first (ties by the meeting's id, descending), the paging in headers beside the unchanged
/// array; an amendment brings its record to the top. (Its own fixture, so the agencies' lists hold this class's records only.)
/// </summary>
public sealed class CirculatedRecordsPagingTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    private const string LatestFirst = "latestCirculatedAt desc,meetingId desc";

    [Fact]
    public async Task A_spocs_circulated_records_page_each_record_once_latest_circulation_first_and_an_amendment_comes_to_the_top()
    {
        var team = await fixture.CreateTeamAsync();
        var held = new List<MeetingResponse>();
        for (var i = 0; i < 5; i++)
        {
            held.Add(await fixture.HeldMeetingAsync(team));
        }

        foreach (var meeting in held)
        {
            await fixture.RecordAsync(team, meeting);
        }

        // The first two circulated a minute before the other three, which go out at the same instant (the id breaks the tie).
        await fixture.CirculateAsync(team, held[0].Id);
        await fixture.CirculateAsync(team, held[1].Id);
        fixture.MoveTo(fixture.Clock.GetUtcNow().AddMinutes(1));
        foreach (var meeting in held.Skip(2))
        {
            await fixture.CirculateAsync(team, meeting.Id);
        }

        var police = fixture.Spoc("DURHAM-POLICE");
        var pages = await ListPages.ReadAllAsync<CirculatedListItem>(police, "/api/circulated-records", 2, LatestFirst);
        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        var listed = pages.SelectMany(p => p).ToList();
        var expected = held.Skip(2).Select(m => m.Id).OrderByDescending(ListPages.IdOrder, StringComparer.Ordinal)
            .Concat(held.Take(2).Select(m => m.Id).OrderByDescending(ListPages.IdOrder, StringComparer.Ordinal))
            .ToList();
        Assert.Equal(expected, listed.Select(r => r.MeetingId));
        Assert.All(listed, r => Assert.Equal(1, r.LatestVersion));

        // A caller that never pages reads the same array, in the same order.
        var whole = await ReadAsync<List<CirculatedListItem>>(await police.GetAsync("/api/circulated-records"));
        Assert.Equal(expected, whole.Select(r => r.MeetingId));

        // The oldest is amended: version 2 brings it to the top of the list, and it is listed once.
        fixture.MoveTo(fixture.Clock.GetUtcNow().AddMinutes(1));
        var amended = held[0];
        var amendment = await fixture.Manager(team).PostAsJsonAsync($"/api/meetings/{amended.Id}/record/amendments", new AmendmentRequest(
            "Health action added after the GP called back", RecordingFixture.Actions(("CDDFT", "GP to share the child's records")).Actions), Json);
        Assert.Equal(2, (await ReadAsync<CirculationResponse>(amendment)).Version);
        var after = (await ListPages.ReadAllAsync<CirculatedListItem>(police, "/api/circulated-records", 2, LatestFirst)).SelectMany(p => p).ToList();
        Assert.Equal([amended.Id, .. expected.Where(id => id != amended.Id)], after.Select(r => r.MeetingId));
        Assert.Equal((2, 1, 0), (after[0].LatestVersion, after[0].ActionCount, after[0].OwnActionCount));

        // An agency that was not invited lists none of them.
        Assert.DoesNotContain(
            await ReadAsync<List<CirculatedListItem>>(await fixture.Spoc("NPS").GetAsync("/api/circulated-records")),
            r => held.Any(m => m.Id == r.MeetingId));
    }

    [Theory]
    [InlineData("/api/circulated-records?pageSize=0", "pageSize")]
    [InlineData("/api/circulated-records?pageSize=201", "pageSize")]
    [InlineData("/api/circulated-records?cursor=not-a-cursor", "cursor")]
    public async Task A_wrong_page_size_or_cursor_is_named(string path, string field)
    {
        await ConveningTests.AssertFieldErrorAsync(await fixture.Spoc("DURHAM-POLICE").GetAsync(path), field);
    }
}
