using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>The delivery status the manager's board reads, with its access rules, over real HTTP on the real host.</summary>
public sealed class DeliveriesApiTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_team_manager_sees_each_notice_of_an_invitation_delivered_and_a_rejected_one_failed_with_its_reason()
    {
        var meeting = TestMeeting.New();
        var delivered = meeting.Invite(TestMeeting.Address("board"));
        var rejected = meeting.Invite(TestMeeting.Address("reject.board"), agencyCode: "NPS", agencyName: "National Probation Service");
        var issued = await fixture.Meetings.PublishAsync(delivered);
        var reminded = await fixture.Meetings.PublishAsync(meeting.Remind(delivered));
        await fixture.Meetings.PublishAsync(rejected);
        var manager = fixture.Host.ClientAs(JtaiRoles.TeamManager, team: TestMeeting.TeamCode);

        var board = await Eventually.GetAsync(
            () => manager.GetFromJsonAsync<JsonElement>($"/api/invitations/{delivered.InvitationId}/deliveries", Json),
            b => b.GetProperty("deliveries").EnumerateArray().Count(d => d.GetProperty("status").GetString() == "Sent") == 2,
            TimeSpan.FromSeconds(30));
        Assert.Equal(meeting.Reference, board.GetProperty("meetingReference").GetString());
        var notices = board.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(["invitation", "reminder"], notices.Select(d => d.GetProperty("kind").GetString()).Order());
        // Both sides in Guid order: message ids are time-ordered only in their timestamp bytes, not under Guid.CompareTo.
        Assert.Equal(new[] { issued, reminded }.Order(), notices.Select(d => d.GetProperty("sourceMessageId").GetGuid()).Order());
        Assert.All(notices, d => Assert.Equal(("email", 1, "DURHAM-POLICE"), (d.GetProperty("channel").GetString(), d.GetProperty("attempts").GetInt32(), d.GetProperty("agencyCode").GetString())));
        Assert.All(notices, d => Assert.False(d.TryGetProperty("recipientEmail", out _)));

        var failed = await Eventually.GetAsync(
            () => manager.GetFromJsonAsync<JsonElement>($"/api/invitations/{rejected.InvitationId}/deliveries", Json),
            b => b.GetProperty("deliveries")[0].GetProperty("status").GetString() == "Failed",
            TimeSpan.FromSeconds(30));
        Assert.Contains("550", failed.GetProperty("deliveries")[0].GetProperty("failureReason").GetString());

        var whole = await manager.GetFromJsonAsync<JsonElement>($"/api/meetings/{meeting.MeetingId}/deliveries", Json);
        Assert.Equal(3, whole.GetProperty("deliveries").GetArrayLength());
    }

    [Fact]
    public async Task Only_administrators_and_the_meetings_own_team_manager_may_read_it()
    {
        var meeting = TestMeeting.New();
        var invitation = meeting.Invite(TestMeeting.Address("access"));
        await fixture.Meetings.PublishAsync(invitation);
        var path = $"/api/invitations/{invitation.InvitationId}/deliveries";
        await Eventually.TrueAsync(async () => (await fixture.Host.ClientAs(JtaiRoles.Administrator).GetAsync(path)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, (await fixture.Host.ClientAs(JtaiRoles.TeamManager, team: TestMeeting.TeamCode).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Host.AnonymousClient().GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.ClientAs(JtaiRoles.TeamManager, team: "FF-OTHER").GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.ClientAs(JtaiRoles.TeamManager).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.ClientAs(JtaiRoles.Spoc, agency: "DURHAM-POLICE").GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.ClientAs(JtaiRoles.Masdg).GetAsync(path)).StatusCode);

        var unknown = await fixture.Host.ClientAs(JtaiRoles.Administrator).GetAsync($"/api/invitations/{Guid.NewGuid()}/deliveries");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task Health_and_the_openapi_document_answer_without_sign_in()
    {
        var client = fixture.Host.AnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/invitations/{invitationId}/deliveries", openApi);
        Assert.Contains("/api/meetings/{meetingId}/deliveries", openApi);
    }
}
