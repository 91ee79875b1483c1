using System.Text;
using DotNet.Testcontainers.Builders;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Tests.Fixtures;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Jtai.Strategy.Containers.Tests;

/// <summary>
/// The outbox relay and a consumer through a broker container that is paused (<c>docker pause</c>: the process frozen,
/// its sockets open, so nothing is confirmed, acknowledged or refused) and unpaused, on containers of the images
/// docker-compose.yml builds (jtai-strategy/rabbitmq and jtai-strategy/postgres, with their own start scripts). A pause
/// shorter than the heartbeat leaves the connection in place; a longer one makes the client drop it and connect again.
/// Either way the relay gives up on the confirm, reschedules the row, and the event is handled once.
/// </summary>
public sealed class PausedBrokerContainerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly string ImageTag = Environment.GetEnvironmentVariable("JTAI_IMAGE_TAG") is { Length: > 0 } tag ? tag : "local";

    // Throw-away secrets of throw-away containers, given as the images take them: files named by *_FILE variables.
    private const string AdminPassword = "containers-test-admin";
    private const string PostgresPassword = "containers-test-postgres";

    private readonly RabbitMqContainer rabbit = new RabbitMqBuilder($"jtai-strategy/rabbitmq:{ImageTag}")
        .WithPortBinding(15672, assignRandomHostPort: true)
        .WithResourceMapping(Encoding.UTF8.GetBytes(AdminPassword), FilePath.Of("/run/secrets/rabbitmq-admin-password"))
        .WithEnvironment("JTAI_RABBITMQ_ADMIN_PASSWORD_FILE", "/run/secrets/rabbitmq-admin-password")
        // start.sh reports ready once the node runs and the users are provisioned.
        .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted("test", "-f", "/tmp/jtai-broker-ready"))
        .Build();

    private readonly PostgreSqlContainer postgres = new PostgreSqlBuilder($"jtai-strategy/postgres:{ImageTag}")
        .WithPassword(PostgresPassword)
        .WithResourceMapping(Encoding.UTF8.GetBytes(PostgresPassword), FilePath.Of("/run/secrets/postgres-password"))
        .WithEnvironment("POSTGRES_PASSWORD_FILE", "/run/secrets/postgres-password")
        .Build();

    private PostgresDatabase database = null!;
    private OutboxProbe probe = null!;
    private RabbitMqVirtualHost broker = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(rabbit.StartAsync(), postgres.StartAsync());
        database = await PostgresDatabase.CreateAsync(postgres.GetConnectionString());
        probe = new OutboxProbe(database);
        var host = rabbit.Hostname;
        broker = await RabbitMqVirtualHost.CreateAsync(
            $"amqp://jtai-admin:{AdminPassword}@{host}:{rabbit.GetMappedPublicPort(5672)}/",
            new Uri($"http://jtai-admin:{AdminPassword}@{host}:{rabbit.GetMappedPublicPort(15672)}"));
    }

    public async Task DisposeAsync()
    {
        if (broker is not null)
        {
            await broker.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }

        await rabbit.DisposeAsync();
        await postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_broker_paused_for_less_than_the_heartbeat_is_waited_out_and_the_event_is_handled_once()
    {
        await using var host = await StartHostAsync(heartbeat: TimeSpan.FromMinutes(1));
        var widgetId = Guid.NewGuid();

        await rabbit.PauseAsync();
        try
        {
            await OutboxProbe.MakeWidgetAsync(host, widgetId);
            await Eventually.TrueAsync(async () => await probe.AttemptsAsync() >= 2, Timeout, "the relay gives up on the confirm and tries again");
            Assert.True(await probe.ConfirmTimedOutAsync(), await probe.LastErrorAsync());
            Assert.Equal(0, await probe.DispatchedAsync());
        }
        finally
        {
            await rabbit.UnpauseAsync();
        }

        await Eventually.TrueAsync(async () => await probe.DispatchedAsync() == 1, Timeout, "the row is published and confirmed after the pause");
        await Eventually.TrueAsync(async () => await probe.HandledCountAsync(widgetId) == 1, Timeout, "the consumer handles the event");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await probe.HandledCountAsync(widgetId));
        Assert.DoesNotContain(await broker.QueueNamesAsync(), q => q.EndsWith("_error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broker_paused_past_the_heartbeat_is_reconnected_to_and_the_event_is_handled_once()
    {
        await using var host = await StartHostAsync(heartbeat: TimeSpan.FromSeconds(2));
        var bus = host.Services.GetRequiredService<IBusControl>();
        var widgetId = Guid.NewGuid();

        await rabbit.PauseAsync();
        try
        {
            await OutboxProbe.MakeWidgetAsync(host, widgetId);
            // Two missed heartbeats and the client gives the connection up: the bus is no longer healthy.
            await Eventually.TrueAsync(() => Task.FromResult(bus.CheckHealth().Status != BusHealthStatus.Healthy), Timeout, "the client drops the silent connection");
            Assert.True(await probe.ConfirmTimedOutAsync(), await probe.LastErrorAsync());
            Assert.Equal(0, await probe.DispatchedAsync());
        }
        finally
        {
            await rabbit.UnpauseAsync();
        }

        await Eventually.TrueAsync(async () => await probe.DispatchedAsync() == 1, Timeout, "the row is published on the new connection");
        await Eventually.TrueAsync(async () => await probe.HandledCountAsync(widgetId) == 1, Timeout, "the consumer, reconnected too, handles the event");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await probe.HandledCountAsync(widgetId));
        Assert.DoesNotContain(await broker.QueueNamesAsync(), q => q.EndsWith("_error", StringComparison.Ordinal));
    }

    private Task<TestHost> StartHostAsync(TimeSpan heartbeat) =>
        TestHost.StartAsync(database, broker, settings: new Dictionary<string, string?>
        {
            ["Outbox:PublishTimeout"] = "00:00:02",
            ["Messaging:Heartbeat"] = heartbeat.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
}
