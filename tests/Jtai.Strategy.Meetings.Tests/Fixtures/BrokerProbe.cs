using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.Testing;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Jtai.Strategy.Meetings.Tests.Fixtures;

/// <summary>
/// Listens on the real broker, like any other service would: a private queue bound to the exchanges
/// of the given contracts, keeping every message that arrives (MassTransit envelope unwrapped).
/// It outlives service hosts, so a restart test sees what every incarnation published.
/// </summary>
public sealed class BrokerProbe : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly ConcurrentQueue<(string Exchange, JsonElement Message)> received = new();
    private readonly IConnection connection;
    private readonly IChannel channel;

    private BrokerProbe(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    public static async Task<BrokerProbe> StartAsync(RabbitMqVirtualHost vhost, params Type[] contracts)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(vhost.ConnectionString) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var probe = new BrokerProbe(connection, channel);
        var queue = await channel.QueueDeclareAsync("probe-" + Guid.NewGuid().ToString("N")[..8], durable: false, exclusive: true, autoDelete: true);
        foreach (var contract in contracts)
        {
            // Declared as MassTransit declares a message exchange (durable fanout), so either may come first.
            await channel.ExchangeDeclareAsync(ExchangeOf(contract), ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue.QueueName, ExchangeOf(contract), string.Empty);
        }

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var envelope = JsonDocument.Parse(delivery.Body);
            probe.received.Enqueue((delivery.Exchange, envelope.RootElement.GetProperty("message").Clone()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return probe;
    }

    public IReadOnlyList<T> All<T>()
        where T : class
    {
        var exchange = ExchangeOf(typeof(T));
        return received.Where(r => r.Exchange == exchange).Select(r => r.Message.Deserialize<T>(Json)!).ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> matching messages arrived; returns all that match.</summary>
    public Task<IReadOnlyList<T>> WaitForAsync<T>(Func<T, bool> match, int count = 1, string? because = null)
        where T : class =>
        Eventually.GetAsync(
            () => Task.FromResult<IReadOnlyList<T>>(All<T>().Where(match).ToList()),
            found => found.Count >= count,
            TimeSpan.FromSeconds(20),
            because ?? $"{count} {typeof(T).Name} published");

    public static string ExchangeOf(Type contract) =>
        contract.GetCustomAttribute<EntityNameAttribute>()?.EntityName ?? throw new InvalidOperationException($"{contract.Name} has no [EntityName].");

    public async ValueTask DisposeAsync()
    {
        await channel.CloseAsync();
        await connection.CloseAsync();
        connection.Dispose();
    }
}
