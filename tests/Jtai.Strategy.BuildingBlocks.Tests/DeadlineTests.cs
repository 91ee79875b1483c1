using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Tests.Fixtures;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.BuildingBlocks.Tests;

/// <summary>Durable deadlines on the real database: due times are rows, fired once, whatever happens to the process.</summary>
public sealed class DeadlineTests : IAsyncLifetime
{
    private readonly ManualClock clock = new();
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
    public async Task A_deadline_fires_once_when_due_and_not_before()
    {
        await using var host = await TestHost.StartAsync(database, broker, clock: clock);
        var subject = Guid.NewGuid();
        await Schedule(host, subject, clock.GetUtcNow().AddHours(2));

        await Task.Delay(600); // several poll intervals
        Assert.Equal(0, await FiredCount(subject));

        clock.Advance(TimeSpan.FromHours(2));
        await Eventually.TrueAsync(async () => await FiredCount(subject) == 1, because: "the deadline is due");
        await Eventually.TrueAsync(async () => await HandledByConsumer(subject) == 1, because: "its outbox message reaches the consumer");
        await Task.Delay(600);
        Assert.Equal(1, await FiredCount(subject));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.deadline WHERE subject_id = @s AND fired_at IS NOT NULL", ("s", subject)));
    }

    [Fact]
    public async Task A_deadline_stored_before_a_restart_fires_once_after_it()
    {
        var subject = Guid.NewGuid();
        await using (var first = await TestHost.StartAsync(database, broker, clock: clock))
        {
            await Schedule(first, subject, clock.GetUtcNow().AddMinutes(30));
        }

        clock.Advance(TimeSpan.FromHours(1));
        await using var second = await TestHost.StartAsync(database, broker, clock: clock);

        await Eventually.TrueAsync(async () => await FiredCount(subject) == 1, because: "the restarted service finds the stored deadline");
        await Task.Delay(600);
        Assert.Equal(1, await FiredCount(subject));
    }

    [Fact]
    public async Task Two_instances_fire_each_deadline_exactly_once()
    {
        await using var one = await TestHost.StartAsync(database, broker, clock: clock);
        await using var two = await TestHost.StartAsync(database, broker, clock: clock);
        var subjects = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        await one.InScopeAsync(async db =>
        {
            foreach (var subject in subjects)
            {
                db.ScheduleDeadline(WidgetDeadlineHandler.DeadlineKind, subject, clock.GetUtcNow().AddMinutes(5));
            }

            await db.SaveChangesAsync();
        });

        clock.Advance(TimeSpan.FromMinutes(5));

        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.deadline WHERE fired_at IS NOT NULL") == 300,
            because: "both pollers work through the due rows");
        // One handler row per deadline (the consumer's rows for the announced messages are not counted).
        const string firings = "FROM bb_test.widget_handled h JOIN bb_test.deadline d ON d.id = h.message_id";
        Assert.Equal(300L, await database.ScalarAsync<long>("SELECT count(*) " + firings));
        Assert.Equal(300L, await database.ScalarAsync<long>("SELECT count(DISTINCT h.widget_id) " + firings));
    }

    [Fact]
    public async Task A_cancelled_deadline_does_not_fire()
    {
        await using var host = await TestHost.StartAsync(database, broker, clock: clock);
        var cancelled = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await Schedule(host, cancelled, clock.GetUtcNow().AddMinutes(10));
        await Schedule(host, kept, clock.GetUtcNow().AddMinutes(10));
        await host.InScopeAsync(async db => Assert.Equal(1, await db.CancelDeadlinesAsync(WidgetDeadlineHandler.DeadlineKind, cancelled, clock.GetUtcNow(), default)));

        clock.Advance(TimeSpan.FromMinutes(10));

        await Eventually.TrueAsync(async () => await FiredCount(kept) == 1);
        Assert.Equal(0, await FiredCount(cancelled));
    }

    [Fact]
    public async Task A_failing_deadline_is_retried_without_holding_back_the_others()
    {
        await using var host = await TestHost.StartAsync(database, broker, clock: clock);
        var failing = Guid.NewGuid();
        var healthy = Guid.NewGuid();
        await host.InScopeAsync(async db =>
        {
            db.ScheduleDeadline(WidgetDeadlineHandler.DeadlineKind, failing, clock.GetUtcNow().AddMinutes(1), "fail-twice");
            db.ScheduleDeadline(WidgetDeadlineHandler.DeadlineKind, healthy, clock.GetUtcNow().AddMinutes(1));
            await db.SaveChangesAsync();
        });

        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => await FiredCount(healthy) == 1, because: "the healthy deadline fires despite its failing neighbour");
        var error = await Eventually.GetAsync(
            () => database.ScalarAsync<string>("SELECT last_error FROM bb_test.deadline WHERE subject_id = @s", ("s", failing)),
            e => e is not null, because: "the failure is recorded on the deadline");
        Assert.Equal("InvalidOperationException: Simulated handler failure", error);
        Assert.Equal(0, await FiredCount(failing));

        clock.Advance(TimeSpan.FromSeconds(1)); // past the retry delay
        await Eventually.TrueAsync(async () => await FiredCount(failing) == 1, because: "the failed deadline is retried");
    }

    [Fact]
    public async Task A_deadline_stored_while_the_poller_sleeps_on_a_later_one_fires_at_its_own_due_time_not_at_the_next_poll()
    {
        // A poll interval far longer than the test: only the wake-up on commit and the sleep until the next due row
        // can fire the near deadline in time.
        await using var host = await TestHost.StartAsync(database, broker, settings: new Dictionary<string, string?> { ["Deadlines:PollInterval"] = "00:10:00" });
        var later = Guid.NewGuid();
        var near = Guid.NewGuid();
        await Schedule(host, later, DateTimeOffset.UtcNow.AddHours(1));
        await Task.Delay(500); // the poller now sleeps towards the later deadline

        await Schedule(host, near, DateTimeOffset.UtcNow.AddSeconds(2));

        await Eventually.TrueAsync(async () => await FiredCount(near) == 1, TimeSpan.FromSeconds(60), "the near deadline wakes the poller");
        Assert.Equal(0, await FiredCount(later));
        Assert.True(await database.ScalarAsync<bool>("SELECT fired_at >= due_at FROM bb_test.deadline WHERE subject_id = @s", ("s", near)), "not fired before it was due");
    }

    private static Task Schedule(TestHost host, Guid subject, DateTimeOffset dueAt) => host.InScopeAsync(async db =>
    {
        db.ScheduleDeadline(WidgetDeadlineHandler.DeadlineKind, subject, dueAt);
        await db.SaveChangesAsync();
    });

    // Rows the handler wrote: one per firing. Message id = deadline id, so those are "fired" rows;
    // the consumer's rows carry other message ids.
    private Task<int> FiredCount(Guid subject) => database.ScalarAsync<int>(
        "SELECT count(*)::int FROM bb_test.widget_handled h JOIN bb_test.deadline d ON d.id = h.message_id WHERE h.widget_id = @s", ("s", subject));

    private Task<int> HandledByConsumer(Guid subject) => database.ScalarAsync<int>(
        "SELECT count(*)::int FROM bb_test.widget_handled h WHERE h.widget_id = @s AND NOT EXISTS (SELECT 1 FROM bb_test.deadline d WHERE d.id = h.message_id)", ("s", subject));
}
