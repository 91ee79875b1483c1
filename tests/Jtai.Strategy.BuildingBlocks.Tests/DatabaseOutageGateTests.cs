using Jtai.Strategy.BuildingBlocks.Resilience;
using Jtai.Strategy.BuildingBlocks.Tests.Fixtures;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.BuildingBlocks.Tests;

/// <summary>
/// During a database outage the service's consumers pause at one gate: after the first failures no message reaches a
/// consumer again until the database answers (each would otherwise try it every retry interval), nothing goes to
/// <c>_error</c>, and once the database is back every message is handled once. On the real RabbitMQ and a PostgreSQL
/// server of this test's own, which it stops.
/// </summary>
public sealed class DatabaseOutageGateTests : IAsyncLifetime
{
    private const string Queue = TestHost.EndpointPrefix + "-widget-audited";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(12);

    private PrivatePostgresServer postgres = null!;
    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;

    public async Task InitializeAsync()
    {
        postgres = await PrivatePostgresServer.StartAsync();
        database = await PostgresDatabase.CreateAsync(postgres.ConnectionString);
        broker = await RabbitMqVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        await database.DisposeAsync();
        await postgres.DisposeAsync();
    }

    [Fact]
    public async Task In_a_database_outage_consumers_wait_at_the_gate_without_trying_again_and_each_message_is_handled_once_after()
    {
        await using var host = await TestHost.StartAsync(database, broker, settings: new Dictionary<string, string?>
        {
            // Without the gate each waiting message would reach its consumer every second of the outage.
            ["Messaging:TransientRetryInterval"] = "00:00:01",
        });
        var bus = host.Services.GetRequiredService<IBusControl>();
        var gate = host.Services.GetRequiredService<DatabaseOutageGate>();
        Guid[] widgets = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];

        await postgres.StopAsync();
        // Straight to the broker (not through the outbox, which needs the database).
        foreach (var widget in widgets)
        {
            await bus.Publish(new WidgetAudited(widget));
        }

        await Eventually.TrueAsync(() => Task.FromResult(widgets.Any(w => WidgetAuditedConsumer.AttemptsFor(w) > 0)), Timeout, "a consumer meets the outage");
        await Task.Delay(Outage);
        // At most one attempt per message (those already past the gate when it closed), not one a second each.
        var attempts = widgets.Sum(WidgetAuditedConsumer.AttemptsFor);
        Assert.True(attempts <= widgets.Length, $"{attempts} attempts reached the consumer during the outage");
        Assert.True(gate.IsClosed, "still paused while the database is down");

        await postgres.StartAgainAsync();

        foreach (var widget in widgets)
        {
            await Eventually.TrueAsync(async () => await HandledCount(widget) == 1, Timeout, "handled once the database is back");
        }

        Assert.False(gate.IsClosed);
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var widget in widgets)
        {
            Assert.Equal(1, await HandledCount(widget));
        }

        Assert.Equal(0, await broker.ReadyCountAsync(Queue));
        Assert.DoesNotContain(await broker.QueueNamesAsync(), q => q.EndsWith("_error", StringComparison.Ordinal));
        Assert.Equal(BusHealthStatus.Healthy, bus.CheckHealth().Status);
    }

    private Task<int> HandledCount(Guid widgetId) =>
        database.ScalarAsync<int>("SELECT count(*)::int FROM bb_test.widget_handled WHERE widget_id = @id", ("id", widgetId));
}
