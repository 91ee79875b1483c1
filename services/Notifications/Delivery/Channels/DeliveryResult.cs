namespace Jtai.Strategy.Notifications.Delivery;

public enum DeliveryOutcome
{
    /// <summary>The transport accepted the notification (for e-mail: the SMTP relay answered 250 to the message).</summary>
    Delivered,

    /// <summary>Not delivered; trying again later may succeed (4yz reply, network failure, timeout, relay misconfiguration).</summary>
    TransientFailure,

    /// <summary>Not delivered and never will be as it stands (5yz reply, invalid address, no contact detail for this channel).</summary>
    PermanentFailure,
}

/// <summary>The result of one delivery attempt. <see cref="Detail"/> holds transport text (reply codes), never message content.</summary>
public sealed record DeliveryResult(string ChannelName, DeliveryOutcome Outcome, string? Detail = null, string? ProviderReference = null)
{
    public bool IsDelivered => Outcome == DeliveryOutcome.Delivered;

    public bool ShouldRetry => Outcome == DeliveryOutcome.TransientFailure;

    public bool IsPermanentFailure => Outcome == DeliveryOutcome.PermanentFailure;

    public static DeliveryResult Delivered(string channelName, string? detail = null, string? providerReference = null) =>
        new(channelName, DeliveryOutcome.Delivered, detail, providerReference);

    public static DeliveryResult Transient(string channelName, string detail) => new(channelName, DeliveryOutcome.TransientFailure, detail);

    public static DeliveryResult Permanent(string channelName, string detail) => new(channelName, DeliveryOutcome.PermanentFailure, detail);
}
