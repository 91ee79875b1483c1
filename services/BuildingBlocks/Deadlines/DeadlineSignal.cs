namespace Jtai.Strategy.BuildingBlocks.Deadlines;

/// <summary>
/// Lets the deadline poller sleep until the next due row instead of polling: when this instance commits a deadline
/// due sooner than the poller means to wake, the poller wakes at once and plans again. Rows stored by other instances
/// are fired by those instances' own pollers; the poll interval remains the upper bound on any sleep.
/// </summary>
public sealed class DeadlineSignal
{
    private readonly Lock gate = new();
    private DateTimeOffset? storedSinceArmed;
    private DateTimeOffset sleepingUntil = DateTimeOffset.MinValue;
    private TaskCompletionSource nearer = NewWake();

    /// <summary>A transaction that stored deadlines, the earliest due at <paramref name="dueAt"/>, has committed.</summary>
    public void Stored(DateTimeOffset dueAt)
    {
        TaskCompletionSource? wake = null;
        lock (gate)
        {
            storedSinceArmed = storedSinceArmed is { } earlier && earlier <= dueAt ? earlier : dueAt;
            if (dueAt < sleepingUntil)
            {
                wake = nearer;
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>
    /// Called before the poller looks for due rows: a deadline committed from then on is seen either by that look or
    /// by <see cref="SleepUntilAsync"/>, never by neither.
    /// </summary>
    internal void Arm()
    {
        lock (gate)
        {
            storedSinceArmed = null;
            sleepingUntil = DateTimeOffset.MinValue;
            nearer = NewWake();
        }
    }

    /// <summary>Sleeps until <paramref name="until"/>, or less if a deadline due before it is stored meanwhile.</summary>
    internal async Task SleepUntilAsync(DateTimeOffset until, TimeProvider clock, CancellationToken cancellationToken)
    {
        Task woken;
        lock (gate)
        {
            if (storedSinceArmed is { } stored && stored < until)
            {
                return;
            }

            sleepingUntil = until;
            woken = nearer.Task;
        }

        var delay = until - clock.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(woken, Task.Delay(delay, sleeping.Token));
        await sleeping.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
