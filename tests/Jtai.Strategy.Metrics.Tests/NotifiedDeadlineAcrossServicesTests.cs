using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Metrics.Apis;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// Issue #10, part 5, end to end: the meetings service records a meeting and its overdue notice fires (one manual clock
/// for both services, real deadlines, broker and databases); the manager then moves the end time later, with a reason,
/// and circulates within 24 hours of the corrected end but after the notified deadline. Metrics listed the meeting as
/// overdue while it was open, against the notified deadline, and counts the circulation late.
/// </summary>
public sealed class NotifiedDeadlineAcrossServicesTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly AgencySnapshot[] Agencies =
    [
        new("DCC-CSC", "Durham County Council Children's Services", AgencyKind.SocialCare, true, 1),
        new("CDDFT", "County Durham & Darlington NHS FT", AgencyKind.Health, true, 1),
        new("DURHAM-POLICE", "Durham Constabulary", AgencyKind.Police, true, 1),
    ];

    private PostgresDatabase metricsDatabase = null!;
    private PostgresDatabase meetingsDatabase = null!;
    private RabbitMqVirtualHost broker = null!;

    public async Task InitializeAsync()
    {
        metricsDatabase = await PostgresDatabase.CreateAsync();
        meetingsDatabase = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        await meetingsDatabase.DisposeAsync();
        await metricsDatabase.DisposeAsync();
    }

    [Fact]
    public async Task Moving_the_end_time_after_the_overdue_notice_leaves_the_meeting_listed_against_the_notified_deadline_and_counted_late()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var metrics = await MetricsHost.StartAsync(metricsDatabase, broker, clock);
        await using var meetings = new ServiceHost<MeetingsService>(meetingsDatabase, broker, new Dictionary<string, string?>
        {
            ["Deadlines:PollInterval"] = "00:00:00.100",
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:ResponseLinkKey"] = "TEST-ONLY-meetings-response-link-key-0123456789abcdef",
        }, services => services.AddSingleton<TimeProvider>(clock));
        await meetings.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, Timeout);
        var team = await AnnounceDirectoryAndCreateTeamAsync(metrics, meetings);
        var manager = meetings.ClientAs(JtaiRoles.TeamManager, team: team);
        using var masdg = metrics.ClientAs(JtaiRoles.Masdg);

        // Convened, held and recorded: the deadline is 24 hours after the recorded end.
        var now = clock.GetUtcNow();
        var convene = await manager.PostAsJsonAsync("/api/meetings", new ConveneRequest(
            null, "LL-2026-4471", ConcernCategory.DomesticAbuse, now.AddHours(-6), now.AddMinutes(-30), ThresholdReason.RepeatIncidentsCumulativeRisk,
            "Third police call-out to the household in four weeks.", now.AddHours(3), 60, null, null,
            new CaseFactsRequest(ChildAgeBand.FiveToTen, false, false, false, null, null), null, null), MetricsHost.Json);
        Assert.True(convene.IsSuccessStatusCode, await convene.Content.ReadAsStringAsync());
        var meeting = (await convene.Content.ReadFromJsonAsync<MeetingResponse>(MetricsHost.Json))!;
        clock.Set(meeting.ScheduledEnd.AddMinutes(15));
        var request = new RecordMeetingRequest(
            meeting.ScheduledStart.AddMinutes(2), meeting.ScheduledStart.AddMinutes(50), "Alex Chair", "DCC-CSC",
            meeting.Agencies.Where(a => a.Invited).Select(a => new AttendanceRequest(a.AgencyCode, AttendanceMode.AttendedInPerson, null)).ToList(),
            null, null, false, null, "Mother and child to stay with maternal grandmother tonight.", "Mother told by the social worker.",
            ChildViews.Recorded, "Wants to stay at her school.");
        var recorded = await manager.PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", request, MetricsHost.Json);
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        var end = request.ActualEnd!.Value;
        var notified = end.AddHours(24);

        // The warning, then the overdue notice, each at its time; the MASDG's list shows the meeting once metrics has both.
        clock.Set(end.AddHours(20));
        await Eventually.TrueAsync(async () => await LoggedAsync<ActionCirculationWarning>(meeting.Id) == 1, Timeout, "the warning reaches metrics");
        clock.Set(notified);
        await Eventually.TrueAsync(async () => await LoggedAsync<ActionCirculationOverdue>(meeting.Id) == 1, Timeout, "the overdue notice reaches metrics");
        clock.Set(end.AddHours(26));
        var listed = Assert.Single((await ListAsync(masdg)).Items);
        Assert.Equal((meeting.Reference, team, notified, 2.0, 2), (listed.MeetingReference, listed.TeamCode, listed.Deadline, listed.HoursOverdue, listed.NoticesSent));

        // The manager moves the end three hours later, with the reason; the deadline stays the one notified.
        var corrected = await manager.PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", request with
        {
            ActualEnd = end.AddHours(3),
            EndCorrectionReason = "The meeting was adjourned and resumed; the minutes show it ended three hours later.",
        }, MetricsHost.Json);
        Assert.True(corrected.IsSuccessStatusCode, await corrected.Content.ReadAsStringAsync());
        Assert.Equal(notified, (await corrected.Content.ReadFromJsonAsync<MeetingRecordResponse>(MetricsHost.Json))!.CirculationDeadline);
        await Eventually.TrueAsync(async () => await LoggedAsync<MeetingHeld>(meeting.Id) == 2, Timeout, "the corrected record reaches metrics");
        listed = Assert.Single((await ListAsync(masdg)).Items);
        Assert.Equal((meeting.Reference, notified, 2.0), (listed.MeetingReference, listed.Deadline, listed.HoursOverdue));

        // Circulated 26 hours after the first end: within 24 hours of the corrected end, two hours after the notified deadline.
        var circulated = await manager.PostAsync($"/api/meetings/{meeting.Id}/record/circulations", null);
        Assert.True(circulated.IsSuccessStatusCode, await circulated.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => (await ListAsync(masdg)).Items.Count == 0, Timeout, "the circulation closes the overdue entry");

        var day = DateOnly.FromDateTime(notified.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var figures = await metrics.FiguresAsync($"period={day}&by=team");
        var onTime = Assert.Single(figures.Figures, f => f.Key == MetricKeys.CirculatedOnTime && f.TeamCode == team);
        Assert.Equal((0L, 1L), (onTime.Numerator, onTime.Denominator));
        Assert.Equal(1L, await meetingsDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND action = 'meeting.record.end-corrected-after-notice'", ("id", meeting.Id)));
    }

    private Task<long> LoggedAsync<T>(Guid meetingId) => metricsDatabase.ScalarAsync<long>(
        "SELECT count(*) FROM metrics.event_log WHERE meeting_id = @id AND message_type = @type",
        ("id", meetingId), ("type", BuildingBlocks.Outbox.MessageTypeRegistry.Known.UrnOf(typeof(T))));

    private static async Task<OverdueCirculationsPage> ListAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<OverdueCirculationsPage>("/api/metrics/overdue-circulations", MetricsHost.Json))!;

    /// <summary>The directory, announced on the broker as the directory service would, and a team with a bridge.</summary>
    private async Task<string> AnnounceDirectoryAndCreateTeamAsync(ServiceHost<MetricsService> metrics, ServiceHost<MeetingsService> meetings)
    {
        var bus = metrics.Services.GetRequiredService<IBus>();
        foreach (var agency in Agencies)
        {
            await bus.Publish(new AgencyRegistered(agency, DateTimeOffset.UtcNow));
        }

        foreach (var agency in Agencies)
        {
            await bus.Publish(new SpocAssigned(new SpocSnapshot(Guid.NewGuid(), agency.Code, null, $"Primary {agency.Code}", 0, $"primary.{agency.Code.ToLowerInvariant()}@spoc.example", null, true, [], 1), DateTimeOffset.UtcNow));
        }

        await Eventually.TrueAsync(async () => await meetingsDatabase.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica") == Agencies.Length, Timeout);
        var team = "FF-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var admin = meetings.ClientAs(JtaiRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/teams", new TeamRequest(team, $"Families First {team}", null, false, null), MetricsHost.Json)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/teams/{team}/bridges", new BridgeRequest("Bridge 1", "0191 555 0001", "4455661"), MetricsHost.Json)).EnsureSuccessStatusCode();
        return team;
    }
}
