using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.BuildingBlocks.Outbox;

/// <summary>Called after a batch was published and confirmed, before it is marked dispatched.</summary>
public interface IOutboxRelayObserver
{
    Task PublishedAsync(IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken);
}

/// <summary>
/// Publishes outbox rows. Each batch is claimed with <c>FOR UPDATE SKIP LOCKED</c> inside one
/// transaction, published with publisher confirms, then marked dispatched in that same transaction.
/// A crash anywhere before the commit leaves the rows undispatched and unlocked: they are published
/// again under the same MessageId, and consumers' inboxes drop the duplicate. Nothing is lost.
/// Several instances may relay the same schema at once; SKIP LOCKED keeps them off each other's rows.
/// </summary>
public sealed partial class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IBusControl bus,
    OutboxSignal signal,
    OutboxRelayShutdown shutdown,
    IOptions<OutboxOptions> options,
    IEnumerable<IOutboxRelayObserver> observers,
    ILogger<OutboxRelay<TDbContext>> logger) : BackgroundService
    where TDbContext : ServiceDbContext
{
    private static readonly Counter<long> Published = JtaiTelemetry.Meter.CreateCounter<long>("jtai.outbox.published", description: "Outbox messages published and confirmed by the broker");
    private static readonly Counter<long> Failed = JtaiTelemetry.Meter.CreateCounter<long>("jtai.outbox.publish_failures", description: "Outbox publishes that failed and were rescheduled");
    private static readonly Counter<long> Unroutable = JtaiTelemetry.Meter.CreateCounter<long>("jtai.outbox.unroutable", description: "Outbox publishes the broker returned because no queue is bound for the message type; rescheduled");
    private static readonly Histogram<double> Lag = JtaiTelemetry.Meter.CreateHistogram<double>("jtai.outbox.lag", "ms", "Time from commit of an outbox row to its confirmed publish");

    private readonly OutboxOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        // Stops at whichever comes first: its own stop, or the bus about to stop (which waits for this loop).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, shutdown.BusStopping);
        var loop = RelayUntilStoppedAsync(stopping.Token, hostStopping);
        shutdown.Track(loop);
        await loop;
    }

    /// <summary>
    /// Relays until <paramref name="stoppingToken"/>; a batch under way runs on <paramref name="batchToken"/> (the host's
    /// own stop, after the bus's), so the bus about to stop lets it finish rather than cancelling publishes mid-flight.
    /// </summary>
    private async Task RelayUntilStoppedAsync(CancellationToken stoppingToken, CancellationToken batchToken)
    {
        await Task.Yield();
        // Publish only once this service's own receive endpoints are bound: a reply to what we publish
        // (e.g. a directory snapshot we request) must find our queue, or RabbitMQ drops it.
        while (!stoppingToken.IsCancellationRequested
               && await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)) != BusHealthStatus.Healthy)
        {
            LogWaitingForBus(logger, typeof(TDbContext).Name);
        }

        var nextCleanup = DateTimeOffset.UtcNow;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int relayed;
                do
                {
                    relayed = await RelayBatchAsync(batchToken);
                }
                while (relayed == settings.BatchSize && !stoppingToken.IsCancellationRequested);

                if (DateTimeOffset.UtcNow >= nextCleanup)
                {
                    await CleanupAsync(batchToken);
                    nextCleanup = DateTimeOffset.UtcNow.AddHours(1);
                }

                failures = 0;
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || batchToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Database or broker unreachable: rows stay in the table; try again with backoff.
                failures++;
                LogRelayFailed(logger, ex, typeof(TDbContext).Name);
                var delay = TimeSpan.FromMilliseconds(Math.Min(settings.MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Claims, publishes and marks one batch. Returns how many rows it claimed.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var rows = await db.OutboxMessages
            .FromSqlRaw(db.Sql.ClaimOutboxBatch, settings.BatchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        // Each row on its own: one unroutable type fails only its rows, the rest of the batch goes on.
        var results = await Task.WhenAll(rows.Select(row => PublishAsync(row, cancellationToken)));

        var published = rows.Where((_, i) => results[i] is null).Select(r => r.MessageId).ToList();
        foreach (var observer in observers)
        {
            await observer.PublishedAsync(published, cancellationToken);
        }

        // Once the broker has confirmed, the marks and the commit are no longer cancelled by a stop: a stop between
        // the confirm and the commit would publish the batch again on the next start (inboxes drop the copies, but
        // only a crash should ever take that path).
        var committing = CancellationToken.None;
        if (published.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync(db.Sql.MarkDispatched, [published.ToArray()], committing);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (results[i] is { } error)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(settings.MaxRetryDelay.TotalMilliseconds, settings.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(rows[i].Attempts, 20))));
                await db.Database.ExecuteSqlRawAsync(db.Sql.RescheduleOutbox, [delay, error, rows[i].SequenceNumber], committing);
            }
        }

        await transaction.CommitAsync(committing);

        var now = DateTimeOffset.UtcNow;
        var tags = new KeyValuePair<string, object?>("schema", db.Schema);
        Published.Add(published.Count, tags);
        Failed.Add(rows.Count - published.Count, tags);
        Unroutable.Add(results.Count(r => r is not null && r.StartsWith(OutboxFailure.UnroutablePrefix, StringComparison.Ordinal)), tags);
        foreach (var row in rows.Where((_, i) => results[i] is null))
        {
            Lag.Record((now - row.CreatedAt).TotalMilliseconds, tags);
        }

        return rows.Count;
    }

    /// <summary>Publishes one row; returns null on a confirmed publish, else the reason it failed.</summary>
    private async Task<string?> PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var messageType = MessageTypeRegistry.Known.TypeOf(row.MessageType);
        if (messageType is null)
        {
            // Written by a newer build; keep it (never drop an accepted message) until a build that knows it relays it.
            LogUnknownType(logger, row.MessageType, row.MessageId);
            return $"Unknown message type {row.MessageType}";
        }

        ActivityContext.TryParse(row.TraceParent, row.TraceState, out var parent);
        using var activity = JtaiTelemetry.ActivitySource.StartActivity("outbox relay", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        activity?.SetTag("messaging.message.type", row.MessageType);
        try
        {
            var message = JsonSerializer.Deserialize(row.Body, messageType, OutboxExtensions.SerializerOptions)!;
            var publish = bus.Publish(message, messageType, context =>
            {
                context.MessageId = row.MessageId;
                // Mandatory: a message no queue is bound for comes back to us instead of being dropped, so the
                // row stays pending until its consumer's queue exists (declared by that service's migrate step or start).
                if (context is RabbitMqSendContext rabbit)
                {
                    rabbit.Mandatory = true;
                }
            }, cancellationToken);
            try
            {
                // Bounded: a confirm that never comes must not hold the batch's rows (and the relay) for ever.
                await publish.WaitAsync(settings.PublishTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The publish left behind may still fail when its channel finally closes; observe it so it is not unobserved.
                _ = publish.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                activity?.SetStatus(ActivityStatusCode.Error, "confirm timeout");
                LogConfirmTimedOut(logger, row.MessageId, row.MessageType, settings.PublishTimeout.TotalSeconds);
                return $"{OutboxFailure.ConfirmTimeoutPrefix}the broker did not confirm the publish within {settings.PublishTimeout.TotalSeconds:0.###} s (Outbox:PublishTimeout); retried, and a late confirm only means a copy the inboxes drop";
            }

            return null;
        }
        catch (MessageReturnedException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "unroutable");
            LogUnroutable(logger, row.MessageId, row.MessageType);
            return OutboxFailure.UnroutablePrefix + ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogPublishFailed(logger, ex, row.MessageId, row.MessageType);
            return ex.GetType().Name + ": " + ex.Message;
        }
    }

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await db.Database.ExecuteSqlRawAsync(db.Sql.DeleteDispatched, [settings.DispatchedRetention], cancellationToken);
        await db.Database.ExecuteSqlRawAsync(db.Sql.DeleteOldInbox, [settings.InboxRetention], cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay for {Context} waits for the bus to be healthy")]
    private static partial void LogWaitingForBus(ILogger logger, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay for {Context} failed; retrying")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox message {MessageId} ({MessageType}) failed; it will be retried")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid messageId, string messageType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({MessageType}): the broker did not confirm its publish within {Seconds} s; it will be retried")]
    private static partial void LogConfirmTimedOut(ILogger logger, Guid messageId, string messageType, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({MessageType}) is unroutable: no queue is bound for its type yet; it stays pending and is retried")]
    private static partial void LogUnroutable(ILogger logger, Guid messageId, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} has type {MessageType} that this build does not know; kept for a newer build")]
    private static partial void LogUnknownType(ILogger logger, string messageType, Guid messageId);
}
