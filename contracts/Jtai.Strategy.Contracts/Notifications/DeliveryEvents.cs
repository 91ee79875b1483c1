using MassTransit;

namespace Jtai.Strategy.Contracts.Notifications;

/// <summary>A notification reached the recipient's mail server (or other channel) and was accepted.</summary>
[MessageUrn("jtai-strategy:notifications:invitation-delivered:v1")]
[EntityName("jtai-strategy.notifications.invitation-delivered")]
public sealed record InvitationDelivered(
    Guid InvitationId,
    Guid MeetingId,
    Guid SourceMessageId,
    string Kind,
    string Channel,
    DateTimeOffset DeliveredAt);

/// <summary>
/// Delivery failed for good (rejected recipient, permanent 5xx). The meetings service passes the
/// invitation to the next deputy.
/// </summary>
[MessageUrn("jtai-strategy:notifications:invitation-delivery-failed:v1")]
[EntityName("jtai-strategy.notifications.invitation-delivery-failed")]
public sealed record InvitationDeliveryFailed(
    Guid InvitationId,
    Guid MeetingId,
    Guid SourceMessageId,
    string Kind,
    string Channel,
    string Reason,
    DateTimeOffset FailedAt);
