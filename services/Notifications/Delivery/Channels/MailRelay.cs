using MimeKit;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>Hands a finished e-mail to the mail relay (the seam between the e-mail channel and SMTP).</summary>
public interface IMailRelay
{
    /// <summary>
    /// Sends <paramref name="message"/> to its To recipients, from its From (or Sender) address, and returns the relay's
    /// final reply text. Failures are MailKit's exceptions (<c>SmtpCommandException</c> with the reply code,
    /// <c>AuthenticationException</c>, <c>SmtpProtocolException</c>, <c>IOException</c>, ...) or a
    /// <see cref="SmtpRelayUnusableException"/>; <see cref="EmailChannel"/> classifies them.
    /// </summary>
    Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// Our settings refused to use the relay as it presented itself (e.g. credentials configured but the connection is
/// not encrypted). Nothing was sent; an operator can fix it, so it counts as transient.
/// </summary>
public sealed class SmtpRelayUnusableException(string message) : Exception(message);
