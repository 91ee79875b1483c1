using System.Net;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// The lists page on the real database: more rows than one page, each row exactly once in the stated order (scheduled
/// start, then id), the paging in headers beside the unchanged array, and a meeting convened later is on a page.
/// (Its own fixture, so the police SPOC's list holds this class's meetings only.)
/// </summary>
public sealed class ListPagingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task A_teams_meetings_and_a_spocs_invitations_page_each_row_exactly_once_in_the_stated_order()
    {
        var team = await fixture.CreateTeamAsync(bridges: 3);
        var now = fixture.Clock.GetUtcNow();
        // Three at the same start (the id breaks the tie), then two and two.
        var starts = new[] { 2, 2, 2, 4, 4, 6, 6 }.Select(h => now.AddHours(h)).ToList();
        var convened = new List<MeetingResponse>();
        foreach (var start in starts)
        {
            convened.Add(await fixture.ConveneAsync(team, fixture.ConveneRequest(start)));
        }

        var manager = fixture.Manager(team);
        var meetingPages = await ListPages.ReadAllAsync<MeetingListItem>(manager, "/api/meetings", 3);
        Assert.Equal([3, 3, 1], meetingPages.Select(p => p.Count));
        var meetings = meetingPages.SelectMany(p => p).ToList();
        var expected = convened.OrderBy(m => m.ScheduledStart).ThenBy(m => ListPages.IdOrder(m.Id), StringComparer.Ordinal).Select(m => m.Id).ToList();
        Assert.Equal(expected, meetings.Select(m => m.Id));

        // One page of all of them, as a caller that never pages reads it: the same order.
        var whole = await ReadAsync<List<MeetingListItem>>(await manager.GetAsync("/api/meetings"));
        Assert.Equal(expected, whole.Select(m => m.Id));

        var police = fixture.Spoc("DURHAM-POLICE");
        var invitationPages = await ListPages.ReadAllAsync<SpocInvitationResponse>(police, "/api/invitations", 2);
        Assert.Equal([2, 2, 2, 1], invitationPages.Select(p => p.Count));
        var invitations = invitationPages.SelectMany(p => p).ToList();
        Assert.Equal(convened.Count, invitations.Select(i => i.InvitationId).Distinct().Count());
        Assert.Equal(
            invitations.OrderBy(i => i.ScheduledStart).ThenBy(i => ListPages.IdOrder(i.InvitationId), StringComparer.Ordinal).Select(i => i.InvitationId),
            invitations.Select(i => i.InvitationId));
        Assert.Equal(convened.Select(m => m.Reference).Order(StringComparer.Ordinal), invitations.Select(i => i.MeetingReference).Order(StringComparer.Ordinal));

        // The newest invitation is not lost behind a cap: convened later (and sooner than most), it is on a page.
        var newest = await fixture.ConveneAsync(team, fixture.ConveneRequest(now.AddHours(3)));
        var again = (await ListPages.ReadAllAsync<SpocInvitationResponse>(police, "/api/invitations", 2)).SelectMany(p => p).ToList();
        Assert.Equal(convened.Count + 1, again.Count);
        Assert.Single(again, i => i.MeetingReference == newest.Reference);
        Assert.Equal(meetings.Count + 1, (await ListPages.ReadAllAsync<MeetingListItem>(manager, "/api/meetings", 3)).Sum(p => p.Count));
    }

    [Theory]
    [InlineData("/api/meetings?pageSize=0", "pageSize")]
    [InlineData("/api/meetings?pageSize=201", "pageSize")]
    [InlineData("/api/meetings?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/invitations?pageSize=0", "pageSize")]
    [InlineData("/api/invitations?cursor=bm90fGE", "cursor")]
    public async Task A_wrong_page_size_or_cursor_is_named(string path, string field)
    {
        var client = path.StartsWith("/api/meetings", StringComparison.Ordinal) ? fixture.Manager("FF-PAGING") : fixture.Spoc("DURHAM-POLICE");
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ConveningTests.AssertFieldErrorAsync(response, field);
    }
}
