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

    /// <summary>
    /// How long one publish may wait for the broker's confirm. A channel to a node that died without the connection
    /// failing (a frozen peer, a half-open socket) never confirms nor fails; without a bound the relay would wait for
    /// ever while holding its claimed rows, and publish nothing more. On the bound the row is rescheduled as any failed
    /// publish is; a confirm arriving later only means the message goes out twice, and inboxes drop the copy.
    /// A quorum queue confirms once a majority of its members has the message, normally in milliseconds and within a
    /// couple of seconds during a leader election; the default leaves room for a loaded machine.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Dispatched rows are kept this long (for diagnosis), then deleted.</summary>
    public TimeSpan DispatchedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows are kept this long; a redelivery older than this would be handled again.
    /// Far longer than any broker redelivery or outbox retry can take.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);
}
