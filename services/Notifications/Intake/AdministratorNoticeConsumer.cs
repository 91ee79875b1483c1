using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Notifications.Intake;

/// <summary>
/// A notice to the partnership's administrators (from the meetings service: the bank holiday list runs out): one
/// e-mail to the message's mailbox, through the same sent log, dispatcher and receipts as every notice (receipt
/// <see cref="NoticeDelivered"/>, kind <c>administrator-notice</c>, no agency), as the MASDG's digest is. The delivery
/// row is filed under the notice's id in place of a meeting's, with reference <c>ADMIN-{topic}-yyyy-MM-dd</c>.
/// </summary>
public sealed class AdministratorNoticeDueConsumer(
    NotificationsDbContext db, AdministratorNoticeEmailRenderer renderer, DeliveryIntake intake, ILogger<AdministratorNoticeDueConsumer> logger)
    : IdempotentConsumer<AdministratorNoticeDue, NotificationsDbContext>(db, logger)
{
    /// <summary>The recipient's display name on the notice.</summary>
    public const string RecipientName = "Strategy meetings administrators";

    public static string ReferenceOf(string topic, DateOnly day) => $"ADMIN-{topic.ToUpperInvariant()}-{day:yyyy-MM-dd}";

    protected override async Task Handle(ConsumeContext<AdministratorNoticeDue> context)
    {
        var m = context.Message;
        // One e-mail per notice id, even were the day's notice published twice under two message ids.
        if (await Db.Deliveries.AnyAsync(d => d.MeetingId == m.NoticeId && d.Kind == DeliveryKinds.AdministratorNotice, context.CancellationToken))
        {
            return;
        }

        NotificationContent? content = null;
        string? problem = null;
        try
        {
            content = renderer.Render(new AdministratorNoticeDetails { Subject = m.Subject, Text = m.Text }).ToNotificationContent();
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
        }

        await intake.PlanAsync(Db, new DeliveryPlan(
            context.MessageId!.Value, DeliveryKinds.AdministratorNotice, null, m.NoticeId, ReferenceOf(m.Topic, m.Day), null, string.Empty,
            new NotificationRecipient(RecipientName, m.Mailbox), DeliveryPlan.NotificationIdFor(m.NoticeId), MeetingEnd: null, content, problem),
            context.CancellationToken);
    }
}
