namespace Jtai.Strategy.Notifications.Delivery.Smtp;

/// <summary>The step of the SMTP session at which a send failed.</summary>
public enum SmtpStage
{
    Connect,
    Greeting,
    Hello,
    StartTls,
    Authentication,
    MailFrom,
    RecipientTo,
    Data,
}

/// <summary>
/// A send failed. <see cref="IsPermanent"/> is true when the server answered 5yz: sending the same message again
/// will fail again. Everything else is transient and worth retrying later: 4yz replies, connection refused/reset,
/// timeouts, TLS failures, protocol errors, and local policy refusals that an operator can fix (e.g. no STARTTLS offered,
/// credentials configured but no TLS).
/// </summary>
public sealed class SmtpDeliveryException : Exception
{
    public SmtpDeliveryException(
        string message,
        SmtpStage stage,
        bool isPermanent,
        SmtpReply? reply = null,
        IReadOnlyList<SmtpRecipientRejection>? rejectedRecipients = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Stage = stage;
        IsPermanent = isPermanent;
        Reply = reply;
        RejectedRecipients = rejectedRecipients ?? [];
    }

    public SmtpStage Stage { get; }

    /// <summary>True for a 5yz reply (do not retry this message); false for transient failures.</summary>
    public bool IsPermanent { get; }

    public bool IsTransient => !IsPermanent;

    /// <summary>The server reply that failed the send, when there was one.</summary>
    public SmtpReply? Reply { get; }

    /// <summary>When every recipient was refused: each refusal.</summary>
    public IReadOnlyList<SmtpRecipientRejection> RejectedRecipients { get; }

    internal static SmtpDeliveryException FromReply(SmtpStage stage, string what, SmtpReply reply) =>
        new($"SMTP {what} failed at {stage}: {reply}", stage, reply.IsPermanentNegative, reply);

    internal static SmtpDeliveryException Transient(SmtpStage stage, string message, Exception? inner = null) =>
        new(message, stage, isPermanent: false, innerException: inner);
}
