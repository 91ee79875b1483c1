using System.Collections.Concurrent;
using MassTransit;

namespace Jtai.Strategy.BuildingBlocks.Outbox;

/// <summary>
/// Stops every outbox relay when the bus is about to stop, and waits for their current batch: on SIGTERM the
/// host stops Kestrel (draining requests), then the bus (its receive endpoints finish in-flight messages), and
/// nothing publishes to a stopping bus. Rows written meanwhile stay pending for the next start (or another instance).
/// </summary>
public sealed class OutboxRelayShutdown : IBusObserver
{
    private readonly CancellationTokenSource busStopping = new();
    private readonly ConcurrentBag<Task> relays = [];

    public CancellationToken BusStopping => busStopping.Token;

    /// <summary>A relay's loop, awaited before the bus stops.</summary>
    public void Track(Task relay) => relays.Add(relay);

    public async Task PreStop(IBus bus)
    {
        await busStopping.CancelAsync();
        await Task.WhenAll(relays);
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
