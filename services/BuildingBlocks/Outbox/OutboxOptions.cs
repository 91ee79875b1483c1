namespace Jtai.Strategy.BuildingBlocks.Outbox;

public sealed class OutboxOptions
{
    /// <summary>How often the relay looks for rows when nothing woke it (rows of other instances, retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rows claimed per transaction; also the number of publishes awaiting broker confirms at once.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>First retry delay after a failed publish; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Dispatched rows are kept this long (for diagnosis), then deleted.</summary>
    public TimeSpan DispatchedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows are kept this long; a redelivery older than this would be handled again.
    /// Far longer than any broker redelivery or outbox retry can take.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);
}
