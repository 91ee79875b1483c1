using System.Collections.Concurrent;
using Jtai.Strategy.Notifications.Delivery;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Jtai.Strategy.Notifications.Dispatch;

/// <summary>
/// One Polly pipeline per channel (per relay): a short retry with exponential backoff and jitter inside one dispatch,
/// wrapped around a circuit breaker shared by every dispatch, so a relay that is down is not hammered by each
/// pending delivery. Only transient results count (<see cref="DeliveryResult.ShouldRetry"/>): a 5xx refusal is an
/// answer, not an outage. While the breaker is open, <see cref="BrokenCircuitException"/> ends the dispatch at once
/// and the delivery waits in the table for its next attempt.
/// </summary>
public sealed partial class RelayResilience(IOptions<DeliveryOptions> options, ILogger<RelayResilience> logger)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<DeliveryResult>> pipelines = new(StringComparer.Ordinal);

    public ResiliencePipeline<DeliveryResult> For(string channel) => pipelines.GetOrAdd(channel, Build);

    private ResiliencePipeline<DeliveryResult> Build(string channel)
    {
        var relay = options.Value.Relay;
        var transient = new PredicateBuilder<DeliveryResult>().HandleResult(r => r.ShouldRetry);
        var builder = new ResiliencePipelineBuilder<DeliveryResult>();
        if (relay.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = relay.RetryAttempts,
                Delay = relay.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    LogRetry(logger, channel, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Result?.Detail is { } d ? Domain.DeliveryEventFactory.Reason(d) : null);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryResult>
        {
            ShouldHandle = transient,
            FailureRatio = relay.FailureRatio,
            MinimumThroughput = relay.MinimumThroughput,
            SamplingDuration = relay.SamplingDuration,
            BreakDuration = relay.BreakDuration,
            OnOpened = args =>
            {
                LogOpened(logger, channel, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                LogClosed(logger, channel);
                return ValueTask.CompletedTask;
            },
        });
        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel}: transient failure, retry {Attempt} in {Delay} ({Detail})")]
    private static partial void LogRetry(ILogger logger, string channel, int attempt, TimeSpan delay, string? detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel}: relay failing, circuit open for {BreakDuration}; deliveries wait in the table")]
    private static partial void LogOpened(ILogger logger, string channel, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel}: relay answering again, circuit closed")]
    private static partial void LogClosed(ILogger logger, string channel);
}
