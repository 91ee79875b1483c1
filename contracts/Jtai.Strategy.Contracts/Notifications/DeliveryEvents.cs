using MassTransit;

namespace Jtai.Strategy.Contracts.Notifications;

/// <summary>
/// A notice about one invitation (kind <c>invitation</c>, <c>reminder</c>, <c>reschedule</c>, <c>cancellation</c>)
/// reached the recipient's mail server (or other channel) and was accepted. <see cref="AgencyCode"/> (added in v1,
/// optional) says whose notice it was. Other notices are <see cref="NoticeDelivered"/>; before it existed they came
/// as this event with an empty <see cref="InvitationId"/> (kind <c>actions-circulated</c>), which stored copies
/// (the metrics event log) may still hold.
/// </summary>
[MessageUrn("jtai-strategy:notifications:invitation-delivered:v1")]
[EntityName("jtai-strategy.notifications.invitation-delivered")]
public sealed record InvitationDelivered(
    Guid InvitationId,
    Guid MeetingId,
    Guid SourceMessageId,
    string Kind,
    string Channel,
    DateTimeOffset DeliveredAt,
    string? AgencyCode = null);

/// <summary>
/// Delivery of a notice about one invitation failed for good (rejected recipient, permanent 5xx). The meetings
/// service passes the invitation to the next deputy. <see cref="AgencyCode"/> (added in v1, optional) says whose
/// notice failed. Other notices are <see cref="NoticeDeliveryFailed"/> (stored copies from before may hold them as
/// this event with an empty <see cref="InvitationId"/>).
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
    DateTimeOffset FailedAt,
    string? AgencyCode = null);

/// <summary>
/// A notice that is not about one invitation (today: the circulated agreed actions) reached the recipient's mail
/// server (or other channel). <see cref="SourceMessageId"/> is the MessageId of the message the notice was made from
/// (the <c>AgreedActionsCirculated</c>), <see cref="AgencyCode"/> whose notice it was.
/// </summary>
[MessageUrn("jtai-strategy:notifications:notice-delivered:v1")]
[EntityName("jtai-strategy.notifications.notice-delivered")]
public sealed record NoticeDelivered(
    Guid MeetingId,
    Guid SourceMessageId,
    string Kind,
    string Channel,
    string? AgencyCode,
    DateTimeOffset DeliveredAt);

/// <summary>A notice that is not about one invitation failed for good; <see cref="Reason"/> has any e-mail address masked.</summary>
[MessageUrn("jtai-strategy:notifications:notice-delivery-failed:v1")]
[EntityName("jtai-strategy.notifications.notice-delivery-failed")]
public sealed record NoticeDeliveryFailed(
    Guid MeetingId,
    Guid SourceMessageId,
    string Kind,
    string Channel,
    string? AgencyCode,
    string Reason,
    DateTimeOffset FailedAt);

/// <summary>The values of <c>Kind</c> on the delivery and notice events: which notice was delivered or failed.</summary>
public static class DeliveryKinds
{
    public const string Invitation = "invitation";
    public const string Reminder = "reminder";
    public const string Reschedule = "reschedule";
    public const string Cancellation = "cancellation";
    public const string ActionsCirculated = "actions-circulated";

    /// <summary>The MASDG's daily digest of overdue circulations and meetings below the national minimum.</summary>
    public const string MasdgDigest = "masdg-digest";

    /// <summary>A notice to the partnership's administrators about the service's upkeep (the bank holiday list running out).</summary>
    public const string AdministratorNotice = "administrator-notice";
}
