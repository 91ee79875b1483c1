using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// Routing through the replica for a team in an area with SPOCs of its own: when all of them are on
/// cover, the agency-wide SPOCs receive. A fixture of its own, because the test adds to the directory.
/// </summary>
public sealed class AreaRoutingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task An_invitation_for_a_team_whose_only_area_spoc_is_on_cover_goes_to_the_agency_wide_spoc()
    {
        var now = fixture.Clock.GetUtcNow();
        var area = "Area-" + Guid.NewGuid().ToString("N")[..6];
        var areaSpoc = new SpocSnapshot(
            Guid.NewGuid(), "DURHAM-POLICE", area, "Area SPOC DURHAM-POLICE", 0, "area.police@spoc.example", null, true,
            [new CoverPeriod(Guid.NewGuid(), now.AddDays(-1), now.AddDays(7), "annual leave")], 1);
        await fixture.Host.PublishAsync(new SpocAssigned(areaSpoc, now));
        await Eventually.TrueAsync(
            async () => await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica WHERE id = @id", ("id", areaSpoc.SpocId)) == 1,
            because: "the replica consumes the directory's event");

        var team = "FF-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var admin = fixture.Host.ClientAs(JtaiRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/teams", new TeamRequest(team, $"Families First {team}", area, false, null), Json)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/teams/{team}/bridges", new BridgeRequest("Bridge 1", "0191 555 0001", "90001"), Json)).EnsureSuccessStatusCode();

        var meeting = await fixture.ConveneAsync(team, fixture.ConveneRequest(now.AddHours(20)));
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, 5);

        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        Assert.Equal(TestDirectory.Spoc("DURHAM-POLICE", 0).SpocId, police.Recipient.SpocId);
        Assert.Equal(RecipientRole.DeputyCoveringAbsence, police.Recipient.Role);
        Assert.Empty(meeting.NotInvited);

        // An agency with no SPOC for the area is routed agency-wide as before: its primary.
        var health = issued.Single(i => i.AgencyCode == "CDDFT");
        Assert.Equal((TestDirectory.Spoc("CDDFT", 0).SpocId, RecipientRole.Primary), (health.Recipient.SpocId, health.Recipient.Role));
    }
}
