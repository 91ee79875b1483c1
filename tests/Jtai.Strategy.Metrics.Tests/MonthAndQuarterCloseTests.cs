using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Publishing;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// The closes the MASDG receives, month and quarter, on the real servers: at local midnight (Europe/London), not UTC,
/// on both sides of the clock changes, and once only when the service is down as the period ends.
/// </summary>
public sealed class MonthAndQuarterCloseTests : IAsyncLifetime
{
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(30);

    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task March_and_the_first_quarter_close_once_at_London_midnight_after_a_restart_straddling_the_close()
    {
        // Saturday 28 March 2026, the day before the clocks go forward: March ends at 00:00 BST on 1 April = 23:00 UTC on 31 March.
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        var host = await StartAsync(clock);
        // A durable queue: what is published while the test reconnects to it after the restart waits there.
        await PublishedMessages<AttendanceMetricsPublished>.ListenAsync(host.Services, "test-month-quarter-close");
        await host.PublishAsync(ScriptedMonth.Events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == ScriptedMonth.Events.Count, TimeSpan.FromSeconds(60), "every event is projected");
        await Eventually.TrueAsync(async () => await PendingAsync() == "month:2026-03-31T23:30:00Z,quarter:2026-03-31T23:30:00Z", because: "start-up schedules March and Q1 at London midnight plus the delay");

        // Summer time has begun: one minute before the close plus delay, nothing.
        clock.Set(new DateTimeOffset(2026, 3, 31, 23, 29, 0, TimeSpan.Zero));
        await Task.Delay(1000);
        Assert.Equal(0L, await ScheduledPublicationsAsync());

        // The service stops, the close falls due while it is down, and it starts again after.
        await host.DisposeAsync();
        clock.Set(new DateTimeOffset(2026, 3, 31, 23, 31, 0, TimeSpan.Zero));
        host = await StartAsync(clock);
        var listener = await PublishedMessages<AttendanceMetricsPublished>.ListenAsync(host.Services, "test-month-quarter-close");
        await Eventually.TrueAsync(async () => await ScheduledPublicationsAsync() == 2, because: "March and Q1 close after the restart");

        var sent = await Eventually.GetAsync(() => Task.FromResult(listener.Received), r => r.Count >= 2, because: "both closes reach the broker");
        var march = Assert.Single(sent, m => m.PeriodKind == PeriodKinds.Month);
        var first = Assert.Single(sent, m => m.PeriodKind == PeriodKinds.Quarter);
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1)), (march.PeriodStart, march.PeriodEnd));
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 4, 1)), (first.PeriodStart, first.PeriodEnd));
        foreach (var message in sent)
        {
            // The hand-computed March table (ScriptedMonthTests): the quarter holds March only.
            Assert.Contains(message.Figures, f => f is { Key: MetricKeys.InvitationsIssued, AgencyCode: null, TeamCode: null, Numerator: 15, Denominator: 15 });
            Assert.Contains(message.Figures, f => f is { Key: MetricKeys.Attended, AgencyCode: null, TeamCode: null, Numerator: 10, Denominator: 15 });
            Assert.Contains(message.Figures, f => f is { Key: MetricKeys.MeetingsHeld, AgencyCode: null, TeamCode: null, Numerator: 4, Denominator: 4 });
        }

        Assert.Equal("month:2026-04-30T23:30:00Z,quarter:2026-06-30T23:30:00Z", await PendingAsync());

        // Another restart, well after the close: nothing is published twice.
        await host.DisposeAsync();
        clock.Set(new DateTimeOffset(2026, 4, 2, 9, 0, 0, TimeSpan.Zero));
        host = await StartAsync(clock);
        await Task.Delay(1500);
        Assert.Equal(2L, await ScheduledPublicationsAsync());
        Assert.Equal("month:2026-04-30T23:30:00Z,quarter:2026-06-30T23:30:00Z", await PendingAsync());
        await host.DisposeAsync();
    }

    [Fact]
    public async Task The_third_quarter_closes_at_midnight_summer_time_and_October_at_midnight_winter_time()
    {
        // Held 30 September 23:30 BST (22:30 UTC): September and Q3. Held 1 October 00:10 BST (30 September 23:10 UTC): October and Q4.
        var lateSeptember = new OversightMeeting("SM-2026-000901", "FF-NORTH", new DateTimeOffset(2026, 9, 30, 23, 30, 0, TimeSpan.Zero));
        var earlyOctober = new OversightMeeting("SM-2026-000902", "FF-NORTH", new DateTimeOffset(2026, 10, 1, 0, 10, 0, TimeSpan.Zero));

        // The clocks go back on Sunday 25 October: October ends at 00:00 GMT = 00:00 UTC on 1 November.
        // Held 31 October 23:40 GMT: October. Held 1 November 00:20 GMT: November.
        var lateOctober = new OversightMeeting("SM-2026-000903", "FF-SOUTH", new DateTimeOffset(2026, 11, 1, 0, 40, 0, TimeSpan.Zero));
        var earlyNovember = new OversightMeeting("SM-2026-000904", "FF-SOUTH", new DateTimeOffset(2026, 11, 1, 1, 20, 0, TimeSpan.Zero));

        var clock = new ManualClock(new DateTimeOffset(2026, 9, 30, 12, 0, 0, TimeSpan.Zero));
        var host = await StartAsync(clock);
        var listener = await PublishedMessages<AttendanceMetricsPublished>.ListenAsync(host.Services, "test-dst-close");
        ScriptedEvent[] events = [lateSeptember.Held(), earlyOctober.Held(), lateOctober.Held(), earlyNovember.Held()];
        await host.PublishAsync(events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == events.Length, because: "every event is projected");
        await Eventually.TrueAsync(async () => await PendingAsync() == "month:2026-09-30T23:30:00Z,quarter:2026-09-30T23:30:00Z", because: "September and Q3 end at 00:00 BST on 1 October");

        clock.Set(new DateTimeOffset(2026, 9, 30, 23, 31, 0, TimeSpan.Zero));
        var september = await Eventually.GetAsync(() => Task.FromResult(listener.Received), r => r.Count >= 2, because: "September and Q3 close at London midnight");
        foreach (var message in september)
        {
            Assert.Equal(new DateOnly(2026, 10, 1), message.PeriodEnd);
            Assert.Contains(message.Figures, f => f is { Key: MetricKeys.MeetingsHeld, AgencyCode: null, TeamCode: null, Numerator: 1, Denominator: 1 });
        }

        Assert.Equal("month:2026-11-01T00:30:00Z,quarter:2027-01-01T00:30:00Z", await PendingAsync());

        // 23:45 UTC on 31 October is still October in London (GMT again): a close computed in summer time would fire here.
        clock.Set(new DateTimeOffset(2026, 10, 31, 23, 45, 0, TimeSpan.Zero));
        await Task.Delay(1000);
        Assert.Equal(2, listener.Received.Count);

        clock.Set(new DateTimeOffset(2026, 11, 1, 0, 31, 0, TimeSpan.Zero));
        var all = await Eventually.GetAsync(() => Task.FromResult(listener.Received), r => r.Count >= 3, because: "October closes at 00:00 GMT plus the delay");
        var october = Assert.Single(all, m => m.PeriodKind == PeriodKinds.Month && m.PeriodStart == new DateOnly(2026, 10, 1));
        Assert.Equal(new DateOnly(2026, 11, 1), october.PeriodEnd);
        Assert.Contains(october.Figures, f => f is { Key: MetricKeys.MeetingsHeld, AgencyCode: null, TeamCode: null, Numerator: 2, Denominator: 2 });
        Assert.Contains(october.Figures, f => f is { Key: MetricKeys.MeetingsHeld, TeamCode: "FF-NORTH", Numerator: 1 });
        Assert.Contains(october.Figures, f => f is { Key: MetricKeys.MeetingsHeld, TeamCode: "FF-SOUTH", Numerator: 1 });
        Assert.Equal(3L, await ScheduledPublicationsAsync());
        Assert.Equal("month:2026-12-01T00:30:00Z,quarter:2027-01-01T00:30:00Z", await PendingAsync());
        await host.DisposeAsync();
    }

    private Task<ServiceHost<MetricsService>> StartAsync(ManualClock clock) =>
        MetricsHost.StartAsync(database, broker, clock, o =>
        {
            o.Publishing.PeriodKinds = [PeriodKinds.Month, PeriodKinds.Quarter];
            o.Publishing.Delay = Delay;
        });

    private Task<long> ScheduledPublicationsAsync() =>
        database.ScalarAsync<long>("SELECT count(*) FROM metrics.publication WHERE trigger = 'schedule'");

    /// <summary>The pending closes as kind:due (UTC), in kind order.</summary>
    private async Task<string> PendingAsync() =>
        await database.ScalarAsync<string>(
            $"SELECT coalesce(string_agg(split_part(payload, ':', 1) || ':' || to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ',' ORDER BY payload), '') FROM metrics.deadline WHERE kind = '{PeriodCloseSchedule.DeadlineKind}' AND fired_at IS NULL") ?? string.Empty;
}
