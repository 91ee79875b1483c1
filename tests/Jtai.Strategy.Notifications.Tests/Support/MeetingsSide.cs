using System.Collections.Concurrent;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Testing;
using MassTransit;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// Plays the meetings service on the real broker: publishes what it would issue (with a chosen MessageId, to play
/// redelivery) and observes what the notifications service publishes back.
/// </summary>
public sealed class MeetingsSide : IAsyncDisposable
{
    private readonly IBusControl bus;

    private MeetingsSide(IBusControl bus) => this.bus = bus;

    public ConcurrentQueue<InvitationDelivered> Delivered { get; } = new();

    public ConcurrentQueue<InvitationDeliveryFailed> Failed { get; } = new();

    public ConcurrentQueue<NoticeDelivered> NoticesDelivered { get; } = new();

    public ConcurrentQueue<NoticeDeliveryFailed> NoticesFailed { get; } = new();

    /// <summary>Every InvitationIssued on the broker (the test's own, or a real meetings service's).</summary>
    public ConcurrentQueue<InvitationIssued> Issued { get; } = new();

    public static async Task<MeetingsSide> StartAsync(RabbitMqVirtualHost broker)
    {
        MeetingsSide? side = null;
        var address = BrokerAddress.Parse(broker.ConnectionString);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
            {
                h.Username(address.Username);
                h.Password(address.Password);
            });
            cfg.ReceiveEndpoint("meetings-side-observer", e =>
            {
                Collect(e, () => side!.Delivered);
                Collect(e, () => side!.Failed);
                Collect(e, () => side!.NoticesDelivered);
                Collect(e, () => side!.NoticesFailed);
                Collect(e, () => side!.Issued);
            });
        });
        side = new MeetingsSide(bus);
        await bus.StartAsync();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return side;
    }

    /// <summary>Every <typeparamref name="T"/> the endpoint receives goes into the queue (resolved when it arrives).</summary>
    private static void Collect<T>(IReceiveEndpointConfigurator endpoint, Func<ConcurrentQueue<T>> queue)
        where T : class =>
        endpoint.Handler<T>(c =>
        {
            queue().Enqueue(c.Message);
            return Task.CompletedTask;
        });

    /// <summary>Publishes <paramref name="message"/> with the given MessageId (the same id twice is a redelivery).</summary>
    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null)
        where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        await bus.Publish(message, c => c.MessageId = id);
        return id;
    }

    /// <summary>Publishes as another service would (the directory, say), with the message ids MassTransit gives.</summary>
    public IPublishEndpoint Publisher => bus;

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
