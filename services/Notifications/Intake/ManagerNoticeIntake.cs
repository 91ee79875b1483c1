using System.Security.Cryptography;
using System.Text;
using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Intake;

/// <summary>
/// One e-mail per recipient of a notice to a team's managers (circulation warning and overdue, no recipient left,
/// below the national minimum at convening, record due), as <see cref="AgreedActionsCirculatedConsumer"/> does for a
/// circulation: planned in the transaction of its inbox row; receipts are NoticeDelivered/NoticeDeliveryFailed with
/// the notice's kind.
/// </summary>
public sealed class ManagerNoticeDueConsumer(NotificationsDbContext db, ManagerNoticeComposer composer, DeliveryIntake intake, ILogger<ManagerNoticeDueConsumer> logger)
    : IdempotentConsumer<ManagerNoticeDue, NotificationsDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<ManagerNoticeDue> context)
    {
        foreach (var plan in await composer.PlansAsync(Db, context.Message, context.MessageId!.Value, context.CancellationToken))
        {
            await intake.PlanAsync(Db, plan, context.CancellationToken);
        }
    }
}

/// <summary>
/// Decides what a <see cref="ManagerNoticeDue"/> becomes: one plan per distinct address, rendered now from the
/// reference, the link and the notice's codes and times (nothing else is looked up but the team's name).
/// </summary>
public sealed class ManagerNoticeComposer(ManagerNoticeEmailRenderer renderer, IOptions<NotificationOptions> options)
{
    /// <summary>The To header's name for a manager contact kept without one.</summary>
    public const string UnnamedRecipient = "Team manager";

    public async Task<IReadOnlyList<DeliveryPlan>> PlansAsync(NotificationsDbContext db, ManagerNoticeDue m, Guid sourceMessageId, CancellationToken cancellationToken)
    {
        var teamName = await db.Invitations.Where(i => i.MeetingId == m.MeetingId).Select(i => i.TeamName).FirstOrDefaultAsync(cancellationToken)
            ?? options.Value.OrganisationName;
        return m.Recipients
            .DistinctBy(r => DeliveryPlan.RecipientKeyOf(Recipient(r)))
            .Select(r => Plan(m, sourceMessageId, teamName, r))
            .ToList();
    }

    private DeliveryPlan Plan(ManagerNoticeDue m, Guid sourceMessageId, string teamName, NoticeRecipient r)
    {
        var details = new ManagerNoticeDetails
        {
            Kind = m.Kind,
            MeetingReference = m.MeetingReference,
            SignInLink = m.SignInLink,
            RecipientName = r.Name,
            TeamName = teamName,
            CirculationDeadline = m.Facts.CirculationDeadline,
            HoursOverdue = m.Facts.HoursOverdue,
            AgencyName = m.Facts.AgencyName ?? m.Facts.AgencyCode,
            RanksTried = m.Facts.RanksTried ?? [],
            MinimumNotCovered = m.Facts.MinimumNotCovered ?? [],
            ScheduledEnd = m.Facts.ScheduledEnd,
        };
        NotificationContent? content = null;
        string? problem = null;
        try
        {
            content = renderer.Render(details).ToNotificationContent();
        }
        catch (ArgumentException ex)
        {
            // Cannot render on any attempt: the intake records it as failed, visibly.
            problem = ex.Message;
        }

        var recipient = Recipient(r);
        return new DeliveryPlan(
            sourceMessageId, m.Kind, null, m.MeetingId, m.MeetingReference, m.TeamCode, m.Facts.AgencyCode, recipient,
            DeliveryPlan.NotificationIdFor(sourceMessageId, PerRecipientId(recipient)),
            MeetingEnd: null,
            content,
            problem);
    }

    private static NotificationRecipient Recipient(NoticeRecipient r) =>
        new(string.IsNullOrWhiteSpace(r.Name) ? UnnamedRecipient : r.Name.Trim(), r.Email.Trim());

    /// <summary>A stable id per address (a manager has no SPOC id): the same notice to the same address keeps its Message-ID.</summary>
    private static Guid PerRecipientId(NotificationRecipient recipient) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes(DeliveryPlan.RecipientKeyOf(recipient)))[..16]);
}
