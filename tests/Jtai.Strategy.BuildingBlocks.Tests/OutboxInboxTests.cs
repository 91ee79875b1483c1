using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Tests.Fixtures;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.BuildingBlocks.Tests;

/// <summary>The outbox and inbox guarantees, on the real PostgreSQL and RabbitMQ.</summary>
public sealed class OutboxInboxTests : IAsyncLifetime
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
    public async Task A_committed_change_and_its_event_reach_the_consumer()
    {
        await using var host = await TestHost.StartAsync(database, broker);
        var widgetId = Guid.NewGuid();

        await host.InScopeAsync(async db =>
        {
            db.Widgets.Add(new Widget { Id = widgetId, Name = "first" });
            db.AddOutboxMessage(new WidgetMade(widgetId, "first"));
            await db.SaveChangesAsync();
        });

        await Eventually.TrueAsync(async () => await HandledCount(widgetId) == 1, because: "the consumer handles the event");
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.outbox_message WHERE dispatched_at IS NOT NULL") == 1,
            because: "the relay marks the row dispatched");
    }

    [Fact]
    public async Task A_rolled_back_change_publishes_nothing()
    {
        await using var host = await TestHost.StartAsync(database, broker);
        var rolledBack = Guid.NewGuid();
        var committed = Guid.NewGuid();

        await host.InScopeAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Widgets.Add(new Widget { Id = rolledBack, Name = "never" });
            db.AddOutboxMessage(new WidgetMade(rolledBack, "never"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        });
        await host.InScopeAsync(async db =>
        {
            db.AddOutboxMessage(new WidgetMade(committed, "later"));
            await db.SaveChangesAsync();
        });

        // Once the later message is through, the earlier one would have been too, had it been committed.
        await Eventually.TrueAsync(async () => await HandledCount(committed) == 1);
        Assert.Equal(0, await HandledCount(rolledBack));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.widget WHERE id = @id", ("id", rolledBack)));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.outbox_message"));
    }

    [Fact]
    public async Task Work_queued_on_commit_runs_once_after_the_commit_and_never_after_a_rollback_or_a_failed_save()
    {
        await using var host = await TestHost.StartAsync(database, broker);
        var ran = new List<string>();
        var duplicate = Guid.NewGuid();

        await host.InScopeAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.WhenCommitted(() => ran.Add("rolled back"));
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "never" });
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        });
        await host.InScopeAsync(async db =>
        {
            db.Widgets.Add(new Widget { Id = duplicate, Name = "first" });
            await db.SaveChangesAsync();
        });
        await host.InScopeAsync(async db =>
        {
            db.WhenCommitted(() => ran.Add("failed save"));
            db.Widgets.Add(new Widget { Id = duplicate, Name = "same key" });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
        await host.InScopeAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.WhenCommitted(() => ran.Add("committed"));
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "kept" });
            await db.SaveChangesAsync();
            // Saved but not committed: nothing may tell of it yet.
            Assert.Empty(ran);
            await transaction.CommitAsync();
            await db.SaveChangesAsync();
        });

        Assert.Equal(["committed"], ran);
    }

    [Fact]
    public async Task A_message_delivered_twice_is_handled_once()
    {
        var deliveries = new DeliveryCounter<WidgetMade>();
        await using var host = await TestHost.StartAsync(database, broker);
        var bus = host.Services.GetRequiredService<IBus>();
        bus.ConnectConsumeMessageObserver(deliveries);
        var widgetId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        // The broker redelivering, or a relay republishing after a crash, looks exactly like this.
        await bus.Publish(new WidgetMade(widgetId, "twice"), c => c.MessageId = messageId);
        await bus.Publish(new WidgetMade(widgetId, "twice"), c => c.MessageId = messageId);

        await Eventually.TrueAsync(() => Task.FromResult(deliveries.Delivered == 2), because: "both deliveries reach the consumer");
        Assert.Equal(1, await HandledCount(widgetId));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.inbox_state WHERE message_id = @id", ("id", messageId)));
    }

    [Fact]
    public async Task Concurrent_duplicate_deliveries_are_handled_once()
    {
        var deliveries = new DeliveryCounter<WidgetMade>();
        await using var host = await TestHost.StartAsync(database, broker);
        var bus = host.Services.GetRequiredService<IBus>();
        bus.ConnectConsumeMessageObserver(deliveries);
        var widgetId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => bus.Publish(new WidgetMade(widgetId, "racing"), c => c.MessageId = messageId)));

        await Eventually.TrueAsync(() => Task.FromResult(deliveries.Delivered == 8), because: "all eight deliveries complete");
        Assert.Equal(1, await HandledCount(widgetId));
    }

    [Fact]
    public async Task A_relay_that_dies_between_publish_and_mark_loses_nothing()
    {
        var crash = new CrashAfterPublishOnce();
        var deliveries = new DeliveryCounter<WidgetMade>();
        await using var host = await TestHost.StartAsync(database, broker, s => s.AddSingleton<IOutboxRelayObserver>(crash));
        host.Services.GetRequiredService<IBus>().ConnectConsumeMessageObserver(deliveries);
        var widgetId = Guid.NewGuid();

        await host.InScopeAsync(async db =>
        {
            db.Widgets.Add(new Widget { Id = widgetId, Name = "crash" });
            db.AddOutboxMessage(new WidgetMade(widgetId, "crash"));
            await db.SaveChangesAsync();
        });

        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.outbox_message WHERE dispatched_at IS NOT NULL") == 1,
            because: "the relay, restarted after the crash, publishes again and marks the row");
        await Eventually.TrueAsync(() => Task.FromResult(deliveries.Delivered == 2), because: "the message was published before the crash and again after it");
        Assert.True(crash.Crashed);
        Assert.Equal(1, await HandledCount(widgetId));
    }

    [Fact]
    public async Task A_poison_message_goes_to_the_error_queue_with_its_reason()
    {
        await using var host = await TestHost.StartAsync(database, broker);
        await host.InScopeAsync(async db =>
        {
            db.AddOutboxMessage(new Poison("malformed on purpose"));
            await db.SaveChangesAsync();
        });

        var errorQueue = await Eventually.GetAsync(
            async () => (await broker.QueueNamesAsync()).FirstOrDefault(q => q.EndsWith("poison_error", StringComparison.Ordinal)),
            q => q is not null, because: "MassTransit creates the error queue when the first fault lands");
        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(errorQueue!) == 1, TimeSpan.FromSeconds(60), "retries exhausted, the message is moved");

        var message = Assert.Single(await broker.PeekAsync(errorQueue!));
        var headers = message.GetProperty("properties").GetProperty("headers");
        Assert.Contains("Cannot handle: malformed on purpose", headers.GetProperty("MT-Fault-Message").GetString());
        Assert.Contains("InvalidOperationException", headers.GetProperty("MT-Fault-ExceptionType").GetString());
    }

    private Task<int> HandledCount(Guid widgetId) =>
        database.ScalarAsync<int>("SELECT count(*)::int FROM bb_test.widget_handled WHERE widget_id = @id", ("id", widgetId));
}
