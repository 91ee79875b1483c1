using MassTransit;

namespace Jtai.Strategy.Notifications.Dispatch;

/// <summary>
/// Wakes the dispatcher when a consumer has committed new deliveries, so an e-mail leaves within milliseconds rather
/// than a poll interval. Polling remains the safety net (retries, rows planned by other instances).
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: one wake-up covers every pending delivery.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// After a consumer finished (its transaction committed), wakes the dispatcher. A consumer that planned nothing
/// costs one empty poll.
/// </summary>
public sealed class WakeDispatcherAfterConsume(DeliverySignal signal) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        signal.Notify();
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
