using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Dispatch;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Intake;

/// <summary>
/// Turns rendered plans into delivery rows inside the consumer's unit of work (committed with its inbox row): picks
/// the channel and the expiry, or records the notice as failed. Nothing is sent here: the dispatcher takes the rows
/// from the table, so a consumer never holds a message while the relay is down.
/// </summary>
public sealed partial class DeliveryIntake(ChannelSelector channels, TimeProvider clock, IOptions<DeliveryOptions> options, ILogger<DeliveryIntake> logger)
{
    /// <summary>The channel recorded for a notice refused before any channel was chosen.</summary>
    public const string NoChannel = "none";

    public async Task PlanAsync(NotificationsDbContext db, DeliveryPlan plan, CancellationToken cancellationToken)
    {
        // Belt and braces beside the inbox: the sent-log key (source message, recipient) is unique, so even a
        // redelivery after the inbox row was cleaned up cannot plan a second e-mail.
        var key = plan.RecipientKey;
        if (db.Deliveries.Local.Any(d => d.SourceMessageId == plan.SourceMessageId && d.RecipientKey == key)
            || await db.Deliveries.AnyAsync(d => d.SourceMessageId == plan.SourceMessageId && d.RecipientKey == key, cancellationToken))
        {
            LogAlreadyPlanned(logger, plan.SourceMessageId, plan.Kind);
            return;
        }

        var now = clock.GetUtcNow();
        if (plan.Content is not { } content)
        {
            Refuse(db, plan, NoChannel, DeliveryEventFactory.Reason("The notice could not be rendered: " + plan.RenderingProblem), now);
            return;
        }

        var notification = new OutgoingNotification(plan.NotificationId, plan.Recipient, content);
        var channel = channels.Select(notification);
        if (channel is null)
        {
            Refuse(db, plan, NoChannel, "No delivery channel can reach the recipient (no usable contact detail).", now);
            return;
        }

        var expiresAt = now + options.Value.GiveUpAfter;
        if (plan.MeetingEnd is { } end && end < expiresAt)
        {
            expiresAt = end;
        }

        if (expiresAt <= now)
        {
            Refuse(db, plan, channel.ChannelName, "The meeting is already over.", now);
            return;
        }

        db.Deliveries.Add(DeliveryRecord.Planned(plan, channel.ChannelName, StoredContent.Serialize(content), now, expiresAt));
        LogPlanned(logger, plan.SourceMessageId, plan.Kind, channel.ChannelName);
    }

    private void Refuse(NotificationsDbContext db, DeliveryPlan plan, string channel, string reason, DateTimeOffset now)
    {
        var delivery = DeliveryRecord.Refused(plan, channel, reason, now);
        db.Deliveries.Add(delivery);
        db.AddOutboxMessage(DeliveryEventFactory.Failed(delivery, reason, now));
        LogRefused(logger, plan.SourceMessageId, plan.Kind, reason);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} from message {SourceMessageId} already planned; skipped")]
    private static partial void LogAlreadyPlanned(ILogger logger, Guid sourceMessageId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} from message {SourceMessageId} planned for channel {Channel}")]
    private static partial void LogPlanned(ILogger logger, Guid sourceMessageId, string kind, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} from message {SourceMessageId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid sourceMessageId, string kind, string reason);
}
