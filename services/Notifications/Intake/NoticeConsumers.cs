using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Notifications.Infrastructure;
using MassTransit;

namespace Jtai.Strategy.Notifications.Intake;

// Each consumer records its deliveries in the transaction of its inbox row (IdempotentConsumer): a redelivered
// message finds the inbox row and plans nothing; the dispatcher does the sending.

public sealed class InvitationIssuedConsumer(NotificationsDbContext db, NotificationComposer composer, DeliveryIntake intake, ILogger<InvitationIssuedConsumer> logger)
    : IdempotentConsumer<InvitationIssued, NotificationsDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<InvitationIssued> context) =>
        await intake.PlanAsync(Db, await composer.InvitationAsync(Db, context.Message, context.MessageId!.Value, context.CancellationToken), context.CancellationToken);
}

public sealed class InvitationReminderDueConsumer(NotificationsDbContext db, NotificationComposer composer, DeliveryIntake intake, ILogger<InvitationReminderDueConsumer> logger)
    : IdempotentConsumer<InvitationReminderDue, NotificationsDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<InvitationReminderDue> context) =>
        await intake.PlanAsync(Db, await composer.ReminderAsync(Db, context.Message, context.MessageId!.Value, context.CancellationToken), context.CancellationToken);
}

public sealed class InvitationRescheduledConsumer(NotificationsDbContext db, NotificationComposer composer, DeliveryIntake intake, ILogger<InvitationRescheduledConsumer> logger)
    : IdempotentConsumer<InvitationRescheduled, NotificationsDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<InvitationRescheduled> context) =>
        await intake.PlanAsync(Db, await composer.RescheduleAsync(Db, context.Message, context.MessageId!.Value, context.CancellationToken), context.CancellationToken);
}

public sealed class InvitationCancelledConsumer(NotificationsDbContext db, NotificationComposer composer, DeliveryIntake intake, ILogger<InvitationCancelledConsumer> logger)
    : IdempotentConsumer<InvitationCancelled, NotificationsDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<InvitationCancelled> context) =>
        await intake.PlanAsync(Db, await composer.CancellationAsync(Db, context.Message, context.MessageId!.Value, context.CancellationToken), context.CancellationToken);
}

/// <summary>One e-mail per circulation recipient.</summary>
public sealed class AgreedActionsCirculatedConsumer(NotificationsDbContext db, NotificationComposer composer, DeliveryIntake intake, ILogger<AgreedActionsCirculatedConsumer> logger)
    : IdempotentConsumer<AgreedActionsCirculated, NotificationsDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<AgreedActionsCirculated> context)
    {
        foreach (var plan in await composer.ActionsCirculatedAsync(Db, context.Message, context.MessageId!.Value, context.CancellationToken))
        {
            await intake.PlanAsync(Db, plan, context.CancellationToken);
        }
    }
}

/// <summary>A bounced circulation notice passed to the agency's next SPOC: the same notice, to that one recipient.</summary>
public sealed class CirculationNoticePassedOnConsumer(NotificationsDbContext db, NotificationComposer composer, DeliveryIntake intake, ILogger<CirculationNoticePassedOnConsumer> logger)
    : IdempotentConsumer<CirculationNoticePassedOn, NotificationsDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<CirculationNoticePassedOn> context) =>
        await intake.PlanAsync(Db, await composer.CirculationNoticePassedOnAsync(Db, context.Message, context.MessageId!.Value, context.CancellationToken), context.CancellationToken);
}
