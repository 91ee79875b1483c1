using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Metrics.Domain;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// Feeds every consumed event to the projection, on one endpoint (<c>metrics-projection</c>).
/// Idempotent by the event log's unique message id, and order-independent by the fold. A message
/// is acknowledged only once the batch holding it has committed.
/// </summary>
public sealed class ProjectionConsumer(ProjectionWriter writer) :
    IConsumer<StrategyMeetingConvened>,
    IConsumer<DecisionNotToConveneRecorded>,
    IConsumer<InvitationIssued>,
    IConsumer<InvitationDelivered>,
    IConsumer<InvitationDeliveryFailed>,
    IConsumer<InvitationAnswered>,
    IConsumer<InvitationSuperseded>,
    IConsumer<StrategyMeetingRescheduled>,
    IConsumer<StrategyMeetingCancelled>,
    IConsumer<MeetingHeld>,
    IConsumer<AttendanceRecorded>,
    IConsumer<AgreedActionsCirculated>,
    IConsumer<ActionCirculationOverdue>,
    IConsumer<SectionFortySevenStarted>
{
    public Task Consume(ConsumeContext<StrategyMeetingConvened> context) => Ingest(context);

    public Task Consume(ConsumeContext<DecisionNotToConveneRecorded> context) => Ingest(context);

    public Task Consume(ConsumeContext<InvitationIssued> context) => Ingest(context);

    public Task Consume(ConsumeContext<InvitationDelivered> context) => Ingest(context);

    public Task Consume(ConsumeContext<InvitationDeliveryFailed> context) => Ingest(context);

    public Task Consume(ConsumeContext<InvitationAnswered> context) => Ingest(context);

    public Task Consume(ConsumeContext<InvitationSuperseded> context) => Ingest(context);

    public Task Consume(ConsumeContext<StrategyMeetingRescheduled> context) => Ingest(context);

    public Task Consume(ConsumeContext<StrategyMeetingCancelled> context) => Ingest(context);

    public Task Consume(ConsumeContext<MeetingHeld> context) => Ingest(context);

    public Task Consume(ConsumeContext<AttendanceRecorded> context) => Ingest(context);

    public Task Consume(ConsumeContext<AgreedActionsCirculated> context) => Ingest(context);

    public Task Consume(ConsumeContext<ActionCirculationOverdue> context) => Ingest(context);

    public Task Consume(ConsumeContext<SectionFortySevenStarted> context) => Ingest(context);

    private Task Ingest<T>(ConsumeContext<T> context)
        where T : class =>
        writer.IngestAsync(
            context.MessageId ?? throw new InvalidOperationException($"{typeof(T).Name} arrived without a MessageId; it cannot be deduplicated."),
            context.Message,
            context.CancellationToken);
}

/// <summary>Enough deliveries in flight to fill the writer's batches.</summary>
public sealed class ProjectionConsumerDefinition : ConsumerDefinition<ProjectionConsumer>
{
    private readonly int limit;

    public ProjectionConsumerDefinition(IOptions<MetricsOptions> options) => ConcurrentMessageLimit = limit = options.Value.ConcurrentMessageLimit;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ProjectionConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = limit;
    }
}
