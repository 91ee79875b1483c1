using Jtai.Strategy.Notifications.Delivery;
using MimeKit;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// The real relay, with a hook that runs once right after the relay accepted a message (its 250 to DATA) and before the
/// send returns to the dispatcher: the test stops the database there, so recording "sent" meets the outage.
/// </summary>
public sealed class OutageAfterAcceptRelay(SmtpRelayPool relay, Func<Task> afterFirstAccept) : IMailRelay, IAsyncDisposable
{
    private readonly TaskCompletionSource accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int fired;

    /// <summary>Completes when the hook has run.</summary>
    public Task Accepted => accepted.Task;

    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        var reply = await relay.SendAsync(message, cancellationToken);
        if (Interlocked.Exchange(ref fired, 1) == 0)
        {
            await afterFirstAccept();
            accepted.TrySetResult();
        }

        return reply;
    }

    public ValueTask DisposeAsync() => relay.DisposeAsync();
}
