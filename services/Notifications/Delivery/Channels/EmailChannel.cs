using System.Diagnostics;
using Jtai.Strategy.Notifications.Delivery.Mime;
using Jtai.Strategy.Notifications.Delivery.Smtp;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>
/// Delivers a notification as one e-mail to one recipient: builds the MIME message (Message-ID from
/// <see cref="OutgoingNotification.NotificationId"/>, calendar part when present) and sends it with an <see cref="ISmtpClient"/>.
/// </summary>
public sealed class EmailChannel : IDeliveryChannel
{
    public const string Name = "email";

    private readonly ISmtpClient _smtp;
    private readonly MimeMessageBuilder _builder;
    private readonly MailboxAddress _from;

    /// <param name="smtp">The SMTP transport.</param>
    /// <param name="options">Supplies the sender (<see cref="SmtpOptions.FromAddress"/>, <see cref="SmtpOptions.FromDisplayName"/>).</param>
    /// <param name="builder">MIME builder; a default one (system clock) when null.</param>
    public EmailChannel(ISmtpClient smtp, SmtpOptions options, MimeMessageBuilder? builder = null)
    {
        ArgumentNullException.ThrowIfNull(smtp);
        ArgumentNullException.ThrowIfNull(options);
        MimeEncoding.ValidateAddress(options.FromAddress);
        _smtp = smtp;
        _builder = builder ?? new MimeMessageBuilder();
        _from = new MailboxAddress(options.FromAddress.Trim(), options.FromDisplayName);
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

        byte[] mime;
        try
        {
            mime = _builder.Build(new EmailMessage
            {
                MessageId = notification.NotificationId,
                From = _from,
                To = [new MailboxAddress(address, notification.Recipient!.DisplayName)],
                Subject = notification.Content.Subject,
                TextBody = notification.Content.TextBody,
                HtmlBody = notification.Content.HtmlBody,
                Calendar = notification.Content.Calendar,
            });
        }
        catch (ArgumentException ex)
        {
            // Bad address or id: sending the same notification again cannot succeed.
            return DeliveryResult.Permanent(Name, "The e-mail could not be built: " + ex.Message);
        }

        try
        {
            var result = await _smtp.SendAsync(new SmtpEnvelope(_from.Address, [address]), mime, cancellationToken);
            return DeliveryResult.Delivered(Name, result.DataReply.ToString(), MimeMessageBuilder.FormatMessageId(notification.NotificationId));
        }
        catch (SmtpDeliveryException ex)
        {
            Activity.Current?.SetTag("smtp.stage", ex.Stage.ToString());
            Activity.Current?.SetTag("smtp.reply_code", ex.Reply?.Code);
            return ex.IsPermanent
                ? DeliveryResult.Permanent(Name, ex.Message)
                : DeliveryResult.Transient(Name, ex.Message);
        }
    }
}
