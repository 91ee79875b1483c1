using System.Net;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// The teams list and the team names page by code on the real database: each team exactly once in order, the paging in
/// headers beside the unchanged array; the MASDG reads names and codes only (no bridges, no managers' addresses) and
/// not the teams' configuration; a manager's list is still their own team. (Its own fixture, so the teams are this class's.)
/// </summary>
public sealed class TeamsPagingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task The_teams_and_their_names_page_by_code_each_once_and_the_masdg_reads_names_only()
    {
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await fixture.CreateTeamAsync());
        }

        var admin = fixture.Host.ClientAs(JtaiRoles.Administrator);
        var whole = await ReadAsync<List<TeamResponse>>(await admin.GetAsync("/api/teams"));
        var pages = await ListPages.ReadAllAsync<TeamResponse>(admin, "/api/teams", 2, TeamsApi.TeamsOrder);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(2, p.Count));
        var paged = pages.SelectMany(p => p).ToList();
        Assert.Equal(whole.Select(t => t.Code), paged.Select(t => t.Code));
        Assert.Equal(paged.Select(t => t.Code).Order(StringComparer.Ordinal), paged.Select(t => t.Code));
        Assert.Equal(paged.Count, paged.Select(t => t.Code).Distinct().Count());
        Assert.Subset(paged.Select(t => t.Code).ToHashSet(), created.ToHashSet());
        Assert.All(paged.Where(t => created.Contains(t.Code)), t => Assert.Single(t.Bridges));

        var masdg = fixture.Host.ClientAs(JtaiRoles.Masdg, subject: "masdg-paging");
        var names = (await ListPages.ReadAllAsync<TeamNameResponse>(masdg, "/api/team-names", 3, TeamsApi.TeamsOrder)).SelectMany(p => p).ToList();
        Assert.Equal(paged.Select(t => (t.Code, t.Name, t.Active)), names.Select(t => (t.Code, t.Name, t.Active)));
        var body = await (await masdg.GetAsync("/api/team-names")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("bridges", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("managers", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, (await masdg.GetAsync("/api/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await masdg.GetAsync($"/api/teams/{created[0]}")).StatusCode);

        // A manager and a SPOC are not given the names list; a manager's teams list is still their own team.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Manager(created[1]).GetAsync("/api/team-names")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Spoc("DURHAM-POLICE").GetAsync("/api/team-names")).StatusCode);
        var own = await ReadAsync<List<TeamResponse>>(await fixture.Manager(created[1]).GetAsync("/api/teams?pageSize=1"));
        Assert.Equal(created[1], Assert.Single(own).Code);
    }

    [Theory]
    [InlineData("/api/teams?pageSize=0", "pageSize")]
    [InlineData("/api/teams?pageSize=201", "pageSize")]
    [InlineData("/api/teams?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/team-names?cursor=WyJBIiwiQiJd", "cursor")]
    public async Task A_bad_page_size_or_cursor_is_a_400_naming_it(string path, string field)
    {
        var client = path.StartsWith("/api/team-names", StringComparison.Ordinal) ? fixture.Host.ClientAs(JtaiRoles.Masdg) : fixture.Host.ClientAs(JtaiRoles.Administrator);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
