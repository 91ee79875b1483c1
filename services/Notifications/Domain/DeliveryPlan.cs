using Jtai.Strategy.Notifications.Delivery;

namespace Jtai.Strategy.Notifications.Domain;

/// <summary>
/// One notice to one recipient, as decided from one consumed message, before it is rendered and stored.
/// <see cref="Render"/> runs in the intake, so a message that cannot be rendered becomes a failed delivery.
/// </summary>
public sealed record DeliveryPlan(
    Guid SourceMessageId,
    string Kind,
    Guid? InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string? TeamCode,
    string AgencyCode,
    NotificationRecipient Recipient,
    string NotificationId,
    DateTimeOffset? MeetingEnd,
    Func<NotificationContent> Render)
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
