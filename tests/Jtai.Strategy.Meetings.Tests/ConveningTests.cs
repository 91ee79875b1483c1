using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>Convening on the real database and broker, with the replica filled from directory events only.</summary>
public sealed class ConveningTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task Convening_issues_one_invitation_per_invited_agency_with_the_meetings_unique_pin_and_a_free_bridge()
    {
        var team = await fixture.CreateTeamAsync(bridges: 2);
        var first = await fixture.ConveneAsync(team);
        var second = await fixture.ConveneAsync(team); // same time: needs the team's other bridge

        Assert.Matches(@"^SM-2026-\d{6}$", first.Reference);
        Assert.NotEqual(first.Reference, second.Reference);
        Assert.Matches(@"^\d{8}$", first.Pin);
        Assert.NotEqual(first.Pin, second.Pin);
        Assert.NotEqual(first.DialInNumber, second.DialInNumber);
        Assert.Equal(TestDirectory.SchoolAgeDomesticAbuseInvitees, first.Invitations.Select(i => i.AgencyCode).Order(StringComparer.Ordinal));

        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == first.Id, first.Invitations.Count);
        Assert.Equal(first.Invitations.Count, issued.Count);
        Assert.Equal(TestDirectory.SchoolAgeDomesticAbuseInvitees, issued.Select(i => i.AgencyCode).Order(StringComparer.Ordinal));
        Assert.All(issued, message =>
        {
            Assert.Equal(first.Reference, message.MeetingReference);
            Assert.Equal(first.Pin, message.DialIn.Pin);
            Assert.Equal(first.DialInNumber, message.DialIn.Number);
            Assert.Equal(first.ConferenceCode, message.DialIn.ConferenceCode);
            Assert.Equal(first.ScheduledStart, message.Slot.Start);
            Assert.Equal(TestDirectory.Spoc(message.AgencyCode, 0).SpocId, message.Recipient.SpocId);
            Assert.Equal(RecipientRole.Primary, message.Recipient.Role);
            Assert.StartsWith("https://meetings.test/respond/", message.Links.Response.ToString(), StringComparison.Ordinal);
            Assert.Equal(0, message.CalendarSequence);
            Assert.True(message.Links.RespondBy <= first.ScheduledStart);
        });
        Assert.Equal(issued.Count, issued.Select(i => i.Links.Response).Distinct().Count());

        // Nothing about the child leaves the service: no case reference, no threshold text.
        var convened = Assert.Single(await fixture.Probe.WaitForAllAsync<StrategyMeetingConvened>(m => m.MeetingId == first.Id));
        Assert.Equal(TestDirectory.SchoolAgeDomesticAbuseInvitees, convened.InvitedAgencyCodes.Order(StringComparer.Ordinal));
        var raw = JsonSerializer.Serialize(fixture.Probe.All<InvitationIssued>().Where(m => m.MeetingId == first.Id)) + JsonSerializer.Serialize(convened);
        Assert.DoesNotContain("LL-2026-4471", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("police call-out", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bridge_clash_is_refused_naming_the_clash_and_the_next_free_slot()
    {
        var team = await fixture.CreateTeamAsync(bridges: 1);
        var start = fixture.Clock.GetUtcNow().AddHours(3);
        var booked = await fixture.ConveneAsync(team, fixture.ConveneRequest(start, 60));

        var clash = await fixture.Manager(team).PostAsJsonAsync("/api/meetings", fixture.ConveneRequest(start.AddMinutes(30), 45), Json);

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        var problem = await clash.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No free dial-in bridge", problem.GetProperty("title").GetString());
        Assert.Contains(booked.Reference, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(booked.ScheduledEnd, problem.GetProperty("nextFreeStart").GetDateTimeOffset());

        // Back to back is not a clash: the bridge is free from the end of the first meeting.
        var next = await fixture.ConveneAsync(team, fixture.ConveneRequest(booked.ScheduledEnd, 45));
        Assert.Equal(booked.DialInNumber, next.DialInNumber);
    }

    [Fact]
    public async Task A_start_before_the_decision_is_refused_and_one_beyond_the_limit_needs_a_delay_reason_and_is_flagged()
    {
        var team = await fixture.CreateTeamAsync();
        var manager = fixture.Manager(team);
        var request = fixture.ConveneRequest();

        var early = await manager.PostAsJsonAsync("/api/meetings", request with { ScheduledStart = request.DecisionAt!.Value.AddMinutes(-1) }, Json);
        await AssertFieldErrorAsync(early, "scheduledStart");

        var late = request with { ScheduledStart = request.DecisionAt.Value.AddHours(24).AddMinutes(1) };
        await AssertFieldErrorAsync(await manager.PostAsJsonAsync("/api/meetings", late, Json), "delayReason");

        var flagged = await fixture.ConveneAsync(team, late with { DelayReason = DelayReason.PartnerAvailability });
        Assert.True(flagged.ConvenedBeyondLimit);
        Assert.Equal(DelayReason.PartnerAvailability, flagged.DelayReason);
        var convened = Assert.Single(await fixture.Probe.WaitForAllAsync<StrategyMeetingConvened>(m => m.MeetingId == flagged.Id));
        Assert.True(convened.ConvenedBeyondLimit);
        Assert.Equal("PartnerAvailability", convened.DelayReason);

        var onTime = await fixture.ConveneAsync(team, request with { ScheduledStart = request.DecisionAt.Value.AddHours(24).AddMinutes(-60) }); // ends as the flagged one starts
        Assert.False(onTime.ConvenedBeyondLimit);
    }

    [Fact]
    public async Task Removing_a_minimum_agency_needs_a_reason_and_an_agency_without_a_spoc_is_reported_at_once()
    {
        var team = await fixture.CreateTeamAsync();
        var request = fixture.ConveneRequest() with { AddAgencies = ["TEWV", "NPS"] };

        var unexplained = await fixture.Manager(team).PostAsJsonAsync("/api/meetings",
            request with { RemoveAgencies = [new RemoveAgencyRequest("DURHAM-POLICE", null, null)] }, Json);
        await AssertFieldErrorAsync(unexplained, "removeAgencies[0].reason");

        var meeting = await fixture.ConveneAsync(team, request with
        {
            RemoveAgencies = [new RemoveAgencyRequest("DCC-EDUCATION", null, null), new RemoveAgencyRequest("DURHAM-POLICE", RemovalReason.InformationAlreadyShared, null)],
        });

        Assert.Equal(["CDDFT", "DCC-CSC", "HDFT", "NPS"], meeting.Invitations.Select(i => i.AgencyCode).Order(StringComparer.Ordinal));
        var police = Assert.Single(meeting.Agencies, a => a.AgencyCode == "DURHAM-POLICE");
        Assert.False(police.Invited);
        Assert.Equal(AgencySource.Minimum, police.Source);
        Assert.Equal(RemovalReason.InformationAlreadyShared, police.RemovalReason);
        Assert.Equal(["Police"], meeting.MinimumNotCovered); // flagged to the manager, not silent: the requirement's name
        var notInvited = Assert.Single(meeting.NotInvited);
        Assert.Equal("TEWV", notInvited.AgencyCode);
        Assert.Contains("no active SPOC", notInvited.Reason, StringComparison.Ordinal);

        var reported = Assert.Single(await fixture.Probe.WaitForAllAsync<InvitationNotIssued>(m => m.MeetingId == meeting.Id));
        Assert.Equal("TEWV", reported.AgencyCode);
        Assert.Equal(team, reported.TeamCode);
    }

    [Fact]
    public async Task With_the_directory_down_convening_works_from_the_replica_and_follows_cover()
    {
        // No directory service runs in these tests: the replica knows only what was published on the broker.
        // Announce a new agency and its SPOCs now, the primary on leave, then convene.
        var now = fixture.Clock.GetUtcNow();
        var agency = new AgencySnapshot("NYAS-NE", "National Youth Advocacy Service (North East)", AgencyKind.Advocacy, true, 1);
        var primary = new SpocSnapshot(Guid.NewGuid(), agency.Code, null, "Primary Nyas", 0, "primary@nyas.example", null, true, [], 1);
        var deputy = new SpocSnapshot(Guid.NewGuid(), agency.Code, null, "Deputy Nyas", 1, "deputy@nyas.example", null, true, [], 1);
        await fixture.Host.PublishAsync(new SpocAssigned(primary, now)); // before its agency: order must not matter
        await fixture.Host.PublishAsync(new AgencyRegistered(agency, now));
        await fixture.Host.PublishAsync(new SpocAssigned(deputy, now));
        var onLeave = primary with { Covers = [new CoverPeriod(Guid.NewGuid(), now.AddDays(-1), now.AddDays(3), "annual leave")], Version = 2 };
        await fixture.Host.PublishAsync(new SpocCoverChanged(onLeave, now));
        await fixture.Host.PublishAsync(new SpocAssigned(primary, now)); // a stale snapshot arriving late is ignored

        await Eventually.TrueAsync(async () => await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.spoc_replica WHERE agency_code = 'NYAS-NE' AND version = CASE WHEN rank = 0 THEN 2 ELSE 1 END") == 2);
        await Task.Delay(500); // let the stale snapshot be handled too
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("SELECT version FROM meetings.spoc_replica WHERE id = @id", ("id", primary.SpocId)));

        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team, fixture.ConveneRequest() with { AddAgencies = ["NYAS-NE"] });

        var invitation = Assert.Single(meeting.Invitations, i => i.AgencyCode == "NYAS-NE");
        Assert.Equal("Deputy Nyas", invitation.RecipientName);
        Assert.Equal(RecipientRole.DeputyCoveringAbsence, invitation.RecipientRole);
        var issued = Assert.Single(await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id && m.AgencyCode == "NYAS-NE"));
        Assert.Equal(deputy.SpocId, issued.Recipient.SpocId);
        Assert.Equal("deputy@nyas.example", issued.Recipient.Email);
    }

    [Fact]
    public async Task A_replica_that_missed_the_directorys_events_catches_up_from_the_snapshot_it_asks_for_at_start_up()
    {
        // Events published before our queue existed are gone; at start-up the service asks for the whole directory.
        var request = (await fixture.Probe.WaitForAllAsync<DirectorySnapshotRequested>(r => r.Requester == "meetings"))[0];
        var agency = new AgencySnapshot("SNAP-ONLY", "Known only from a snapshot", AgencyKind.Advocacy, true, 3);
        var spoc = new SpocSnapshot(Guid.NewGuid(), agency.Code, null, "Snap Spoc", 0, "snap@spoc.example", null, true, [], 2);

        await fixture.Host.PublishAsync(new DirectorySnapshotPublished(request.RequestId, [agency], [spoc], fixture.Clock.GetUtcNow()));

        await Eventually.TrueAsync(async () => await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.spoc_replica WHERE id = @id AND version = 2", ("id", spoc.SpocId)) == 1);
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team, fixture.ConveneRequest() with { AddAgencies = ["SNAP-ONLY"] });
        Assert.Equal("Snap Spoc", Assert.Single(meeting.Invitations, i => i.AgencyCode == "SNAP-ONLY").RecipientName);
    }

    [Fact]
    public async Task A_decision_not_to_convene_is_recorded_with_its_coded_reason()
    {
        var team = await fixture.CreateTeamAsync();
        var response = await fixture.Manager(team).PostAsJsonAsync("/api/decisions-not-to-convene", new DecisionNotToConveneRequest(
            null, "LL-2026-9001", ConcernCategory.Neglect, NotConveneReason.EarlyHelpOffered, null, fixture.Clock.GetUtcNow().AddMinutes(-5)), Json);
        var decision = await ReadAsync<DecisionNotToConveneResponse>(response);

        var recorded = Assert.Single(await fixture.Probe.WaitForAllAsync<DecisionNotToConveneRecorded>(m => m.DecisionId == decision.Id));
        Assert.Equal(team, recorded.TeamCode);
        Assert.Equal("EarlyHelpOffered", recorded.ReasonCode);
        Assert.Equal("Neglect", recorded.ConcernCategory);

        var missing = await fixture.Manager(team).PostAsJsonAsync("/api/decisions-not-to-convene",
            new DecisionNotToConveneRequest(null, "Jane Smith aged 4", ConcernCategory.Neglect, null, null, null), Json);
        var errors = await AssertFieldErrorAsync(missing, "reason");
        Assert.True(errors.TryGetProperty("caseReference", out _), "a name is not a case reference");
        Assert.True(errors.TryGetProperty("decidedAt", out _));
    }

    [Fact]
    public async Task Managers_act_for_their_own_team_only_and_other_roles_cannot_convene()
    {
        var team = await fixture.CreateTeamAsync();
        var other = await fixture.CreateTeamAsync();
        var meeting = await fixture.ConveneAsync(team);

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Manager(other).GetAsync($"/api/meetings/{meeting.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Manager(other).PostAsJsonAsync("/api/meetings", fixture.ConveneRequest() with { TeamCode = team }, Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Spoc("DCC-CSC").PostAsJsonAsync("/api/meetings", fixture.ConveneRequest(), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Host.AnonymousClient().GetAsync($"/api/meetings/{meeting.Id}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Manager(team).PostAsJsonAsync("/api/teams", new TeamRequest("FF-X1", "x", null, null, null), Json)).StatusCode);
    }

    internal static async Task<JsonElement> AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected a field error on {field}: {problem}");
        return errors;
    }
}

