using Jtai.Strategy.Notifications.Delivery.Rendering;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>Who receives a notification. Each channel uses the contact detail it needs.</summary>
/// <param name="DisplayName">The professional's name, for the greeting and the To header.</param>
/// <param name="EmailAddress">For the e-mail channel.</param>
/// <param name="PhoneNumber">For a future SMS channel (E.164).</param>
public sealed record NotificationRecipient(string DisplayName, string? EmailAddress = null, string? PhoneNumber = null);

/// <summary>
/// Rendered, channel-neutral content. Must follow the minimal data rule: no child's name, address or date of birth —
/// only meeting reference, time, dial-in details, links.
/// </summary>
public sealed record NotificationContent
{
    public required string Subject { get; init; }

    public required string TextBody { get; init; }

    public string? HtmlBody { get; init; }

    /// <summary>Meeting invitation/update/cancellation for calendar clients (e-mail channel).</summary>
    public CalendarAttachment? Calendar { get; init; }

    /// <summary>A short plain-text version (≤ 160 characters advisable) for channels such as SMS; channels without it fall back to <see cref="Subject"/>.</summary>
    public string? ShortText { get; init; }
}

/// <summary>One notification to one recipient.</summary>
/// <param name="NotificationId">
/// The caller's stable id of this logical message (e.g. the outbox message id). Resending with the same id yields the
/// same e-mail Message-ID (<c>&lt;{id}@jtai-strategy&gt;</c>). Letters, digits, <c>-</c>, <c>_</c>, <c>.</c>.
/// </param>
public sealed record OutgoingNotification(string NotificationId, NotificationRecipient Recipient, NotificationContent Content);
