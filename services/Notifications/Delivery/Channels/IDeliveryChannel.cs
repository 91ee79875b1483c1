namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>
/// One way of reaching a recipient (e-mail today; SMS over HTTP later). Implementations are stateless and thread-safe,
/// report delivery failures as a <see cref="DeliveryResult"/> rather than throwing, and throw only
/// <see cref="OperationCanceledException"/> when the caller cancels.
/// </summary>
public interface IDeliveryChannel
{
    /// <summary>Stable name used in logs, metrics and stored delivery attempts, e.g. <c>email</c>.</summary>
    string ChannelName { get; }

    /// <summary>True when the recipient has what this channel needs (an e-mail address, a phone number, ...).</summary>
    bool CanDeliver(OutgoingNotification notification);

    /// <summary>Hands the notification to the channel's transport once. Retrying is the caller's decision (see <see cref="DeliveryResult.ShouldRetry"/>).</summary>
    Task<DeliveryResult> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken = default);
}
