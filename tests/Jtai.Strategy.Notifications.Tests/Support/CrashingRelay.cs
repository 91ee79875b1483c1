using Jtai.Strategy.Notifications.Delivery;
using MimeKit;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// Plays a process killed mid-send: the send never returns (until the host is stopped), either before the relay got
/// the message or right after the relay accepted it (250 to DATA) but before the service could record that.
/// </summary>
public sealed class CrashingRelay(SmtpRelayPool relay, bool afterRelayAccepted) : IMailRelay, IAsyncDisposable
{
    private readonly TaskCompletionSource crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a send reached the crash point.</summary>
    public Task Crashed => crashed.Task;

    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        if (afterRelayAccepted)
        {
            await relay.SendAsync(message, cancellationToken);
        }

        crashed.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }

    public ValueTask DisposeAsync() => relay.DisposeAsync();
}
