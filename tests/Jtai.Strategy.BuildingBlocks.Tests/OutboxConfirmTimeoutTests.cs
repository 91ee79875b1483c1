using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Tests.Fixtures;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.BuildingBlocks.Tests;

/// <summary>
/// A broker that stops answering without closing the connection (a frozen or dead node behind a half-open socket):
/// the relay's publish gets no confirm and no failure. It must give up after <c>Outbox:PublishTimeout</c>, reschedule
/// the row, and deliver the message once when the link flows again or the client's heartbeat has replaced the
/// connection. The service's bus talks to the real RabbitMQ through a <see cref="FreezingTcpProxy"/>.
/// </summary>
public sealed class OutboxConfirmTimeoutTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private PostgresDatabase database = null!;
    private OutboxProbe probe = null!;
    private RabbitMqVirtualHost broker = null!;
    private FreezingTcpProxy proxy = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        probe = new OutboxProbe(database);
        broker = await RabbitMqVirtualHost.CreateAsync();
        var direct = BrokerAddress.Parse(broker.ConnectionString);
        proxy = FreezingTcpProxy.Start(direct.Host, direct.Port);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_publish_never_confirmed_times_out_is_rescheduled_and_is_consumed_once_when_the_link_flows_again()
    {
        var deliveries = new DeliveryCounter<WidgetMade>();
        await using var host = await StartThroughProxyAsync(heartbeat: TimeSpan.FromMinutes(1));
        var linksBefore = proxy.LinksAccepted;
        host.Services.GetRequiredService<IBus>().ConnectConsumeMessageObserver(deliveries);
        var widgetId = Guid.NewGuid();

        proxy.Freeze();
        await OutboxProbe.MakeWidgetAsync(host, widgetId);

        await Eventually.TrueAsync(probe.ConfirmTimedOutAsync,
            Timeout, "the relay gives up waiting for the confirm and reschedules the row");
        Assert.Equal(0, await probe.DispatchedAsync());
        Assert.Equal(0, deliveries.Delivered);
        // The relay is not stuck on the first publish: it tries again, and times out again, while the link is frozen.
        await Eventually.TrueAsync(async () => await probe.AttemptsAsync() >= 2, Timeout, "the relay retries the row");
        Assert.Equal(0, await probe.DispatchedAsync());

        proxy.Resume();

        await Eventually.TrueAsync(async () => await probe.DispatchedAsync() == 1, Timeout, "the row is published and confirmed once the link flows");
        await Eventually.TrueAsync(async () => await probe.HandledCountAsync(widgetId) == 1, Timeout, "the consumer handles the event");
        // The publishes that timed out went out too when the link flowed: copies under one MessageId, dropped by the inbox.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await probe.HandledCountAsync(widgetId));
        Assert.True(deliveries.Delivered >= 1);
        Assert.True(proxy.LinksAccepted == linksBefore, "the same connection carried on (no reconnect: the heartbeat outlasts the freeze)");
    }

    [Fact]
    public async Task A_connection_to_a_broker_gone_silent_is_replaced_after_the_heartbeat_and_the_event_is_consumed_once()
    {
        await using var host = await StartThroughProxyAsync(heartbeat: TimeSpan.FromSeconds(2));
        var linksBefore = proxy.LinksAccepted;
        var widgetId = Guid.NewGuid();

        // The open connection is dead for good; a new one reaches the broker (as another node of a cluster would).
        proxy.FreezeOpenLinks();
        await OutboxProbe.MakeWidgetAsync(host, widgetId);

        await Eventually.TrueAsync(probe.ConfirmTimedOutAsync,
            Timeout, "the relay gives up waiting for the confirm on the dead connection");
        await Eventually.TrueAsync(() => Task.FromResult(proxy.LinksAccepted > linksBefore), Timeout, "the missed heartbeats close the connection and the bus connects again");
        await Eventually.TrueAsync(async () => await probe.DispatchedAsync() == 1, Timeout, "the row is published on the new connection");
        await Eventually.TrueAsync(async () => await probe.HandledCountAsync(widgetId) == 1, Timeout, "the consumer, on the new connection too, handles the event");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await probe.HandledCountAsync(widgetId));
    }

    private async Task<TestHost> StartThroughProxyAsync(TimeSpan heartbeat)
    {
        var proxied = BrokerAddress.Parse(broker.ConnectionString) with { Host = "127.0.0.1", Port = (ushort)proxy.Port };
        return await TestHost.StartAsync(database, broker, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = proxied.ToConnectionString(),
            ["Outbox:PublishTimeout"] = "00:00:02",
            ["Messaging:Heartbeat"] = heartbeat.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}
