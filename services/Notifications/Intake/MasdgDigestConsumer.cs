using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Notifications.Intake;

/// <summary>
/// The MASDG's daily digest: one e-mail to the configured mailbox, through the same sent log, dispatcher and receipts
/// as every notice (receipt <see cref="NoticeDelivered"/>, kind <c>masdg-digest</c>, no agency). The delivery row is
/// filed under the digest's id in place of a meeting's, and the digest's reference is <c>MASDG-DIGEST-yyyy-MM-dd</c>.
/// </summary>
public sealed class MasdgDigestDueConsumer(NotificationsDbContext db, MasdgDigestEmailRenderer renderer, DeliveryIntake intake, ILogger<MasdgDigestDueConsumer> logger)
    : IdempotentConsumer<MasdgDigestDue, NotificationsDbContext>(db, logger)
{
    /// <summary>The recipient's display name on the digest.</summary>
    public const string RecipientName = "MASDG";

    public static string ReferenceOf(DateOnly day) => $"MASDG-DIGEST-{day:yyyy-MM-dd}";

    protected override async Task Handle(ConsumeContext<MasdgDigestDue> context)
    {
        var m = context.Message;
        // One e-mail per digest id, even were the day's digest published twice under two message ids.
        if (await Db.Deliveries.AnyAsync(d => d.MeetingId == m.DigestId && d.Kind == DeliveryKinds.MasdgDigest, context.CancellationToken))
        {
            return;
        }

        var details = new MasdgDigestDetails
        {
            Day = m.Day,
            SignInLink = m.SignInLink,
            Overdue = [.. m.Overdue.Select(o => new DigestOverdueRow(o.MeetingReference, o.TeamCode, o.Deadline, o.HoursOverdue, o.NoticesSent))],
            HeldBelowMinimum = [.. m.HeldBelowMinimum.Select(b => new DigestBelowMinimumRow(b.MeetingReference, b.TeamCode, b.ActualStart, b.ActualEnd))],
        };
        NotificationContent? content = null;
        string? problem = null;
        try
        {
            content = renderer.Render(details).ToNotificationContent();
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
        }

        await intake.PlanAsync(Db, new DeliveryPlan(
            context.MessageId!.Value, DeliveryKinds.MasdgDigest, null, m.DigestId, ReferenceOf(m.Day), null, string.Empty,
            new NotificationRecipient(RecipientName, m.Mailbox), DeliveryPlan.NotificationIdFor(m.DigestId), MeetingEnd: null, content, problem),
            context.CancellationToken);
    }
}
