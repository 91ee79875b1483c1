using System.Text.RegularExpressions;
using Jtai.Strategy.Contracts.Notifications;

namespace Jtai.Strategy.Notifications.Domain;

/// <summary>The events a delivery's outcome publishes (through the outbox, in the transaction that records it).</summary>
public static partial class DeliveryEventFactory
{
    /// <summary>
    /// A notice about one invitation (invitation, reminder, reschedule, cancellation) reports as
    /// <see cref="InvitationDelivered"/>; any other (the circulated actions) as <see cref="NoticeDelivered"/>.
    /// </summary>
    public static object Delivered(DeliveryRecord delivery, DateTimeOffset at) => delivery.InvitationId is { } invitationId
        ? new InvitationDelivered(invitationId, delivery.MeetingId, delivery.SourceMessageId, delivery.Kind, delivery.Channel, at, delivery.AgencyCode)
        : new NoticeDelivered(delivery.MeetingId, delivery.SourceMessageId, delivery.Kind, delivery.Channel, AgencyOf(delivery), at);

    /// <summary>The failure counterpart of <see cref="Delivered"/>.</summary>
    public static object Failed(DeliveryRecord delivery, string reason, DateTimeOffset at) => delivery.InvitationId is { } invitationId
        ? new InvitationDeliveryFailed(invitationId, delivery.MeetingId, delivery.SourceMessageId, delivery.Kind, delivery.Channel, reason, at, delivery.AgencyCode)
        : new NoticeDeliveryFailed(delivery.MeetingId, delivery.SourceMessageId, delivery.Kind, delivery.Channel, AgencyOf(delivery), reason, at);

    // A notice to no agency (the MASDG's digest) is stored with an empty code and reported with none.
    private static string? AgencyOf(DeliveryRecord delivery) => string.IsNullOrEmpty(delivery.AgencyCode) ? null : delivery.AgencyCode;

    /// <summary>
    /// A failure reason fit to leave the service: transport text (reply codes) with any e-mail address masked, as
    /// relays often echo the refused address; bounded in length.
    /// </summary>
    public static string Reason(string? detail)
    {
        var masked = EmailAddress().Replace(detail ?? "unknown", "<address>").ReplaceLineEndings(" ");
        return masked.Length <= 300 ? masked : masked[..300];
    }

    [GeneratedRegex(@"[^\s<>""':;,]+@[^\s<>""':;,]+")]
    private static partial Regex EmailAddress();
}
