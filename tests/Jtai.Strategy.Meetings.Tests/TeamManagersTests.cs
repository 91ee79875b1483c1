using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// A team's manager contacts (kept by administrators, validated as SPOC e-mails) and the notices that go to them:
/// below the national minimum at convening, and "record due" when a meeting is never recorded.
/// </summary>
public sealed class TeamManagersTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task An_administrator_keeps_the_managers_and_only_administrators_and_the_teams_own_managers_see_them()
    {
        var team = await fixture.CreateTeamAsync();
        var other = await fixture.CreateTeamAsync();
        var admin = fixture.Host.ClientAs(JtaiRoles.Administrator, subject: "admin-1");

        var added = await admin.PostAsJsonAsync($"/api/teams/{team}/managers", new TeamManagerRequest("  Pat.Manager@Durham.example.gov.uk ", " Pat Manager "), Json);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var shown = await ReadAsync<TeamResponse>(added);
        Assert.Equal([new TeamManagerResponse("pat.manager@durham.example.gov.uk", "Pat Manager", fixture.Clock.GetUtcNow())], shown.Managers);
        Assert.Equal(1, shown.ManagersVersion);
        await ReadAsync<TeamResponse>(await admin.PostAsJsonAsync($"/api/teams/{team}/managers", new TeamManagerRequest("deputy.manager@durham.example.gov.uk", null), Json));

        // The same address twice is a conflict, whatever its case.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/teams/{team}/managers", new TeamManagerRequest("PAT.MANAGER@durham.example.gov.uk", null), Json)).StatusCode);

        var ownManager = await ReadAsync<TeamResponse>(await fixture.Manager(team).GetAsync($"/api/teams/{team}"));
        Assert.Equal(["deputy.manager@durham.example.gov.uk", "pat.manager@durham.example.gov.uk"], ownManager.Managers!.Select(m => m.Email));
        Assert.Equal(2, ownManager.ManagersVersion);
        // Issue 12: another team's configuration is refused outright (it was shown without the manager addresses), and
        // a manager's list holds their own team only (TeamAccessTests checks the refusals are audited).
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Manager(other).GetAsync($"/api/teams/{team}")).StatusCode);
        var listed = await ReadAsync<List<TeamResponse>>(await fixture.Manager(other).GetAsync("/api/teams"));
        Assert.DoesNotContain(listed, t => t.Code == team);
        Assert.Empty(listed.Single(t => t.Code == other).Managers!);

        var removed = await admin.DeleteAsync($"/api/teams/{team}/managers/deputy.manager@durham.example.gov.uk");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var afterRemoval = await ReadAsync<TeamResponse>(removed);
        Assert.Equal(["pat.manager@durham.example.gov.uk"], afterRemoval.Managers!.Select(m => m.Email));
        Assert.Equal(3, afterRemoval.ManagersVersion);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/teams/{team}/managers/deputy.manager@durham.example.gov.uk")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/teams/FF-NO-SUCH-TEAM/managers", new TeamManagerRequest("a@b.example", null), Json)).StatusCode);

        // Each change is audited with the version, never the address.
        var audit = await fixture.Database.ScalarAsync<string>(
            "SELECT string_agg(action || ' ' || actor || ' ' || detail, '; ' ORDER BY id) FROM meetings.audit_entry WHERE detail LIKE @team", ("team", team + ":%"));
        Assert.Equal(
            $"team.manager.added admin-1 {team}: managers version 1; team.manager.added admin-1 {team}: managers version 2; team.manager.removed admin-1 {team}: managers version 3",
            audit);
    }

    [Theory]
    [InlineData(null, new[] { "email is required." })]
    // The directory's rule, unchanged: blank is both missing and not an address.
    [InlineData("   ", new[] { "email is required.", "email is not a valid e-mail address." })]
    [InlineData("not-an-address", new[] { "email is not a valid e-mail address." })]
    [InlineData("two@@durham.example", new[] { "email is not a valid e-mail address." })]
    public async Task A_manager_address_is_validated_as_a_spoc_address_is(string? email, string[] messages)
    {
        var team = await fixture.CreateTeamAsync();
        var response = await fixture.Host.ClientAs(JtaiRoles.Administrator).PostAsJsonAsync($"/api/teams/{team}/managers", new TeamManagerRequest(email, null), Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json))!;
        Assert.Equal(messages, problem.Errors["email"]);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.team_manager WHERE team_code = @t", ("t", team)));
    }

    [Fact]
    public async Task A_name_longer_than_200_characters_is_refused()
    {
        var team = await fixture.CreateTeamAsync();
        var response = await fixture.Host.ClientAs(JtaiRoles.Administrator).PostAsJsonAsync($"/api/teams/{team}/managers", new TeamManagerRequest("a@durham.example", new string('x', 201)), Json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["fullName must be at most 200 characters."], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(Json))!.Errors["fullName"]);
    }

    [Theory]
    [InlineData(JtaiRoles.TeamManager)]
    [InlineData(JtaiRoles.Spoc)]
    [InlineData(JtaiRoles.Masdg)]
    public async Task Only_administrators_change_the_managers(string role)
    {
        var team = await fixture.CreateTeamAsync();
        var client = fixture.Host.ClientAs(role, agency: role == JtaiRoles.Spoc ? "DURHAM-POLICE" : null, team: team);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/teams/{team}/managers", new TeamManagerRequest("x@durham.example", null), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/teams/{team}/managers/x@durham.example")).StatusCode);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.team_manager WHERE team_code = @t", ("t", team)));
    }

    [Fact]
    public async Task Convening_below_the_minimum_notifies_the_managers_and_the_convener_once_each()
    {
        var team = await fixture.CreateTeamAsync();
        await ReadAsync<TeamResponse>(await fixture.Host.ClientAs(JtaiRoles.Administrator).PostAsJsonAsync(
            $"/api/teams/{team}/managers", new TeamManagerRequest("pat.manager@durham.example.gov.uk", "Pat Manager"), Json));
        var convener = fixture.Host.ClientAs(JtaiRoles.TeamManager, team: team, subject: "manager-" + team, email: "Convener@Durham.example.gov.uk");

        var meeting = await ReadAsync<MeetingResponse>(await convener.PostAsJsonAsync("/api/meetings", WithoutPolice(), Json));

        Assert.Equal(["Police"], meeting.MinimumNotCovered);
        Assert.Empty(meeting.NoticesUndeliverable!);
        var notice = await fixture.Probe.WaitForAsync<ManagerNoticeDue>(n => n.MeetingId == meeting.Id);
        Assert.Equal((ManagerNoticeKinds.BelowMinimumAtConvening, meeting.Reference, team), (notice.Kind, notice.MeetingReference, notice.TeamCode));
        Assert.Equal([new NoticeRecipient("Pat Manager", "pat.manager@durham.example.gov.uk"), new NoticeRecipient(null, "Convener@Durham.example.gov.uk")], notice.Recipients);
        Assert.Equal(["Police"], notice.Facts.MinimumNotCovered);
        Assert.Equal(new Uri($"https://meetings.test/api/meetings/{meeting.Id}"), notice.SignInLink);
        Assert.DoesNotContain("LL-2026-4471", System.Text.Json.JsonSerializer.Serialize(notice), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notice_with_nobody_to_go_to_is_shown_on_the_meeting_and_logged_as_a_warning()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await ReadAsync<MeetingResponse>(await fixture.Manager(team).PostAsJsonAsync("/api/meetings", WithoutPolice(), Json));

        Assert.Equal([ManagerNoticeKinds.BelowMinimumAtConvening], meeting.NoticesUndeliverable);
        Assert.Equal([ManagerNoticeKinds.BelowMinimumAtConvening], (await ReadAsync<MeetingResponse>(await fixture.Manager(team).GetAsync($"/api/meetings/{meeting.Id}"))).NoticesUndeliverable);
        var warning = Assert.Single(fixture.Logs.Entries, e => e.Category == typeof(ManagerNotices).FullName && Equals(e.Fields.GetValueOrDefault("MeetingReference"), meeting.Reference));
        Assert.Equal((LogLevel.Warning, team, ManagerNoticeKinds.BelowMinimumAtConvening), (warning.Level, warning.Fields["TeamCode"], warning.Fields["Kind"]));
        await Task.Delay(500);
        Assert.Empty(fixture.Probe.All<ManagerNoticeDue>(n => n.MeetingId == meeting.Id));
    }

    [Fact]
    public async Task A_meeting_never_recorded_is_record_due_once_and_a_cancelled_or_moved_one_only_at_its_current_time()
    {
        var team = await fixture.CreateTeamAsync(bridges: 3);
        await ReadAsync<TeamResponse>(await fixture.Host.ClientAs(JtaiRoles.Administrator).PostAsJsonAsync(
            $"/api/teams/{team}/managers", new TeamManagerRequest("pat.manager@durham.example.gov.uk", null), Json));
        var manager = fixture.Manager(team);
        var start = fixture.Clock.GetUtcNow().AddHours(2);
        var forgotten = await fixture.ConveneAsync(team, fixture.ConveneRequest(start));
        var cancelled = await fixture.ConveneAsync(team, fixture.ConveneRequest(start));
        var moved = await fixture.ConveneAsync(team, fixture.ConveneRequest(start));
        await ReadAsync<MeetingResponse>(await manager.PostAsJsonAsync($"/api/meetings/{cancelled.Id}/cancel", new CancelRequest(CancelReason.DuplicateMeeting, null), Json));
        await ReadAsync<MeetingResponse>(await manager.PostAsJsonAsync($"/api/meetings/{moved.Id}/reschedule",
            new RescheduleRequest(start.AddHours(6), 60, RescheduleReason.PartnerAvailability, null, null, null), Json));

        // A day after the first scheduled end: the forgotten meeting is due; the moved one not yet, the cancelled one never.
        fixture.Clock.Set(forgotten.ScheduledEnd.AddHours(24).AddSeconds(1));
        var overdue = await fixture.Probe.WaitForAsync<MeetingRecordOverdue>(m => m.MeetingId == forgotten.Id);
        Assert.Equal((forgotten.Reference, team, forgotten.ScheduledEnd, forgotten.ScheduledEnd.AddHours(24)), (overdue.MeetingReference, overdue.TeamCode, overdue.ScheduledEnd, overdue.DueAt));
        var notice = await fixture.Probe.WaitForAsync<ManagerNoticeDue>(n => n.MeetingId == forgotten.Id && n.Kind == ManagerNoticeKinds.RecordDue);
        Assert.Equal([new NoticeRecipient(null, "pat.manager@durham.example.gov.uk")], notice.Recipients);
        Assert.Equal((forgotten.ScheduledEnd, forgotten.ScheduledEnd.AddHours(24)), (notice.Facts.ScheduledEnd!.Value, notice.Facts.RecordDueAt!.Value));
        await Task.Delay(1500);
        Assert.Empty(fixture.Probe.All<MeetingRecordOverdue>(m => m.MeetingId == cancelled.Id || m.MeetingId == moved.Id));

        fixture.Clock.Set(start.AddHours(6 + 1 + 24).AddSeconds(1));
        var movedOverdue = await fixture.Probe.WaitForAsync<MeetingRecordOverdue>(m => m.MeetingId == moved.Id);
        Assert.Equal(start.AddHours(7), movedOverdue.ScheduledEnd);
        await Task.Delay(1500);
        Assert.Single(fixture.Probe.All<MeetingRecordOverdue>(m => m.MeetingId == forgotten.Id));
        Assert.Single(fixture.Probe.All<MeetingRecordOverdue>(m => m.MeetingId == moved.Id));
        Assert.Empty(fixture.Probe.All<MeetingRecordOverdue>(m => m.MeetingId == cancelled.Id));
        Assert.Single(fixture.Probe.All<ManagerNoticeDue>(n => n.MeetingId == forgotten.Id && n.Kind == ManagerNoticeKinds.RecordDue));
    }

    private ConveneRequest WithoutPolice() => fixture.ConveneRequest() with
    {
        RemoveAgencies = [new RemoveAgencyRequest("DURHAM-POLICE", RemovalReason.InformationAlreadyShared, null)],
    };
}
