using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// A team manager's notices as this service sent them, over real HTTP on the real host and database: one row per notice
/// (however many managers it went to) with its deliveries, newest first, paged by cursor; the token's team only.
/// </summary>
public sealed class ManagerNoticesApiTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static ManagerNoticeDue Notice(string team, string kind, NoticeFacts facts, DateTimeOffset at) => new(
        Guid.NewGuid(), Guid.NewGuid(), "SM-2026-" + Random.Shared.Next(100000, 999999), team, kind,
        [new NoticeRecipient("Team Manager", TestMeeting.Address("manager", "durham.example.gov.uk")), new NoticeRecipient(null, TestMeeting.Address("convener", "durham.example.gov.uk"))],
        new Uri("https://strategy.example.gov.uk/api/meetings/" + Guid.NewGuid()), facts, at);

    private static async Task<JsonElement> PageAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/manager-notices" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    [Fact]
    public async Task A_manager_pages_through_the_teams_notices_newest_first_one_row_per_notice_and_sees_no_other_teams()
    {
        var team = "FF-N" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var other = "FF-N" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var now = DateTimeOffset.UtcNow;
        var warning = Notice(team, ManagerNoticeKinds.CirculationWarning, new NoticeFacts(CirculationDeadline: now.AddHours(4)), now);
        var overdue = Notice(team, ManagerNoticeKinds.CirculationOverdue, new NoticeFacts(CirculationDeadline: now.AddHours(-2), HoursOverdue: 2, Repeat: 0), now);
        var noRecipient = Notice(team, ManagerNoticeKinds.NoRecipientLeft, new NoticeFacts(AgencyCode: "CDDFT", AgencyName: "County Durham and Darlington NHS Foundation Trust", RanksTried: [0, 1]), now);
        var elsewhere = Notice(other, ManagerNoticeKinds.CirculationWarning, new NoticeFacts(CirculationDeadline: now.AddHours(4)), now);
        foreach (var notice in new[] { warning, overdue, noRecipient, elsewhere })
        {
            await fixture.Meetings.PublishAsync(notice);
        }

        var manager = fixture.Host.ClientAs(JtaiRoles.TeamManager, team: team);
        var whole = await Eventually.GetAsync(
            () => PageAsync(manager),
            p => p.GetProperty("items").GetArrayLength() == 3 && p.GetProperty("items").EnumerateArray().All(n => n.GetProperty("sent").GetInt32() == 2),
            TimeSpan.FromSeconds(30));
        Assert.Equal("createdAt desc, noticeId desc", whole.GetProperty("order").GetString());
        Assert.False(whole.GetProperty("hasMore").GetBoolean());
        var items = whole.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, n => Assert.Equal((2, 0), (n.GetProperty("recipients").GetInt32(), n.GetProperty("failed").GetInt32())));
        Assert.Equal(
            new[] { warning, overdue, noRecipient }.Select(n => n.MeetingReference).Order(StringComparer.Ordinal),
            items.Select(n => n.GetProperty("meetingReference").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("CDDFT", items.Single(n => n.GetProperty("kind").GetString() == ManagerNoticeKinds.NoRecipientLeft).GetProperty("agencyCode").GetString());
        var times = items.Select(n => n.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.DoesNotContain(items, n => n.GetProperty("meetingReference").GetString() == elsewhere.MeetingReference);

        // Two a page: the first says more exist, the second (by its cursor) holds the third, and no notice twice.
        var first = await PageAsync(manager, "?pageSize=2");
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        var second = await PageAsync(manager, "?pageSize=2&cursor=" + first.GetProperty("nextCursor").GetString());
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(
            items.Select(n => n.GetProperty("noticeId").GetGuid()),
            first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(n => n.GetProperty("noticeId").GetGuid()));

        // The other team's manager sees its own notice only.
        var theirs = await Eventually.GetAsync(() => PageAsync(fixture.Host.ClientAs(JtaiRoles.TeamManager, team: other)), p => p.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(elsewhere.MeetingReference, theirs.GetProperty("items")[0].GetProperty("meetingReference").GetString());
    }

    [Fact]
    public async Task Only_a_team_manager_with_a_team_reads_notices_and_a_wrong_page_size_or_cursor_is_named()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Host.AnonymousClient().GetAsync("/api/manager-notices")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.ClientAs(JtaiRoles.Spoc, agency: "DURHAM-POLICE").GetAsync("/api/manager-notices")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.ClientAs(JtaiRoles.Masdg).GetAsync("/api/manager-notices")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.ClientAs(JtaiRoles.TeamManager).GetAsync("/api/manager-notices")).StatusCode);

        var manager = fixture.Host.ClientAs(JtaiRoles.TeamManager, team: "FF-EASINGTON");
        foreach (var (query, field) in new[] { ("?pageSize=0", "pageSize"), ("?pageSize=201", "pageSize"), ("?cursor=not-a-cursor", "cursor") })
        {
            var response = await manager.GetAsync("/api/manager-notices" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query} names {field}");
        }
    }

    [Fact]
    public async Task The_teams_notices_are_read_through_the_index_on_the_team()
    {
        // The planner is told to avoid a sequential scan: with the index on the team (migration 0005) it reads the
        // team's notices through it; without it, it has nothing else and scans the table anyway.
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using (var avoidScans = new Npgsql.NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await avoidScans.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand(
            "EXPLAIN SELECT source_message_id, min(created_at) FROM notifications.delivery WHERE team_code = @team AND kind = ANY(@kinds) GROUP BY source_message_id ORDER BY 2 DESC",
            connection);
        explain.Parameters.AddWithValue("team", "FF-EASINGTON");
        explain.Parameters.AddWithValue("kinds", ManagerNoticeKinds.All.ToArray());
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ix_delivery_team_kind", StringComparison.Ordinal));
    }
}
