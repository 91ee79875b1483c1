namespace Jtai.Strategy.Notifications.Dispatch;

/// <summary>How the dispatcher drains the delivery table (configuration section <c>Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>How often the dispatcher looks for due deliveries when nothing woke it (retries, other instances' rows).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sends in flight at once; each slot that frees is filled by the next claim.</summary>
    public int MaxConcurrentSends { get; set; } = 16;

    /// <summary>Upper bound of one dispatch (every relay attempt of the pipeline); then it counts as a transient failure.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long a claimed ("sending") delivery belongs to its dispatcher. Longer than <see cref="SendTimeout"/>, so only
    /// a dead dispatcher's delivery is ever taken over, and then resent with the same Message-ID.
    /// </summary>
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest wait between attempts to record a send's outcome while the database is unreachable (backoff from 400 ms).
    /// The record is retried for the whole outage; this bounds how soon after the database returns it is committed.
    /// </summary>
    public TimeSpan RecordRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait after a dispatch failed transiently; doubles per dispatch up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A delivery not sent within this time is failed (and <c>InvitationDeliveryFailed</c> published), so a long relay
    /// outage reaches the manager's board instead of waiting silently. Meeting notices also expire at the meeting's end.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Channels in order of preference; the first that can reach the recipient is used.</summary>
    public List<string> ChannelPreference { get; set; } = ["email"];

    /// <summary>The resilience pipeline around each relay (Polly retry inside one dispatch, circuit breaker across dispatches).</summary>
    public RelayResilienceOptions Relay { get; set; } = new();

    public void Validate()
    {
        if (SendingLease <= SendTimeout)
        {
            throw new InvalidOperationException("Delivery:SendingLease must be longer than Delivery:SendTimeout, or a slow send could be taken over and sent twice.");
        }

        if (MaxConcurrentSends < 1 || PollInterval <= TimeSpan.Zero || RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay || RecordRetryMaxDelay <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Delivery: MaxConcurrentSends ≥ 1, PollInterval and RetryDelay > 0, MaxRetryDelay ≥ RetryDelay, RecordRetryMaxDelay > 0.");
        }
    }
}

public sealed class RelayResilienceOptions
{
    /// <summary>Retries within one dispatch after a transient failure (4xx, connection refused, timeout).</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>First retry delay (exponential, with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The breaker opens when this share of attempts in <see cref="SamplingDuration"/> failed transiently...</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>... and at least this many were made.</summary>
    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While open, dispatches fail at once (the relay is not hammered); then one trial goes through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
