using System.Collections.Concurrent;
using Jtai.Strategy.BuildingBlocks.Tests.Fixtures;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.BuildingBlocks.Tests;

/// <summary>
/// During a database outage the kill switch stops the receive endpoint (its messages wait Ready in the queue instead of
/// being redelivered in a loop) and starts it again after <c>RestartTimeout</c>; once the database is back the messages
/// are handled once. On the real RabbitMQ and a PostgreSQL server of this test's own, which it stops.
/// </summary>
public sealed class KillSwitchTests : IAsyncLifetime
{
    private const string Queue = TestHost.EndpointPrefix + "-widget-made";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

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

    // Fails today: with the database stopped for 25 s no receive endpoint stopped or restarted, and the queue held no
    // Ready message (the unbounded transient retry holds them unacknowledged in process). The kill switch counts
    // consume faults, which MassTransit's retry reports only when it gives up, and the transient retry never does.
    [Fact(Skip = "Open: the kill switch does not trip while the transient retry is unbounded (see the comment above and README 'Outages wait').")]
    public async Task In_a_database_outage_the_kill_switch_stops_the_endpoint_with_its_messages_ready_in_the_queue_and_it_resumes_after()
    {
        await using var host = await TestHost.StartAsync(database, broker, settings: new Dictionary<string, string?>
        {
            ["Messaging:TransientRetryInterval"] = "00:00:01",
            ["Messaging:KillSwitch:ActivationThreshold"] = "1",
            ["Messaging:KillSwitch:TrackingPeriod"] = "00:00:10",
            ["Messaging:KillSwitch:RestartTimeout"] = "00:00:05",
        });
        var endpoints = new EndpointStates();
        var bus = host.Services.GetRequiredService<IBusControl>();
        bus.ConnectReceiveEndpointObserver(endpoints);
        Guid[] widgets = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];

        await postgres.StopAsync();
        // Straight to the broker (not through the outbox, which needs the database).
        foreach (var widget in widgets)
        {
            await bus.Publish(new WidgetMade(widget, "during the outage"));
        }

        await Eventually.TrueAsync(() => Task.FromResult(endpoints.Stopped(Queue) > 0), Timeout, "the kill switch stops the endpoint");
        // Stopped, the endpoint holds nothing: every message is back in the queue, Ready, not cycling through a consumer.
        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(Queue) == widgets.Length, Timeout, "the messages wait Ready in the queue");
        // It restarts after RestartTimeout, meets the outage again and trips again: no endless redelivery meanwhile.
        await Eventually.TrueAsync(() => Task.FromResult(endpoints.Stopped(Queue) > 1), Timeout, "restarted and tripped again while the database is down");
        var readyBefore = endpoints.Ready(Queue);
        Assert.True(readyBefore >= 1, "the endpoint was started again after RestartTimeout");

        await postgres.StartAgainAsync();

        foreach (var widget in widgets)
        {
            await Eventually.TrueAsync(async () => await HandledCount(widget) == 1, Timeout, "handled once the database is back");
        }

        Assert.True(endpoints.Ready(Queue) > readyBefore, "the endpoint resumed");
        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(Queue) == 0, Timeout, "the queue drained");
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var widget in widgets)
        {
            Assert.Equal(1, await HandledCount(widget));
        }

        Assert.DoesNotContain(await broker.QueueNamesAsync(), q => q.EndsWith("_error", StringComparison.Ordinal));
        Assert.Equal(BusHealthStatus.Healthy, bus.CheckHealth().Status);
    }

    private Task<int> HandledCount(Guid widgetId) =>
        database.ScalarAsync<int>("SELECT count(*)::int FROM bb_test.widget_handled WHERE widget_id = @id", ("id", widgetId));

    /// <summary>Counts each receive endpoint's starts (ready) and stops (completed), as MassTransit reports them.</summary>
    private sealed class EndpointStates : IReceiveEndpointObserver
    {
        private readonly ConcurrentDictionary<string, int> ready = new();
        private readonly ConcurrentDictionary<string, int> stopped = new();

        public int Ready(string queue) => ready.GetValueOrDefault(queue);

        public int Stopped(string queue) => stopped.GetValueOrDefault(queue);

        Task IReceiveEndpointObserver.Ready(ReceiveEndpointReady ready) => Count(this.ready, ready.InputAddress);

        Task IReceiveEndpointObserver.Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

        Task IReceiveEndpointObserver.Completed(ReceiveEndpointCompleted completed) => Count(stopped, completed.InputAddress);

        Task IReceiveEndpointObserver.Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

        private static Task Count(ConcurrentDictionary<string, int> counts, Uri address)
        {
            counts.AddOrUpdate(address.AbsolutePath.Split('/')[^1], 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }
}
