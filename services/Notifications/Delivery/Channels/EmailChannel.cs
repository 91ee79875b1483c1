using System.Diagnostics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>
/// Delivers a notification as one e-mail to one recipient: composes the MIME message (Message-ID from
/// <see cref="OutgoingNotification.NotificationId"/>, calendar part when present) and hands it to an <see cref="IMailRelay"/>
/// (in production the <see cref="SmtpRelayPool"/>). Relay failures become results: a 5yz reply (and refused credentials)
/// is permanent; a 4yz reply, an I/O or protocol error, a TLS failure or a timeout is transient. A failure after the
/// message content was sent but before the relay's final reply is the one ambiguous window: it is transient, and the
/// resend carries the same Message-ID.
/// </summary>
public sealed class EmailChannel : IDeliveryChannel
{
    public const string Name = "email";

    private readonly IMailRelay _relay;
    private readonly EmailComposer _composer;
    private readonly string? _fromName;
    private readonly string _fromAddress;

    /// <param name="relay">The SMTP transport.</param>
    /// <param name="options">Supplies the sender (<see cref="SmtpOptions.FromAddress"/>, <see cref="SmtpOptions.FromDisplayName"/>).</param>
    /// <param name="composer">MIME composer; a default one (system clock) when null.</param>
    public EmailChannel(IMailRelay relay, SmtpOptions options, EmailComposer? composer = null)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(options);
        EmailComposer.ValidateAddress(options.FromAddress);
        _relay = relay;
        _composer = composer ?? new EmailComposer();
        _fromName = options.FromDisplayName;
        _fromAddress = options.FromAddress.Trim();
    }

    public string ChannelName => Name;

    public bool CanDeliver(OutgoingNotification notification) =>
        !string.IsNullOrWhiteSpace(notification?.Recipient?.EmailAddress);

    public async Task<DeliveryResult> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var activity = DeliveryTelemetry.Source.StartActivity("notification.deliver email", ActivityKind.Client);
        activity?.SetTag("notification.channel", Name);
        activity?.SetTag("notification.id", notification.NotificationId);
        activity?.SetTag("notification.calendar_method", notification.Content.Calendar?.MethodName);

        var result = await SendCoreAsync(notification, cancellationToken);
        activity?.SetTag("notification.outcome", result.Outcome.ToString());
        if (!result.IsDelivered)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Detail);
        }

        return result;
    }

    private async Task<DeliveryResult> SendCoreAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var address = notification.Recipient?.EmailAddress?.Trim();
        if (string.IsNullOrEmpty(address))
        {
            return DeliveryResult.Permanent(Name, "The recipient has no e-mail address.");
        }

        MimeMessage message;
        try
        {
            message = _composer.Compose(
                notification.NotificationId,
                // A new sender address for each message: a message's address list subscribes to its addresses' Changed
                // event, so one shared MailboxAddress kept every message ever composed alive (issue 18: the service's
                // heap grew by ~25 KB an e-mail, without bound).
                new MailboxAddress(_fromName, _fromAddress),
                new MailboxAddress(notification.Recipient!.DisplayName, address),
                notification.Content);
        }
        catch (Exception ex) when (ex is ArgumentException or ParseException)
        {
            // Bad address or id: sending the same notification again cannot succeed.
            return DeliveryResult.Permanent(Name, "The e-mail could not be built: " + ex.Message);
        }

        try
        {
            var reply = await _relay.SendAsync(message, cancellationToken);
            return DeliveryResult.Delivered(Name, "250 " + reply, EmailComposer.FormatMessageId(notification.NotificationId));
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>The verdict on a relay failure; null for what is not a relay failure (the caller's cancellation, bugs).</summary>
    private static DeliveryResult? Classify(Exception ex, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case SmtpCommandException command:
                var code = (int)command.StatusCode;
                Activity.Current?.SetTag("smtp.reply_code", code);
                Activity.Current?.SetTag("smtp.error", command.ErrorCode.ToString());
                var detail = $"SMTP {code} at {Stage(command.ErrorCode)}: {command.Message}";
                return code >= 500 ? DeliveryResult.Permanent(Name, detail) : DeliveryResult.Transient(Name, detail);
            case AuthenticationException auth:
                // The relay refused the credentials (535): the same credentials will be refused again.
                var authCode = auth.InnerException is SmtpCommandException inner ? (int)inner.StatusCode : 535;
                Activity.Current?.SetTag("smtp.reply_code", authCode);
                return DeliveryResult.Permanent(Name, $"SMTP {authCode} at authentication: {auth.Message}");
            case SslHandshakeException tls:
                return DeliveryResult.Transient(Name, "TLS with the relay failed: " + tls.Message);
            case SmtpProtocolException or IOException or SocketException or TimeoutException
                or ServiceNotConnectedException or ServiceNotAuthenticatedException or NotSupportedException or SmtpRelayUnusableException:
                return DeliveryResult.Transient(Name, $"SMTP relay unavailable ({ex.GetType().Name}): {ex.Message}");
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return DeliveryResult.Transient(Name, "SMTP relay timed out.");
            default:
                return null;
        }
    }

    private static string Stage(SmtpErrorCode error) => error switch
    {
        SmtpErrorCode.SenderNotAccepted => "MAIL FROM",
        SmtpErrorCode.RecipientNotAccepted => "RCPT TO",
        SmtpErrorCode.MessageNotAccepted => "DATA",
        _ => "session",
    };
}
