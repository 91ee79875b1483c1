using Jtai.Strategy.Metrics.Domain;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// Feeds a consumed event to the projection; one per type of <see cref="ProjectedEvents.All"/>, all on one endpoint
/// (<c>metrics-projection</c>). Idempotent by the event log's unique message id, and order-independent by the fold.
/// A message is acknowledged only once the batch holding it has committed.
/// </summary>
public sealed class ProjectionConsumer<T>(ProjectionWriter writer) : IConsumer<T>
    where T : class
{
    public Task Consume(ConsumeContext<T> context) =>
        writer.IngestAsync(
            context.MessageId ?? throw new InvalidOperationException($"{typeof(T).Name} arrived without a MessageId; it cannot be deduplicated."),
            context.Message,
            context.CancellationToken);
}

/// <summary>
/// The one projection endpoint, shared by every <see cref="ProjectionConsumer{T}"/>: enough deliveries in flight (and
/// prefetched) to fill the writer's batches, counted across all the types together.
/// </summary>
public sealed class ProjectionConsumerDefinition<T> : ConsumerDefinition<ProjectionConsumer<T>>
    where T : class
{
    public const string EndpointQueue = MetricsSetup.EndpointPrefix + "-projection";

    public ProjectionConsumerDefinition(IOptions<MetricsOptions> options)
    {
        var limit = options.Value.ConcurrentMessageLimit;
        Endpoint(e =>
        {
            e.Name = EndpointQueue;
            e.PrefetchCount = limit;
            e.ConcurrentMessageLimit = limit;
        });
    }
}
