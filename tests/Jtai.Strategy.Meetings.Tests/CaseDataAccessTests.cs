using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// Who reads case data, and the trail of it: a team's configuration (bridges, manager addresses) for its own managers and
/// administrators only; every refused attempt on case data audited once, by route template; list reads audited with the
/// references they showed.
/// </summary>
public sealed class CaseDataAccessTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    private const string Denials = "SELECT string_agg(detail, '; ' ORDER BY id) FROM meetings.audit_entry WHERE action = 'access.denied' AND actor = @actor";

    private Task<string?> DenialsOfAsync(string actor) => fixture.Database.ScalarAsync<string>(Denials, ("actor", actor));

    [Fact]
    public async Task Another_teams_manager_and_a_spoc_are_refused_team_configuration_and_each_refusal_is_audited_once()
    {
        var team = await fixture.CreateTeamAsync();
        var other = await fixture.CreateTeamAsync();
        var otherManager = fixture.Host.ClientAs(JtaiRoles.TeamManager, team: other, subject: "manager-of-" + other);
        var spoc = fixture.Host.ClientAs(JtaiRoles.Spoc, agency: "DURHAM-POLICE", subject: "spoc-reading-" + team);

        await RespondingTests.AssertProblemAsync(await otherManager.GetAsync($"/api/teams/{team}"), HttpStatusCode.Forbidden, "Forbidden");
        // A team that does not exist is refused alike: a guessed code reveals nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync("/api/teams/FF-NO-SUCH-TEAM")).StatusCode);
        await RespondingTests.AssertProblemAsync(await spoc.GetAsync($"/api/teams/{team}"), HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(HttpStatusCode.Forbidden, (await spoc.GetAsync("/api/teams")).StatusCode);

        // The team's own manager and an administrator read it, bridges and all.
        var own = await ReadAsync<TeamResponse>(await fixture.Manager(team).GetAsync($"/api/teams/{team}"));
        Assert.Single(own.Bridges);
        var listed = await ReadAsync<List<TeamResponse>>(await otherManager.GetAsync("/api/teams"));
        Assert.Equal([other], listed.Select(t => t.Code));
        var all = await ReadAsync<List<TeamResponse>>(await fixture.Host.ClientAs(JtaiRoles.Administrator).GetAsync("/api/teams"));
        Assert.Contains(all, t => t.Code == team);
        Assert.Contains(all, t => t.Code == other);

        // One row per refused request: actor, method, route template (never the raw path or the code asked for), status.
        await Eventually.TrueAsync(async () => await DenialsOfAsync("manager-of-" + other) is { } d && d.Split("; ").Length == 2, because: "both refusals are audited");
        Assert.Equal("GET /api/teams/{code} 403; GET /api/teams/{code} 403", await DenialsOfAsync("manager-of-" + other));
        await Eventually.TrueAsync(async () => await DenialsOfAsync("spoc-reading-" + team) is { } d && d.Split("; ").Length == 2, because: "both refusals are audited");
        Assert.Equal("GET /api/teams/{code} 403; GET /api/teams/ 403", await DenialsOfAsync("spoc-reading-" + team));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE action = 'access.denied' AND (detail LIKE @team OR detail LIKE '%FF-NO-SUCH-TEAM%')", ("team", "%" + team + "%")));
    }

    [Fact]
    public async Task Refusals_by_the_endpoint_and_unauthenticated_attempts_are_audited_and_successful_reads_are_not_refusals()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team);
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, meeting.Invitations.Count);
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        var health = fixture.Host.ClientAs(JtaiRoles.Spoc, agency: "CDDFT", subject: "spoc-health-" + team);
        var stranger = fixture.Host.ClientAs(JtaiRoles.TeamManager, team: "FF-ELSEWHERE", subject: "manager-elsewhere-" + team);

        Assert.Equal(HttpStatusCode.Forbidden, (await health.GetAsync($"/api/invitations/{police.InvitationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/meetings/{meeting.Id}/board")).StatusCode);
        var anonymous = fixture.Host.AnonymousClient();
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.audit_entry WHERE action = 'access.denied' AND actor = 'anonymous' AND detail = 'GET /api/meetings/{id:guid} 401'");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/meetings/{meeting.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Manager(team).GetAsync($"/api/meetings/{meeting.Id}")).StatusCode);

        await Eventually.TrueAsync(async () => await DenialsOfAsync("spoc-health-" + team) is not null && await DenialsOfAsync("manager-elsewhere-" + team) is not null,
            because: "the refusals are audited");
        Assert.Equal("GET /api/invitations/{id:guid} 403", await DenialsOfAsync("spoc-health-" + team));
        Assert.Equal("GET /api/meetings/{id:guid}/board 403", await DenialsOfAsync("manager-elsewhere-" + team));
        await Eventually.TrueAsync(
            async () => await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.audit_entry WHERE action = 'access.denied' AND actor = 'anonymous' AND detail = 'GET /api/meetings/{id:guid} 401'") == before + 1,
            because: "the unauthenticated attempt is audited");
        Assert.Null(await DenialsOfAsync("manager-" + team));

        // The answer-by-link endpoints are not refusals: a stranger's ill-signed token is a 400, and writes nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/respond/guessed.token")).StatusCode);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.audit_entry WHERE detail LIKE '%/respond/%'"));
    }

    [Fact]
    public async Task List_reads_record_the_references_they_showed()
    {
        var team = await fixture.CreateTeamAsync();
        var first = await fixture.ConveneAsync(team);
        var second = await fixture.ConveneAsync(team, fixture.ConveneRequest(fixture.Clock.GetUtcNow().AddHours(5)));
        await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == second.Id, second.Invitations.Count);
        var decision = await ReadAsync<DecisionNotToConveneResponse>(await fixture.Manager(team).PostAsJsonAsync("/api/decisions-not-to-convene", new DecisionNotToConveneRequest(
            null, "LL-2026-9002", ConcernCategory.Neglect, NotConveneReason.EarlyHelpOffered, null, fixture.Clock.GetUtcNow().AddMinutes(-5)), Json));

        var spocSubject = "spoc-listing-" + team;
        var invitations = await ReadAsync<List<SpocInvitationResponse>>(
            await fixture.Host.ClientAs(JtaiRoles.Spoc, agency: "DURHAM-POLICE", subject: spocSubject).GetAsync("/api/invitations"));
        var decisions = await ReadAsync<List<DecisionNotToConveneResponse>>(await fixture.Manager(team).GetAsync("/api/decisions-not-to-convene"));
        var meetings = await ReadAsync<List<MeetingListItem>>(await fixture.Manager(team).GetAsync("/api/meetings"));

        const string Detail = "SELECT detail FROM meetings.audit_entry WHERE action = @action AND actor = @actor ORDER BY id DESC LIMIT 1";
        var invitationsRead = await fixture.Database.ScalarAsync<string>(Detail, ("action", "invitations.listed"), ("actor", spocSubject));
        Assert.Equal(
            $"agency DURHAM-POLICE: {invitations.Count} invitations: {string.Join(", ", invitations.Select(i => i.MeetingReference))}",
            invitationsRead);
        Assert.Contains(first.Reference, invitationsRead, StringComparison.Ordinal);
        Assert.Contains(second.Reference, invitationsRead, StringComparison.Ordinal);

        Assert.Equal([decision.Id], decisions.Select(d => d.Id));
        Assert.Equal(
            $"team {team}: 1 decisions: {decision.Id}",
            await fixture.Database.ScalarAsync<string>(Detail, ("action", "decisions-not-to-convene.listed"), ("actor", "manager-" + team)));
        Assert.Equal(
            $"team {team}: 2 meetings: {first.Reference}, {second.Reference}",
            await fixture.Database.ScalarAsync<string>(Detail, ("action", "meetings.listed"), ("actor", "manager-" + team)));
        Assert.Equal([first.Reference, second.Reference], meetings.Select(m => m.Reference));
    }
}
