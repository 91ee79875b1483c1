using System.Diagnostics;
using System.Diagnostics.Metrics;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.BuildingBlocks.Deadlines;

/// <summary>
/// Fires due deadlines. Each batch is claimed with <c>FOR UPDATE SKIP LOCKED</c>; the handlers'
/// effects, their outbox messages and the "fired" marks commit together. So a deadline fires once
/// across restarts (an uncommitted batch is simply claimed again) and across instances (a claimed
/// row is invisible to the others). A failing handler is retried with backoff and never blocks the rest.
/// </summary>
public sealed partial class DeadlinePoller<TDbContext>(
    IServiceScopeFactory scopeFactory,
    DeadlineSignal signal,
    TimeProvider clock,
    IOptions<DeadlineOptions> options,
    ILogger<DeadlinePoller<TDbContext>> logger) : BackgroundService
    where TDbContext : ServiceDbContext
{
    private static readonly Histogram<double> Lateness = JtaiTelemetry.Meter.CreateHistogram<double>("jtai.deadline.lateness", "ms", "How long after its due time a deadline fired");
    private static readonly Counter<long> Fired = JtaiTelemetry.Meter.CreateCounter<long>("jtai.deadline.fired", description: "Deadlines fired");

    private readonly DeadlineOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                signal.Arm();
                var claimed = await FireDueAsync(stoppingToken);
                if (claimed < settings.BatchSize)
                {
                    // Sleep until the next due row (at most the poll interval, the net for rows of other instances
                    // and for retries), woken sooner when this instance stores a nearer one.
                    var now = clock.GetUtcNow();
                    var wakeAt = now + settings.PollInterval;
                    if (await NextDueAsync(stoppingToken) is { } next && next < wakeAt)
                    {
                        wakeAt = next;
                    }

                    await signal.SleepUntilAsync(wakeAt, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPollFailed(logger, ex, typeof(TDbContext).Name);
                try
                {
                    await Task.Delay(settings.PollInterval * 5, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Fires one batch of due deadlines; returns how many were claimed.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        List<Guid> claimed;
        try
        {
            claimed = await FireBatchAsync(null, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Something in the batch failed and the whole batch rolled back: fire them one by one,
            // so only the failing deadline waits for a retry.
            LogBatchFailed(logger, ex);
            claimed = await ClaimIdsAsync(cancellationToken);
            foreach (var id in claimed)
            {
                await FireOneIsolatedAsync(id, cancellationToken);
            }
        }

        return claimed.Count;
    }

    private async Task<List<Guid>> FireBatchAsync(Guid? onlyId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var handlers = scope.ServiceProvider.GetServices<IDeadlineHandler<TDbContext>>().ToDictionary(h => h.Kind, StringComparer.Ordinal);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var due = await Claim(db, now, onlyId).ToListAsync(cancellationToken);
        foreach (var deadline in due)
        {
            if (!handlers.TryGetValue(deadline.Kind, out var handler))
            {
                throw new InvalidOperationException($"No handler for deadline kind '{deadline.Kind}'.");
            }

            using var activity = JtaiTelemetry.ActivitySource.StartActivity($"deadline {deadline.Kind}");
            activity?.SetTag("jtai.deadline.id", deadline.Id);
            activity?.SetTag("jtai.deadline.subject", deadline.SubjectId);
            await handler.HandleAsync(deadline, db, cancellationToken);
            deadline.FiredAt = now;
            deadline.Attempts++;
            deadline.LastError = null;
        }

        // Once the handlers have run, the batch is committed even if the service is stopping: a commit cut off by the
        // stop would log an error and leave the batch, rolled back, to the next start.
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        var fired = clock.GetUtcNow();
        foreach (var deadline in due)
        {
            var tag = new KeyValuePair<string, object?>("kind", deadline.Kind);
            Fired.Add(1, tag);
            Lateness.Record(Math.Max(0, (fired - deadline.DueAt).TotalMilliseconds), tag);
        }

        return due.Select(d => d.Id).ToList();
    }

    private async Task<List<Guid>> ClaimIdsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await Claim(db, clock.GetUtcNow(), null).Select(d => d.Id).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private async Task FireOneIsolatedAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await FireBatchAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDeadlineFailed(logger, ex, id);
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var deadline = await db.Deadlines.SingleAsync(d => d.Id == id, cancellationToken);
            deadline.Attempts++;
            deadline.LastError = ex.GetType().Name + ": " + ex.Message;
            var delay = TimeSpan.FromMilliseconds(Math.Min(settings.MaxRetryDelay.TotalMilliseconds, settings.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(deadline.Attempts - 1, 20))));
            deadline.NextAttemptAt = clock.GetUtcNow() + delay;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var next = await db.Database.SqlQueryRaw<DateTimeOffset>(db.Sql.NextDeadlineDue).ToListAsync(cancellationToken);
        return next.Count == 0 ? null : next[0];
    }

    private IQueryable<DeadlineRow> Claim(TDbContext db, DateTimeOffset now, Guid? onlyId) =>
        onlyId is { } id
            ? db.Deadlines.FromSqlRaw(db.Sql.ClaimDeadline, id, now)
            : db.Deadlines.FromSqlRaw(db.Sql.ClaimDueDeadlines, now, settings.BatchSize);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline poller for {Context} failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A deadline batch failed; firing its deadlines one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline {DeadlineId} failed; it will be retried")]
    private static partial void LogDeadlineFailed(ILogger logger, Exception exception, Guid deadlineId);
}
