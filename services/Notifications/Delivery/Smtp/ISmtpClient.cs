namespace Jtai.Strategy.Notifications.Delivery.Smtp;

/// <summary>The SMTP envelope: reverse path (MAIL FROM) and forward paths (RCPT TO), ASCII addresses without angle brackets.</summary>
public sealed record SmtpEnvelope(string MailFrom, IReadOnlyList<string> Recipients);

/// <summary>A recipient the server refused at RCPT TO.</summary>
public sealed record SmtpRecipientRejection(string Recipient, SmtpReply Reply)
{
    /// <summary>5yz: the mailbox will not accept this message; otherwise retry later.</summary>
    public bool IsPermanent => Reply.IsPermanentNegative;
}

/// <summary>The outcome of a send the server accepted for at least one recipient.</summary>
/// <param name="AcceptedRecipients">Recipients the message was handed over for.</param>
/// <param name="RejectedRecipients">Recipients refused at RCPT TO (the message was not sent to them).</param>
/// <param name="DataReply">The server's reply to the end of DATA (often carries its queue id).</param>
public sealed record SmtpSendResult(
    IReadOnlyList<string> AcceptedRecipients,
    IReadOnlyList<SmtpRecipientRejection> RejectedRecipients,
    SmtpReply DataReply)
{
    public bool AllRecipientsAccepted => RejectedRecipients.Count == 0;
}

/// <summary>Sends one message over SMTP.</summary>
public interface ISmtpClient
{
    /// <summary>
    /// Opens a session, transfers <paramref name="message"/> (an RFC 5322 message with CRLF line endings; dot-stuffing is
    /// done here) and closes the session. Returns when the server accepted the message for at least one recipient;
    /// per-recipient refusals are in the result.
    /// </summary>
    /// <exception cref="SmtpDeliveryException">The message was not accepted for any recipient (see <see cref="SmtpDeliveryException.IsPermanent"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (timeouts are <see cref="SmtpDeliveryException"/>s).</exception>
    Task<SmtpSendResult> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);
}
