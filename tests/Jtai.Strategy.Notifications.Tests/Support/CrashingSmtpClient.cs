using Jtai.Strategy.Notifications.Delivery.Smtp;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// Plays a process killed mid-send: the send never returns (until the host is stopped), either before the relay got
/// the message or right after the relay accepted it (250 to DATA) but before the service could record that.
/// </summary>
public sealed class CrashingSmtpClient(ISmtpClient relay, bool afterRelayAccepted) : ISmtpClient
{
    private readonly TaskCompletionSource crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a send reached the crash point.</summary>
    public Task Crashed => crashed.Task;

    public async Task<SmtpSendResult> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (afterRelayAccepted)
        {
            await relay.SendAsync(envelope, message, cancellationToken);
        }

        crashed.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }
}
