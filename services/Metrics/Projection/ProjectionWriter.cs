using System.Threading.Channels;
using Jtai.Strategy.Metrics.Domain;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// Group commit for the projection. Consumers hand their event over and wait; one writer takes
/// whatever has queued up (up to <see cref="MetricsOptions.MaxBatchSize"/>) and projects it in one
/// transaction, then releases the waiting consumers, which only then acknowledge their messages.
/// Without it, concurrent events of one month all wait on the same month rollup rows, each through
/// its own commit; with it, a burst costs one commit per batch and the rows are updated once.
/// A batch that fails is retried event by event, so one bad event fails alone (and is retried by
/// MassTransit, then moved to the error queue).
/// </summary>
public sealed partial class ProjectionWriter(MetricsProjection projection, IOptions<MetricsOptions> options, ILogger<ProjectionWriter> logger) : BackgroundService
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Projects the event (with others that queued meanwhile); completes when committed. False: a duplicate.</summary>
    public Task<bool> IngestAsync(Guid messageId, object message, CancellationToken cancellationToken)
    {
        var pending = new Pending(messageId, message, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The metrics projection writer has stopped.");
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>();
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < options.Value.MaxBatchSize && queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                await ProjectAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is still queued was not acknowledged and will be redelivered.
        }
        finally
        {
            queue.Writer.TryComplete();
            while (queue.Reader.TryRead(out var pending))
            {
                pending.Done.TrySetCanceled(stoppingToken);
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task ProjectAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        try
        {
            var results = await projection.IngestBatchAsync([.. batch.Select(p => (p.MessageId, p.Message))], cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (batch.Count == 1)
            {
                batch[0].Done.TrySetException(ex);
                return;
            }

            LogBatchFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                await ProjectAsync([pending], cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projecting a batch of {Count} events failed; projecting them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(Guid MessageId, object Message, TaskCompletionSource<bool> Done);
}
