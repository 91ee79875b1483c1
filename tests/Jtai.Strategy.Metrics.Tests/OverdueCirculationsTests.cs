using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Metrics.Apis;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>Which meetings are overdue, not only how many: the list through the metrics API, on the real broker and database.</summary>
public sealed class OverdueCirculationsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // A: longest overdue, warned, three daily notices (the second published twice under two message ids: counted once).
    private static readonly OversightMeeting A = new("SM-2026-000001", "TA", new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.Zero));

    // B and C: the same deadline, ordered by reference.
    private static readonly OversightMeeting B = new("SM-2026-000002", "TB", new DateTimeOffset(2026, 3, 7, 9, 0, 0, TimeSpan.Zero));
    private static readonly OversightMeeting C = new("SM-2026-000003", "TA", new DateTimeOffset(2026, 3, 7, 9, 0, 0, TimeSpan.Zero));

    // Not open: circulated late, cancelled, only warned.
    private static readonly OversightMeeting D = new("SM-2026-000004", "TA", new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.Zero));
    private static readonly OversightMeeting E = new("SM-2026-000005", "TB", new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.Zero));
    private static readonly OversightMeeting F = new("SM-2026-000006", "TA", new DateTimeOffset(2026, 3, 9, 20, 0, 0, TimeSpan.Zero));

    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;
    private ServiceHost<MetricsService> host = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
        host = await MetricsHost.StartAsync(database, broker, new ManualClock(Now));
        ScriptedEvent[] events =
        [
            A.Held(), A.Warning(), A.Overdue(0), A.Overdue(1), A.Overdue(1), A.Overdue(2),
            B.Held(), B.Overdue(0),
            C.Held(), C.Warning(), C.Overdue(0),
            D.Held(), D.Warning(), D.Overdue(0), D.Circulated(D.Deadline.AddHours(3)),
            E.Held(), E.Overdue(0), E.Cancelled(E.Deadline.AddHours(1)),
            F.Held(), F.Warning(),
        ];
        await host.PublishAsync(events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == events.Length, because: "every event is projected");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task The_masdg_sees_each_open_overdue_circulation_longest_first_paged_by_cursor()
    {
        using var masdg = host.ClientAs(JtaiRoles.Masdg);

        var first = await PageAsync(masdg, "pageSize=2");
        Assert.Equal(Now, first.AsOf);
        Assert.Equal(
            [("SM-2026-000001", "TA", A.Deadline, 74.0, 4), ("SM-2026-000002", "TB", B.Deadline, 51.0, 1)],
            first.Items.Select(o => (o.MeetingReference, o.TeamCode, o.Deadline, o.HoursOverdue, o.NoticesSent)));
        Assert.True(first.HasMore);

        var second = await PageAsync(masdg, $"pageSize=2&cursor={first.NextCursor}");
        Assert.Equal([("SM-2026-000003", "TA", C.Deadline, 51.0, 2)], second.Items.Select(o => (o.MeetingReference, o.TeamCode, o.Deadline, o.HoursOverdue, o.NoticesSent)));
        Assert.False(second.HasMore);
        Assert.Null(second.NextCursor);

        var all = await PageAsync(masdg, string.Empty);
        Assert.Equal(["SM-2026-000001", "SM-2026-000002", "SM-2026-000003"], all.Items.Select(o => o.MeetingReference));
        Assert.Equal(["SM-2026-000001", "SM-2026-000003"], (await PageAsync(masdg, "team=TA")).Items.Select(o => o.MeetingReference));
        Assert.Equal(["SM-2026-000002"], (await PageAsync(host.ClientAs(JtaiRoles.Administrator), "team=TB")).Items.Select(o => o.MeetingReference));
    }

    [Fact]
    public async Task A_team_manager_sees_their_own_team_only_and_a_spoc_nothing()
    {
        using var manager = host.ClientAs(JtaiRoles.TeamManager, team: "TA");
        Assert.Equal(["SM-2026-000001", "SM-2026-000003"], (await PageAsync(manager, string.Empty)).Items.Select(o => o.MeetingReference));
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/metrics/overdue-circulations?team=TB")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/metrics/overdue-circulations.csv?team=TB")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.ClientAs(JtaiRoles.TeamManager).GetAsync("/api/metrics/overdue-circulations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.ClientAs(JtaiRoles.Spoc, agency: "DURHAM-POLICE").GetAsync("/api/metrics/overdue-circulations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.AnonymousClient().GetAsync("/api/metrics/overdue-circulations")).StatusCode);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task A_wrong_page_size_or_cursor_is_named(string query, string field)
    {
        var response = await host.ClientAs(JtaiRoles.Masdg).GetAsync("/api/metrics/overdue-circulations?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_list_exports_as_csv()
    {
        var response = await host.ClientAs(JtaiRoles.Masdg).GetAsync("/api/metrics/overdue-circulations.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "meeting_reference,team_code,deadline,hours_overdue,notices_sent\r\n"
            + "SM-2026-000001,TA,2026-03-07T10:00:00Z,74.0,4\r\n"
            + "SM-2026-000002,TB,2026-03-08T09:00:00Z,51.0,1\r\n"
            + "SM-2026-000003,TA,2026-03-08T09:00:00Z,51.0,2\r\n",
            await response.Content.ReadAsStringAsync());
    }

    private static async Task<OverdueCirculationsPage> PageAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/metrics/overdue-circulations?" + query);
        Assert.True(response.IsSuccessStatusCode, $"GET overdue-circulations?{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<OverdueCirculationsPage>(MetricsHost.Json))!;
    }
}
