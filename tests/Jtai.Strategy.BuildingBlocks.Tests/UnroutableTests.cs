using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Tests.Fixtures;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jtai.Strategy.BuildingBlocks.Tests;

/// <summary>
/// A message published before any queue is bound for its type: RabbitMQ would drop it, so the relay publishes as
/// mandatory and keeps the returned row pending, retried with backoff, with health Degraded, until a consumer exists.
/// </summary>
public sealed class UnroutableTests : IAsyncLifetime
{
    private static readonly string ShippedUrn = MessageTypeRegistry.Known.Include(typeof(WidgetShipped).Assembly).UrnOf(typeof(WidgetShipped));

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
    public async Task A_message_without_a_queue_stays_pending_and_degraded_until_its_consumer_exists_then_arrives_once()
    {
        await using var host = await TestHost.StartAsync(database, broker);
        var shipped = Guid.NewGuid();
        var made = Guid.NewGuid();
        await host.InScopeAsync(async db =>
        {
            db.AddOutboxMessage(new WidgetShipped(shipped));
            await db.SaveChangesAsync();
        });

        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(
                $"SELECT count(*) FROM bb_test.outbox_message WHERE message_type = '{ShippedUrn}' AND last_error LIKE 'Unroutable: %' AND attempts >= 2") == 1,
            because: "the broker returns the publish and the relay retries it");
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM bb_test.outbox_message WHERE dispatched_at IS NOT NULL"));
        var degraded = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Entries["outbox"].Status);
        Assert.Contains($"{ShippedUrn} (1)", degraded.Entries["outbox"].Description, StringComparison.Ordinal);

        // One unroutable type does not hold up the others.
        await host.InScopeAsync(async db =>
        {
            db.Widgets.Add(new Widget { Id = made, Name = "made" });
            db.AddOutboxMessage(new WidgetMade(made, "made"));
            await db.SaveChangesAsync();
        });
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM bb_test.widget_handled WHERE widget_id = @id", ("id", made)) == 1, because: "a routable message goes through meanwhile");

        // Its consumer's queue appears (a service started later): the pending row is delivered, once.
        var received = new List<Guid>();
        var endpoint = host.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("bb-test-widget-shipped", e =>
            e.Handler<WidgetShipped>(context =>
            {
                lock (received)
                {
                    received.Add(context.Message.WidgetId);
                }

                return Task.CompletedTask;
            }));
        await endpoint.Ready;

        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(
            $"SELECT count(*) FROM bb_test.outbox_message WHERE dispatched_at IS NOT NULL AND message_type = '{ShippedUrn}'") == 1,
            TimeSpan.FromSeconds(60), "the relay routes the row once a queue is bound");
        await Eventually.TrueAsync(() => Task.FromResult(received.Count == 1), because: "the message arrives");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal([shipped], received);
        var healthy = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, healthy.Entries["outbox"].Status);
        await endpoint.StopAsync();
    }
}
