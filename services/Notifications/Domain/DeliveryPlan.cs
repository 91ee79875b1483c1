using Jtai.Strategy.Notifications.Delivery;

namespace Jtai.Strategy.Notifications.Domain;

/// <summary>
/// One notice to one recipient, as decided and rendered from one consumed message, before it is stored.
/// <see cref="Content"/> is null when the message could not be rendered (<see cref="RenderingProblem"/> says why):
/// rendering again cannot succeed, so the intake records it as a failed delivery.
/// </summary>
public sealed record DeliveryPlan(
    Guid SourceMessageId,
    string Kind,
    Guid? InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string? TeamCode,
    string? AgencyCode,
    NotificationRecipient Recipient,
    string NotificationId,
    DateTimeOffset? MeetingEnd,
    NotificationContent? Content,
    string? RenderingProblem = null)
{
    public Guid DeliveryId { get; } = MassTransit.NewId.NextGuid();

    /// <summary>The sent-log key's recipient part: the address the notice goes to, normalised.</summary>
    public string RecipientKey => RecipientKeyOf(Recipient);

    public static string RecipientKeyOf(NotificationRecipient recipient) =>
        (recipient.EmailAddress ?? recipient.PhoneNumber ?? recipient.DisplayName).Trim().ToLowerInvariant();

    /// <summary>
    /// The e-mail's stable id (Message-ID <c>&lt;{id}@jtai-strategy&gt;</c>): the source message id, plus the recipient's
    /// SPOC id when one message goes to several people. The same message always yields the same id.
    /// </summary>
    public static string NotificationIdFor(Guid sourceMessageId, Guid? perRecipient = null) =>
        perRecipient is { } spoc ? $"{sourceMessageId:N}.{spoc:N}" : sourceMessageId.ToString("N");
}
