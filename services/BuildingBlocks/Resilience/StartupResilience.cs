using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Jtai.Strategy.BuildingBlocks.Resilience;

/// <summary>
/// Polly pipelines for the edges a service crosses at start-up: the database and the broker may come
/// up after the service (compose, Kubernetes); wait for them with bounded exponential backoff.
/// </summary>
public static partial class StartupResilience
{
    public static ResiliencePipeline Database(ILogger logger) => Build(logger, "PostgreSQL", static ex =>
        ex is NpgsqlException { IsTransient: true } or SocketException or TimeoutException
        || ex is PostgresException { SqlState: "57P03" or "3D000" }); // starting up / database not yet created

    public static ResiliencePipeline Broker(ILogger logger) => Build(logger, "RabbitMQ", static ex =>
        ex is SocketException or TimeoutException or IOException
        || ex.GetType().Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true);

    private static ResiliencePipeline Build(ILogger logger, string server, Func<Exception, bool> isTransient) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(isTransient),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(10),
                MaxRetryAttempts = 12,
                OnRetry = args =>
                {
                    LogWaiting(logger, args.Outcome.Exception, server, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Server} not reachable yet (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogWaiting(ILogger logger, Exception? exception, string server, int attempt, TimeSpan delay);
}
