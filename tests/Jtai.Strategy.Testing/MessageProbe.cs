using System.Collections.Concurrent;
using Jtai.Strategy.BuildingBlocks.Messaging;
using MassTransit;

namespace Jtai.Strategy.Testing;

/// <summary>
/// A real consumer on the test's virtual host that collects messages of chosen types, so a test can
/// assert what a service published to the broker (not what it meant to publish).
/// </summary>
public sealed class MessageProbe : IAsyncDisposable
{
    private readonly ConcurrentQueue<(object Message, ConsumeContext Context)> received = new();
    private readonly List<Action<IRabbitMqReceiveEndpointConfigurator>> subscriptions = [];
    private IBusControl? bus;

    public IReadOnlyList<object> Received => received.Select(r => r.Message).ToList();

    public MessageProbe Collect<T>()
        where T : class
    {
        subscriptions.Add(e => e.Handler<T>(context =>
        {
            received.Enqueue((context.Message, context));
            return Task.CompletedTask;
        }));
        return this;
    }

    /// <summary>Collects a contract type known only at run time (e.g. a fixture's list of contracts).</summary>
    public MessageProbe Collect(Type messageType) =>
        (MessageProbe)typeof(MessageProbe).GetMethod(nameof(Collect), Type.EmptyTypes)!.MakeGenericMethod(messageType).Invoke(this, null)!;

    public static async Task<MessageProbe> StartAsync(RabbitMqVirtualHost broker, Action<MessageProbe> subscribe)
    {
        var probe = new MessageProbe();
        subscribe(probe);
        var address = BrokerAddress.Parse(broker.ConnectionString);
        probe.bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
            {
                h.Username(address.Username);
                h.Password(address.Password);
            });
            cfg.ReceiveEndpoint("test-probe-" + Guid.NewGuid().ToString("N")[..8], e =>
            {
                e.SetQuorumQueue();
                foreach (var subscription in probe.subscriptions)
                {
                    subscription(e);
                }
            });
        });
        await probe.bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return probe;
    }

    public IReadOnlyList<T> All<T>(Func<T, bool>? predicate = null) =>
        received.Select(r => r.Message).OfType<T>().Where(m => predicate?.Invoke(m) ?? true).ToList();

    /// <summary>The message ids of the collected messages of a type (to check deduplication keys).</summary>
    public IReadOnlyList<Guid?> MessageIds<T>() => received.Where(r => r.Message is T).Select(r => r.Context.MessageId).ToList();

    public Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(All(predicate).FirstOrDefault()),
            m => m is not null,
            timeout,
            $"a {typeof(T).Name} reaches the probe")!;

    /// <summary>Waits until at least <paramref name="count"/> matching messages arrived; returns all that match.</summary>
    public Task<IReadOnlyList<T>> WaitForAllAsync<T>(Func<T, bool> match, int count = 1, string? because = null, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(All(match)),
            found => found.Count >= count,
            timeout ?? TimeSpan.FromSeconds(20),
            because ?? $"{count} {typeof(T).Name} published");

    public async ValueTask DisposeAsync()
    {
        if (bus is not null)
        {
            await bus.StopAsync();
        }
    }
}
