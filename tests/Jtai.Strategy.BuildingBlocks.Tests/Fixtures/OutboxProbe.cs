using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.BuildingBlocks.Tests.Fixtures;

/// <summary>
/// One widget made with its <see cref="WidgetMade"/> event through the outbox, and what the test host's outbox table
/// and consumer say of it: the tests of the relay under broker faults read these (a proxy's freeze, a paused container).
/// </summary>
public sealed class OutboxProbe(PostgresDatabase database)
{
    public static Task MakeWidgetAsync(TestHost host, Guid widgetId) => host.InScopeAsync(async db =>
    {
        db.Widgets.Add(new Widget { Id = widgetId, Name = "probe" });
        db.AddOutboxMessage(new WidgetMade(widgetId, "probe"));
        await db.SaveChangesAsync();
    });

    /// <summary>The error the relay last recorded on a row (one row in these tests).</summary>
    public Task<string?> LastErrorAsync() =>
        database.ScalarAsync<string?>("SELECT max(last_error) FROM bb_test.outbox_message");

    /// <summary>Whether the relay last gave up on a row for want of the broker's confirm.</summary>
    public async Task<bool> ConfirmTimedOutAsync() =>
        await LastErrorAsync() is { } error && error.StartsWith(OutboxFailure.ConfirmTimeoutPrefix, StringComparison.Ordinal);

    public Task<int> AttemptsAsync() =>
        database.ScalarAsync<int>("SELECT coalesce(max(attempts), 0)::int FROM bb_test.outbox_message");

    public Task<long> DispatchedAsync() =>
        database.ScalarAsync<long>("SELECT count(*) FROM bb_test.outbox_message WHERE dispatched_at IS NOT NULL");

    /// <summary>How often the consumer handled the widget's event (the inbox lets one through).</summary>
    public Task<int> HandledCountAsync(Guid widgetId) =>
        database.ScalarAsync<int>("SELECT count(*)::int FROM bb_test.widget_handled WHERE widget_id = @id", ("id", widgetId));
}
