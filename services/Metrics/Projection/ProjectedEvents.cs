using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>An event as the log keeps it: id, URN, the meeting it is about, when it happened, and its JSON.</summary>
public sealed record LoggedEvent(Guid MessageId, string MessageType, Guid? MeetingId, DateTimeOffset OccurredAt, string Body);

/// <summary>The events the projection consumes, and how each is logged and read back.</summary>
public static class ProjectedEvents
{
    /// <summary>Enums as names, so the log reads well and survives a reordering of enum members.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly IReadOnlyList<Type> Types =
    [
        typeof(StrategyMeetingConvened),
        typeof(DecisionNotToConveneRecorded),
        typeof(InvitationIssued),
        typeof(InvitationDelivered),
        typeof(InvitationDeliveryFailed),
        typeof(InvitationAnswered),
        typeof(InvitationSuperseded),
        typeof(StrategyMeetingRescheduled),
        typeof(StrategyMeetingCancelled),
        typeof(MeetingHeld),
        typeof(AttendanceRecorded),
        typeof(AgreedActionsCirculated),
        typeof(ActionCirculationOverdue),
        typeof(SectionFortySevenStarted),
    ];

    public static LoggedEvent Log(Guid messageId, object message) => new(
        messageId,
        MessageTypeRegistry.ForContracts.UrnOf(message.GetType()),
        MeetingOf(message),
        OccurredAt(message),
        JsonSerializer.Serialize(message, message.GetType(), Json));

    public static object Read(string messageType, string body)
    {
        var type = MessageTypeRegistry.ForContracts.TypeOf(messageType)
            ?? throw new InvalidOperationException($"The event log holds type {messageType}, unknown to this build.");
        return JsonSerializer.Deserialize(body, type, Json)!;
    }

    public static Guid? MeetingOf(object message) => message switch
    {
        StrategyMeetingConvened e => e.MeetingId,
        InvitationIssued e => e.MeetingId,
        InvitationDelivered e => e.MeetingId,
        InvitationDeliveryFailed e => e.MeetingId,
        InvitationAnswered e => e.MeetingId,
        InvitationSuperseded e => e.MeetingId,
        StrategyMeetingRescheduled e => e.MeetingId,
        StrategyMeetingCancelled e => e.MeetingId,
        MeetingHeld e => e.MeetingId,
        AttendanceRecorded e => e.MeetingId,
        AgreedActionsCirculated e => e.MeetingId,
        ActionCirculationOverdue e => e.MeetingId,
        SectionFortySevenStarted e => e.MeetingId,
        _ => null,
    };

    public static DateTimeOffset OccurredAt(object message) => message switch
    {
        StrategyMeetingConvened e => e.OccurredAt,
        DecisionNotToConveneRecorded e => e.OccurredAt,
        InvitationIssued e => e.OccurredAt,
        InvitationDelivered e => e.DeliveredAt,
        InvitationDeliveryFailed e => e.FailedAt,
        InvitationAnswered e => e.AnsweredAt,
        InvitationSuperseded e => e.OccurredAt,
        StrategyMeetingRescheduled e => e.OccurredAt,
        StrategyMeetingCancelled e => e.OccurredAt,
        MeetingHeld e => e.OccurredAt,
        AttendanceRecorded e => e.OccurredAt,
        AgreedActionsCirculated e => e.OccurredAt,
        ActionCirculationOverdue e => e.OccurredAt,
        SectionFortySevenStarted e => e.OccurredAt,
        _ => throw new ArgumentException($"{message.GetType().Name} is not an event the metrics projection consumes.", nameof(message)),
    };
}
