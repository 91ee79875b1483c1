namespace Jtai.Strategy.BuildingBlocks.Outbox;

/// <summary>
/// Wakes the relay as soon as a transaction carrying outbox rows commits, so delivery latency is
/// milliseconds, not the poll interval. Polling remains the safety net (rows from other instances).
/// </summary>
public sealed class OutboxSignal
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
                // Already signalled: one wake-up covers every pending row.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}
