using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Publishing;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>Period closes are durable deadlines: published once when the period ends, across restarts, on the real servers.</summary>
public sealed class PeriodCloseTests : IAsyncLifetime
{
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
    public async Task Each_closing_week_is_published_once_with_its_figures_even_across_a_restart()
    {
        // Wednesday of ISO week 10 (2-8 March 2026); the week closes at midnight London time (= UTC in March before BST).
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero));
        var weekTen = ScriptedMonth.Events.Where(e => e.Message is Contracts.Meetings.StrategyMeetingConvened or Contracts.Meetings.InvitationIssued or Contracts.Meetings.AttendanceRecorded or Contracts.Meetings.MeetingHeld
            && Jtai.Strategy.Metrics.Projection.ProjectedEvents.MeetingOf(e.Message) == ScriptedMonth.Id("M1")).ToList();

        var host = await MetricsHost.StartAsync(database, broker, clock, o =>
        {
            o.Publishing.PeriodKinds = [PeriodKinds.Week];
            o.Publishing.Delay = TimeSpan.FromMinutes(30);
        });
        var listener = await PublishedMessages<AttendanceMetricsPublished>.ListenAsync(host.Services, "test-period-close");
        await host.PublishAsync(weekTen);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == weekTen.Count);
        await Eventually.TrueAsync(async () => await PendingCloses() == 1, because: "start-up schedules the close of the current week");

        // Just before the close plus delay: nothing.
        clock.Set(new DateTimeOffset(2026, 3, 9, 0, 29, 0, TimeSpan.Zero));
        await Task.Delay(500);
        Assert.Empty(listener.Received);

        clock.Set(new DateTimeOffset(2026, 3, 9, 0, 31, 0, TimeSpan.Zero));
        var published = await Eventually.GetAsync(() => Task.FromResult(listener.Received), r => r.Count >= 1, because: "the week's close fires");
        var week = Assert.Single(published);
        Assert.Equal((PeriodKinds.Week, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 9)), (week.PeriodKind, week.PeriodStart, week.PeriodEnd));
        Assert.Contains(week.Figures, f => f is { Key: MetricKeys.InvitationsIssued, AgencyCode: null, TeamCode: null, Numerator: 4, Denominator: 4 });
        Assert.Contains(week.Figures, f => f is { Key: MetricKeys.Attended, AgencyCode: ScriptedMonth.Gp, Numerator: 0, Denominator: 1 });
        Assert.Contains(week.Breaches, b => b.RuleKey == "agency-attendance-below-80" && b.AgencyCode == ScriptedMonth.Gp);
        await Eventually.TrueAsync(async () => await PendingCloses() == 1, because: "the next week's close is scheduled in the same transaction");

        // A restart (new process on the same database) neither republishes week 10 nor schedules a second close.
        await host.DisposeAsync();
        host = await MetricsHost.StartAsync(database, broker, clock, o => o.Publishing.PeriodKinds = [PeriodKinds.Week]);
        await Task.Delay(1000);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM metrics.publication WHERE trigger = 'schedule'"));
        Assert.Equal(1L, await PendingCloses());

        // Down over two weeks: the closes catch up one after another, each once.
        clock.Set(new DateTimeOffset(2026, 3, 23, 2, 0, 0, TimeSpan.Zero));
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM metrics.publication WHERE trigger = 'schedule'") == 3, because: "weeks 11 and 12 close");
        Assert.Equal(
            ["2026-03-02", "2026-03-09", "2026-03-16"],
            (await database.ScalarAsync<string>("SELECT string_agg(period_start::text, ',' ORDER BY period_start) FROM metrics.publication WHERE trigger = 'schedule'"))!.Split(','));
        Assert.Equal(
            PeriodCloseSchedule.SubjectOf(Jtai.Strategy.Metrics.Domain.Period.Containing(PeriodKinds.Week, new DateOnly(2026, 3, 23))),
            await database.ScalarAsync<Guid>($"SELECT subject_id FROM metrics.deadline WHERE kind = '{PeriodCloseSchedule.DeadlineKind}' AND fired_at IS NULL"));
        await host.DisposeAsync();

        async Task<long> PendingCloses() =>
            await database.ScalarAsync<long>($"SELECT count(*) FROM metrics.deadline WHERE kind = '{PeriodCloseSchedule.DeadlineKind}' AND fired_at IS NULL");
    }
}
