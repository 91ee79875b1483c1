using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using MassTransit;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>An event as the log keeps it: id, URN, the meeting it is about, when it happened, and its JSON (less <see cref="NotStored"/>).</summary>
public sealed record LoggedEvent(Guid MessageId, string MessageType, Guid? MeetingId, DateTimeOffset OccurredAt, string Body);

/// <summary>
/// The one list of the events the projection consumes: for each, the meeting it is about, when it happened and how it
/// folds into <see cref="MeetingFacts"/>. The consumers, the log, the reader and the rebuild all derive from it, so
/// projecting a new event is one line here (and its fold).
/// </summary>
public static class ProjectedEvents
{
    /// <summary>Enums as names, so the log reads well and survives a reordering of enum members.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly IReadOnlyList<ProjectedEvent> All =
    [
        Event<StrategyMeetingConvened>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        // Not about a meeting: counted from the log by the rebuild and the queries, not folded.
        Event<DecisionNotToConveneRecorded>(_ => null, e => e.OccurredAt, fold: null),
        Event<InvitationIssued>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<InvitationDelivered>(e => e.MeetingId, e => e.DeliveredAt, (f, e, id) => f.Fold(e, id)),
        Event<InvitationDeliveryFailed>(e => e.MeetingId, e => e.FailedAt, (f, e, id) => f.Fold(e, id)),
        Event<InvitationAnswered>(e => e.MeetingId, e => e.AnsweredAt, (f, e, id) => f.Fold(e, id)),
        Event<InvitationSuperseded>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<StrategyMeetingRescheduled>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<StrategyMeetingCancelled>(e => e.MeetingId, e => e.OccurredAt, (f, e, _) => f.Fold(e)),
        Event<MeetingHeld>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<AttendanceRecorded>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<AgreedActionsCirculated>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<ActionCirculationOverdue>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<SectionFortySevenStarted>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        // Folded into the notices a meeting drew (the MASDG's overdue list), into no figure.
        Event<ActionCirculationWarning>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        Event<MeetingRecordOverdue>(e => e.MeetingId, e => e.OccurredAt, (f, e, id) => f.Fold(e, id)),
        // Kept in the log (agencies with nobody left to invite), folded into no figure yet. Consuming it also gives every
        // message the meetings service publishes a queue: the relay publishes as mandatory, and a message no queue is
        // bound for would wait in the outbox for ever.
        Event<InvitationNotIssued>(e => e.MeetingId, e => e.OccurredAt, fold: null),
    ];

    private static readonly Dictionary<Type, ProjectedEvent> ByType = All.ToDictionary(e => e.Type);

    public static LoggedEvent Log(Guid messageId, object message) => new(
        messageId,
        MessageTypeRegistry.Known.UrnOf(message.GetType()),
        MeetingOf(message),
        OccurredAt(message),
        // Without the links, dial-in details and recipients' contacts: the figures need none of them (NotStored).
        NotStored.Body(message));

    /// <summary>
    /// Reads a logged event back: by its URN, or, for an older version kept in the log, through its upcaster
    /// (<see cref="StoredVersions"/>), so a rebuild folds old rows as the current shape.
    /// </summary>
    public static object Read(string messageType, string body)
    {
        if (StoredVersions.Upcasters.TryGetValue(messageType, out var upcast))
        {
            return upcast(body);
        }

        var type = MessageTypeRegistry.Known.TypeOf(messageType)
            ?? throw new InvalidOperationException($"The event log holds type {messageType}, unknown to this build.");
        return JsonSerializer.Deserialize(body, type, Json)!;
    }

    public static Guid? MeetingOf(object message) => ByType.GetValueOrDefault(message.GetType())?.MeetingOf(message);

    public static DateTimeOffset OccurredAt(object message) => ByType.TryGetValue(message.GetType(), out var projected)
        ? projected.OccurredAt(message)
        : throw new ArgumentException($"{message.GetType().Name} is not an event the metrics projection consumes.", nameof(message));

    /// <summary>Folds a message into a meeting's facts; a type the projection does not fold changes nothing.</summary>
    public static void Fold(MeetingFacts facts, object message, Guid messageId) => ByType.GetValueOrDefault(message.GetType())?.Fold(facts, message, messageId);

    private static ProjectedEvent<T> Event<T>(Func<T, Guid?> meeting, Func<T, DateTimeOffset> occurredAt, Action<MeetingFacts, T, Guid>? fold)
        where T : class => new(meeting, occurredAt, fold);
}

/// <summary>One row of <see cref="ProjectedEvents.All"/>.</summary>
public abstract class ProjectedEvent
{
    public abstract Type Type { get; }

    public abstract Guid? MeetingOf(object message);

    public abstract DateTimeOffset OccurredAt(object message);

    public abstract void Fold(MeetingFacts facts, object message, Guid messageId);

    /// <summary>Registers the projection's consumer of this type (all of them share the one projection endpoint).</summary>
    public abstract void AddConsumer(IBusRegistrationConfigurator bus);
}

public sealed class ProjectedEvent<T>(Func<T, Guid?> meeting, Func<T, DateTimeOffset> occurredAt, Action<MeetingFacts, T, Guid>? fold) : ProjectedEvent
    where T : class
{
    public override Type Type => typeof(T);

    public override Guid? MeetingOf(object message) => meeting((T)message);

    public override DateTimeOffset OccurredAt(object message) => occurredAt((T)message);

    public override void Fold(MeetingFacts facts, object message, Guid messageId) => fold?.Invoke(facts, (T)message, messageId);

    public override void AddConsumer(IBusRegistrationConfigurator bus) => bus.AddConsumer<ProjectionConsumer<T>, ProjectionConsumerDefinition<T>>();
}
