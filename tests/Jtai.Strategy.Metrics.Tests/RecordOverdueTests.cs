using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// Meetings that are never recorded (issue #10, part 5b), through the real broker, projection and database: a meeting
/// reported record-overdue counts as not recorded and sits in the circulated-on-time denominator, so a team that
/// never records does not look perfect; recorded later, it leaves "not recorded" and counts as circulated late.
/// </summary>
public sealed class RecordOverdueTests : IAsyncLifetime
{
    private const string Team = "FF-RECORDS";

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
    public async Task A_meeting_never_recorded_is_in_the_on_time_denominator_and_counted_as_not_recorded()
    {
        await using var host = await MetricsHost.StartAsync(database, broker);
        var events = new List<ScriptedEvent>();
        // Circulated on time: 1 of 1.
        var onTime = Convened(events, "on-time", 4);
        Held(events, onTime, 4);
        Circulated(events, onTime, 4, hoursAfterEnd: 3, onTimeFlag: true);
        // Never recorded: in the denominator, never the numerator.
        var forgotten = Convened(events, "forgotten", 5);
        RecordOverdue(events, forgotten, 5);
        // Record-overdue, then recorded and circulated two days late: recorded late, circulated late.
        var late = Convened(events, "late", 6);
        RecordOverdue(events, late, 6);
        Held(events, late, 6, recordedDaysLater: 2);
        Circulated(events, late, 6, hoursAfterEnd: 49, onTimeFlag: false);

        await host.PublishAsync(events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == events.Count, TimeSpan.FromSeconds(60), "every event is logged");

        var report = await host.FiguresAsync("period=2026-05");
        Assert.Equal((1L, 3L), Figure(report, MetricKeys.CirculatedOnTime));
        Assert.Equal((1L, 1L), Figure(report, MetricKeys.MeetingsNotRecorded));
        Assert.Equal((2L, 2L), Figure(report, MetricKeys.MeetingsHeld));
    }

    [Fact]
    public async Task A_record_overdue_meeting_that_was_cancelled_counts_nowhere()
    {
        await using var host = await MetricsHost.StartAsync(database, broker);
        var events = new List<ScriptedEvent>();
        var meeting = Convened(events, "cancelled-late", 7);
        RecordOverdue(events, meeting, 7);
        events.Add(new(Guid.NewGuid(), new StrategyMeetingCancelled(meeting, "SM-2026-900007", "EnteredInError", At(7, 12))));

        await host.PublishAsync(events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == events.Count, TimeSpan.FromSeconds(60), "every event is logged");

        var report = await host.FiguresAsync("period=2026-05");
        // Whatever order the events came in, any cell its record-overdue report opened is back to 0/0.
        Assert.All(report.Figures.Where(f => f.Key is MetricKeys.CirculatedOnTime or MetricKeys.MeetingsNotRecorded), f => Assert.Equal((0L, 0L), (f.Numerator, f.Denominator)));
    }

    private static DateTimeOffset At(int day, int hour) => new(2026, 5, day, hour, 0, 0, TimeSpan.Zero);

    private static Guid Convened(List<ScriptedEvent> events, string name, int day)
    {
        var id = ScriptedMonth.Id("record-overdue:" + name);
        events.Add(new(Guid.NewGuid(), new StrategyMeetingConvened(
            id, Reference(day), Team, "DomesticAbuse", At(day, 1), At(day, 8), At(day, 10), At(day, 11), false, null, ["DURHAM-POLICE"], At(day, 8))));
        return id;
    }

    private static void RecordOverdue(List<ScriptedEvent> events, Guid meeting, int day) =>
        events.Add(new(Guid.NewGuid(), new MeetingRecordOverdue(meeting, Reference(day), Team, At(day, 11), At(day + 1, 11), At(day + 1, 11))));

    private static void Held(List<ScriptedEvent> events, Guid meeting, int day, int recordedDaysLater = 0) =>
        events.Add(new(Guid.NewGuid(), new MeetingHeld(
            meeting, Reference(day), Team, At(day, 10), At(day, 11), false, null, false, false, false, At(day + 1, 11), At(day + recordedDaysLater, 12))));

    private static void Circulated(List<ScriptedEvent> events, Guid meeting, int day, int hoursAfterEnd, bool onTimeFlag) =>
        events.Add(new(Guid.NewGuid(), new AgreedActionsCirculated(
            meeting, Reference(day), Team, 1, 2, At(day, 11), At(day + 1, 11), At(day, 11).AddHours(hoursAfterEnd), onTimeFlag, [],
            new Uri("https://meetings.test/"), At(day, 11).AddHours(hoursAfterEnd))));

    private static string Reference(int day) => $"SM-2026-90000{day}";

    private static (long, long) Figure(MetricsReport report, string key) =>
        report.Figures.SingleOrDefault(f => f.Key == key && f.AgencyCode is null && f.TeamCode is null) is { } f
            ? (f.Numerator, f.Denominator)
            : throw new Xunit.Sdk.XunitException($"No overall figure {key}");
}
