using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Resilience;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Jtai.Strategy.Notifications.Dispatch;

/// <summary>
/// Sends what the consumers planned, exactly once per (source message, recipient) short of one window:
/// <list type="number">
/// <item>claim: the delivery becomes "sending" with a lease, in its own committed transaction, before any byte goes to the relay;</item>
/// <item>send through the channel (Polly retry + circuit breaker), with the Message-ID derived from the source message;</item>
/// <item>record: "sent" and <c>InvitationDelivered</c> in one transaction (or "failed" and <c>InvitationDeliveryFailed</c>,
/// or "pending" again with a later attempt time).</item>
/// </list>
/// A "sent" or "failed" delivery is never claimed again. A "sending" delivery whose lease ran out belonged to a
/// dispatcher that died mid-send; it is sent again with the same Message-ID (at-least-once for that window, see
/// docs/notifications.md). Several instances may run: claims use <c>FOR UPDATE SKIP LOCKED</c> and the lease.
/// </summary>
public sealed partial class DeliveryDispatcher(
    IServiceScopeFactory scopeFactory,
    ChannelSelector channels,
    RelayResilience resilience,
    DeliverySignal signal,
    TimeProvider clock,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private static readonly Counter<long> Outcomes = JtaiTelemetry.Meter.CreateCounter<long>("jtai.notifications.deliveries", description: "Dispatch outcomes by kind, channel and outcome (sent, failed, retry)");
    private static readonly Counter<long> Interrupted = JtaiTelemetry.Meter.CreateCounter<long>("jtai.notifications.interrupted_sends", description: "Deliveries taken over after a dispatcher died mid-send (each may be a duplicate e-mail)");
    private static readonly Histogram<double> Latency = JtaiTelemetry.Meter.CreateHistogram<double>("jtai.notifications.delivery_latency", "ms", "Time from consuming the message to the relay accepting the notice");

    // Pending deliveries and "sending" ones whose lease ran out, earliest first; rows claimed by another instance are
    // skipped. A delivery waits while an earlier one to the same recipient about the same meeting is unfinished (pending
    // or sending, whatever its next attempt time), so a recipient's notices about a meeting (invitation, reminder, new
    // time, cancellation) reach the relay in the order they were accepted, one at a time, even after a long relay
    // outage in which later ones reached a shorter backoff than earlier ones. Notices about other meetings do not wait
    // behind them: a SPOC receives every meeting's invitation, and one at a time per address capped the service at a
    // few e-mails a second. (An administrator's notice or a MASDG digest stores its own id as the meeting's: each
    // stands alone.) Deliveries
    // this instance still holds ({2}: sending, or recording an outcome through a database outage) are never its claims.
    private const string ClaimDueSql =
        "SELECT * FROM " + NotificationsDbContext.SchemaName + ".delivery d WHERE d.status IN ('pending', 'sending') AND d.next_attempt_at <= {0} " +
        "AND d.id <> ALL({2}) " +
        "AND NOT EXISTS (SELECT 1 FROM " + NotificationsDbContext.SchemaName + ".delivery e WHERE e.recipient_key = d.recipient_key AND e.meeting_id = d.meeting_id " +
        "AND e.status IN ('pending', 'sending') AND (e.created_at, e.id) < (d.created_at, d.id)) " +
        "ORDER BY d.next_attempt_at LIMIT {1} FOR UPDATE OF d SKIP LOCKED";

    private const string LockSql = "SELECT * FROM " + NotificationsDbContext.SchemaName + ".delivery WHERE id = ANY({0}) ORDER BY id FOR UPDATE";

    private readonly DeliveryOptions settings = Validated(options.Value);

    // Outcomes waiting to be recorded: one writer commits all that are waiting in one transaction (group commit). Each
    // send slot has at most one outcome here, so a commit holds at most MaxConcurrentSends of them.
    private readonly Channel<PendingRecord> pendingRecords = Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions { SingleReader = true });

    // Claimed here and not yet finished (sent and recorded, or abandoned on stop). The claim loop runs on while a slot
    // retries its record through an outage, so without this it could take over its own row once the lease ran out and
    // send the e-mail again.
    private readonly ConcurrentDictionary<Guid, byte> held = new();

    /// <summary>
    /// A pipeline, not rounds: up to <see cref="DeliveryOptions.MaxConcurrentSends"/> sends are in flight, and each slot
    /// that frees is filled by the next claim at once. (Claiming a round and waiting for its slowest send before the next
    /// left deliveries queued behind one slow conversation: under load the wait to be claimed was most of an e-mail's
    /// time, see the load benchmark's hop lines.) A send that finishes wakes the loop, as it may have released the same
    /// recipient's next notice.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(settings.MaxConcurrentSends, settings.MaxConcurrentSends);
        var inFlight = new List<Task>();
        var failures = 0;
        var recorder = Task.Run(RecordWaitingOutcomesAsync, CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var free = 0;
                try
                {
                    await slots.WaitAsync(stoppingToken);
                    free = 1;
                    while (free < settings.MaxConcurrentSends && slots.Wait(0))
                    {
                        free++;
                    }

                    // A claim that has begun is finished, and what it claimed is sent (each send has its own grace on
                    // stop): a claim cut off by the stop would roll back noisily, and rows claimed but never sent would
                    // wait out their lease.
                    var claims = await ClaimAsync(free, CancellationToken.None);
                    failures = 0;
                    foreach (var claim in claims)
                    {
                        free--;
                        inFlight.RemoveAll(t => t.IsCompleted);
                        held[claim.DeliveryId] = 0;
                        inFlight.Add(SendInSlotAsync(claim, slots, stoppingToken));
                    }

                    if (free > 0)
                    {
                        slots.Release(free);
                        free = 0;
                    }

                    if (claims.Count == 0 || slots.CurrentCount > 0)
                    {
                        // Nothing more is due now: wait for a consumer's commit, a finished send or the poll.
                        await signal.WaitAsync(settings.PollInterval, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    if (free > 0)
                    {
                        slots.Release(free);
                    }

                    // The database is unreachable: deliveries stay in the table; try again with backoff.
                    failures++;
                    LogDispatchFailed(logger, ex);
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7)))), stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            // Sends under way finish (or are abandoned to their lease after their grace) before the service stops; the
            // recorder stops once their outcomes are recorded.
            await Task.WhenAll(inFlight);
            pendingRecords.Writer.TryComplete();
            await recorder;
        }
    }

    private async Task SendInSlotAsync(Claim claim, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await SendAndRecordAsync(claim, stoppingToken);
        }
        catch (Exception ex)
        {
            // The row stays "sending"; its lease decides (another claim after it runs out).
            LogDispatchFailed(logger, ex);
        }
        finally
        {
            held.TryRemove(claim.DeliveryId, out _);
            slots.Release();
            signal.Notify();
        }
    }

    /// <summary>Step 1: "sending" is committed before the send starts.</summary>
    private async Task<List<Claim>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var due = await db.Deliveries
            .FromSqlRaw(ClaimDueSql, now, limit, held.Keys.ToArray())
            .ToListAsync(cancellationToken);

        var claims = new List<Claim>(due.Count);
        foreach (var delivery in due)
        {
            var interrupted = delivery.Status == DeliveryStatus.Sending;
            delivery.Claim(now, now + settings.SendingLease);
            if (interrupted)
            {
                Interrupted.Add(1, new KeyValuePair<string, object?>("kind", delivery.Kind));
                LogInterrupted(logger, delivery.Id, delivery.Kind, delivery.NotificationId);
            }

            claims.Add(new Claim(delivery.Id, delivery.Attempts, delivery.Kind, delivery.Channel, delivery.NotificationId, delivery.ExpiresAt, delivery.CreatedAt,
                new NotificationRecipient(delivery.RecipientName, delivery.RecipientEmail), delivery.Content));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claims;
    }

    private async Task SendAndRecordAsync(Claim claim, CancellationToken stoppingToken)
    {
        using var activity = JtaiTelemetry.ActivitySource.StartActivity($"deliver {claim.Kind}");
        activity?.SetTag("jtai.delivery.id", claim.DeliveryId);
        activity?.SetTag("jtai.delivery.attempt", claim.Attempts);
        activity?.SetTag("jtai.delivery.channel", claim.Channel);

        DeliveryResult result;
        var now = clock.GetUtcNow();
        if (now >= claim.ExpiresAt)
        {
            result = DeliveryResult.Permanent(claim.Channel, $"Not delivered before {claim.ExpiresAt:u} (the meeting was over, or the relay was unreachable for too long).");
        }
        else if (claim.Content is null || channels.ByName(claim.Channel) is not { } channel)
        {
            // Configuration, not the message: an operator can register the channel; keep the delivery.
            result = DeliveryResult.Transient(claim.Channel, $"Channel '{claim.Channel}' is not configured in this instance.");
        }
        else
        {
            var sent = await SendAsync(channel, claim, stoppingToken);
            if (sent is null)
            {
                // Shutting down mid-send: whether the relay got it is unknown. The delivery stays "sending"; after
                // its lease another dispatcher sends it again with the same Message-ID (the documented window).
                return;
            }

            result = sent;
        }

        activity?.SetTag("jtai.delivery.outcome", result.Outcome.ToString());
        await RecordAsync(claim, result, stoppingToken);
    }

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>Step 2. Returns null when the service is stopping and the send was abandoned.</summary>
    private async Task<DeliveryResult?> SendAsync(IDeliveryChannel channel, Claim claim, CancellationToken stoppingToken)
    {
        var notification = new OutgoingNotification(claim.NotificationId, claim.Recipient, StoredContent.Deserialize(claim.Content!));
        using var timeout = new CancellationTokenSource(settings.SendTimeout);
        // A send under way when the service is told to stop gets a short grace to finish and be recorded, so a clean
        // stop sends nothing twice; only a send still unanswered after it is abandoned to the lease (the documented window).
        using var onStop = stoppingToken.Register(() => timeout.CancelAfter(StopGrace));
        try
        {
            return await resilience.For(channel.ChannelName).ExecuteAsync(
                static async (state, ct) => await state.channel.SendAsync(state.notification, ct),
                (channel, notification),
                timeout.Token);
        }
        catch (BrokenCircuitException ex)
        {
            return DeliveryResult.Transient(channel.ChannelName, "Relay circuit open: " + ex.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return DeliveryResult.Transient(channel.ChannelName, $"No answer from the relay within {settings.SendTimeout}.");
        }
        catch (Exception ex)
        {
            // A channel must not throw; if one does, it is a fault worth retrying rather than a verdict on the recipient.
            LogChannelThrew(logger, ex, channel.ChannelName, claim.DeliveryId);
            return DeliveryResult.Transient(channel.ChannelName, ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>
    /// Step 3: the outcome and its event in one transaction, unless another dispatcher has since taken the delivery over.
    /// The send has happened: losing its outcome to a database outage would leave the row "sending" and, after its lease,
    /// cause a resend. So while the failure is an outage (<see cref="TransientFailures"/>) the commit is retried with
    /// capped backoff for as long as it lasts, until the service stops; only a process that dies (or is stopped) between
    /// the relay's 250 and this commit leaves the documented resend window. Other failures keep a short bounded retry.
    /// </summary>
    /// <remarks>
    /// The lease is not renewed while retrying: renewing is a write to the same unreachable database. It is not needed
    /// either: while the database is down no dispatcher can claim anything, this instance's claim loop skips the rows it
    /// still holds, and once the database answers the next retry comes within <see cref="DeliveryOptions.RecordRetryMaxDelay"/>
    /// (seconds) — and the commit checks only that the row is still this claim, not the lease's time. A takeover needs
    /// another instance to claim the row in the seconds between the database returning and this retry, after an outage
    /// longer than <see cref="DeliveryOptions.SendingLease"/> (5 minutes by default); that resend keeps the Message-ID.
    /// </remarks>
    private async Task RecordAsync(Claim claim, DeliveryResult result, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Cancellation ignored for the attempt itself: recording what was sent is worth finishing during shutdown.
                await RecordOnceAsync(claim, result);
                if (attempt > 1)
                {
                    LogRecordedAfterRetries(logger, claim.DeliveryId, attempt);
                }

                return;
            }
            catch (Exception ex) when (ex is not DbUpdateConcurrencyException
                && (TransientFailures.IsTransient(ex) || attempt < 5)
                && !stoppingToken.IsCancellationRequested)
            {
                LogRecordRetry(logger, ex, claim.DeliveryId, attempt);
                var delay = TimeSpan.FromMilliseconds(Math.Min(
                    settings.RecordRetryMaxDelay.TotalMilliseconds,
                    200 * Math.Pow(2, Math.Min(attempt, 16))));
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Stopping with the outcome unrecorded: the row stays "sending" and its lease decides (the window).
                    LogRecordAbandoned(logger, claim.DeliveryId, result.Outcome.ToString());
                    return;
                }
            }
        }
    }

    /// <summary>Queues the outcome for the recorder and waits until it is committed (or failed, for the caller's retry).</summary>
    private Task RecordOnceAsync(Claim claim, DeliveryResult result)
    {
        var pending = new PendingRecord(claim, result, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!pendingRecords.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The dispatcher has stopped recording outcomes.");
        }

        return pending.Done.Task;
    }

    /// <summary>
    /// Group commit: every outcome waiting when the previous commit ends goes into the next transaction, so under load one
    /// round of locks, updates, outbox rows and one commit (one WAL flush) serve many e-mails, and at low load an outcome
    /// waits for nothing. If a group fails other than by an outage, each of its outcomes is tried alone, so one outcome's
    /// fault never holds back another's (each caller retries its own as before).
    /// </summary>
    private async Task RecordWaitingOutcomesAsync()
    {
        var reader = pendingRecords.Reader;
        var group = new List<PendingRecord>(settings.MaxConcurrentSends);
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var next))
            {
                group.Add(next);
            }

            try
            {
                await RecordGroupAsync(group);
                group.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex) when (group.Count > 1 && !TransientFailures.IsTransient(ex))
            {
                foreach (var pending in group)
                {
                    try
                    {
                        await RecordGroupAsync([pending]);
                        pending.Done.TrySetResult();
                    }
                    catch (Exception alone)
                    {
                        pending.Done.TrySetException(alone);
                    }
                }
            }
            catch (Exception ex)
            {
                group.ForEach(p => p.Done.TrySetException(ex));
            }

            group.Clear();
        }
    }

    private async Task RecordGroupAsync(IReadOnlyList<PendingRecord> group)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var ids = group.Select(p => p.Claim.DeliveryId).ToArray();
        var rows = await db.Deliveries.FromSqlRaw(LockSql, ids).ToDictionaryAsync(d => d.Id, CancellationToken.None);
        var now = clock.GetUtcNow();
        var outcomes = new List<TagList>(group.Count);
        foreach (var (claim, result, _) in group)
        {
            var delivery = rows.GetValueOrDefault(claim.DeliveryId) ?? throw new InvalidOperationException($"Delivery {claim.DeliveryId} is no longer in the table.");
            if (delivery.Status != DeliveryStatus.Sending || delivery.Attempts != claim.Attempts)
            {
                LogTakenOver(logger, claim.DeliveryId, delivery.Status.ToString());
                continue;
            }

            outcomes.Add(Apply(db, delivery, claim, result, now));
        }

        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        foreach (var tags in outcomes)
        {
            Outcomes.Add(1, tags);
        }
    }

    /// <summary>The outcome on the delivery row and its event in the outbox; returns the outcome's metric tags.</summary>
    private TagList Apply(NotificationsDbContext db, DeliveryRecord delivery, Claim claim, DeliveryResult result, DateTimeOffset now)
    {
        var tags = new TagList { { "kind", delivery.Kind }, { "channel", delivery.Channel } };
        switch (result.Outcome)
        {
            case DeliveryOutcome.Delivered:
                delivery.Sent(now, result.ProviderReference);
                db.AddOutboxMessage(DeliveryEventFactory.Delivered(delivery, now));
                tags.Add("outcome", "sent");
                Latency.Record((now - claim.CreatedAt).TotalMilliseconds, new KeyValuePair<string, object?>("kind", delivery.Kind));
                LogSent(logger, delivery.Id, delivery.Kind, delivery.Channel, delivery.Attempts);
                break;
            case DeliveryOutcome.PermanentFailure:
                var reason = DeliveryEventFactory.Reason(result.Detail);
                delivery.Fail(now, reason);
                db.AddOutboxMessage(DeliveryEventFactory.Failed(delivery, reason, now));
                tags.Add("outcome", "failed");
                LogFailed(logger, delivery.Id, delivery.Kind, delivery.Channel, reason);
                break;
            default:
                var backoff = TimeSpan.FromMilliseconds(Math.Min(
                    settings.MaxRetryDelay.TotalMilliseconds,
                    settings.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(delivery.Attempts - 1, 20))));
                var retryAt = now + backoff < delivery.ExpiresAt ? now + backoff : delivery.ExpiresAt;
                var error = DeliveryEventFactory.Reason(result.Detail);
                delivery.RetryLater(retryAt, error);
                tags.Add("outcome", "retry");
                LogRetryLater(logger, delivery.Id, delivery.Kind, retryAt, error);
                break;
        }

        return tags;
    }

    private static DeliveryOptions Validated(DeliveryOptions value)
    {
        value.Validate();
        return value;
    }

    /// <summary>An outcome waiting for the recorder, and the caller waiting for its commit.</summary>
    private sealed record PendingRecord(Claim Claim, DeliveryResult Result, TaskCompletionSource Done);

    /// <summary>What a dispatch needs, copied out of the claiming transaction.</summary>
    private sealed record Claim(
        Guid DeliveryId, int Attempts, string Kind, string Channel, string NotificationId, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt,
        NotificationRecipient Recipient, string? Content);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery dispatcher failed; retrying")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Kind}) was still 'sending' after its lease: its dispatcher died mid-send. Sending again with the same Message-ID ({NotificationId})")]
    private static partial void LogInterrupted(ILogger logger, Guid deliveryId, string kind, string notificationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel} threw while delivering {DeliveryId}; treated as transient")]
    private static partial void LogChannelThrew(ILogger logger, Exception exception, string channel, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the outcome of delivery {DeliveryId} failed (attempt {Attempt}); retrying")]
    private static partial void LogRecordRetry(ILogger logger, Exception exception, Guid deliveryId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outcome of delivery {DeliveryId} recorded on attempt {Attempt}")]
    private static partial void LogRecordedAfterRetries(ILogger logger, Guid deliveryId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping before the outcome ({Outcome}) of delivery {DeliveryId} could be recorded; it stays 'sending' until its lease runs out")]
    private static partial void LogRecordAbandoned(ILogger logger, Guid deliveryId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} was taken over by another dispatcher (now {Status}); outcome not recorded here")]
    private static partial void LogTakenOver(ILogger logger, Guid deliveryId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} ({Kind}) sent by {Channel} on dispatch {Attempt}")]
    private static partial void LogSent(ILogger logger, Guid deliveryId, string kind, string channel, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Kind}) failed for good on {Channel}: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, string kind, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Kind}) not delivered ({Error}); next attempt at {RetryAt}")]
    private static partial void LogRetryLater(ILogger logger, Guid deliveryId, string kind, DateTimeOffset retryAt, string error);
}
