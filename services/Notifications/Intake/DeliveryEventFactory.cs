using System.Text.RegularExpressions;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Notifications.Domain;

namespace Jtai.Strategy.Notifications.Intake;

/// <summary>The events a delivery's outcome publishes (through the outbox, in the transaction that records it).</summary>
public static partial class DeliveryEventFactory
{
    public static InvitationDelivered Delivered(DeliveryRecord delivery, DateTimeOffset at) =>
        new(delivery.InvitationId ?? Guid.Empty, delivery.MeetingId, delivery.SourceMessageId, delivery.Kind, delivery.Channel, at, delivery.AgencyCode);

    public static InvitationDeliveryFailed Failed(DeliveryRecord delivery, string reason, DateTimeOffset at) =>
        new(delivery.InvitationId ?? Guid.Empty, delivery.MeetingId, delivery.SourceMessageId, delivery.Kind, delivery.Channel, reason, at, delivery.AgencyCode);

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
