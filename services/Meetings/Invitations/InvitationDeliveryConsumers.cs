using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using MassTransit;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>The notifications service delivered something for an invitation: the board shows it as delivered.</summary>
public sealed partial class InvitationDeliveredConsumer(MeetingsDbContext db, ILogger<InvitationDeliveredConsumer> logger)
    : IdempotentConsumer<InvitationDelivered, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<InvitationDelivered> context)
    {
        var invitation = await Db.Invitations.FindAsync([context.Message.InvitationId], context.CancellationToken);
        if (invitation is not null)
        {
            invitation.Delivered(context.Message.DeliveredAt);
            Db.LogWhenCommitted(() => LogDelivered(log, invitation.Id, invitation.AgencyCode, context.Message.Kind));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} for invitation {InvitationId} of agency {AgencyCode} delivered")]
    private static partial void LogDelivered(ILogger logger, Guid invitationId, string agencyCode, string kind);
}

/// <summary>
/// Delivery failed for good (rejected address, permanent error): nobody will read it, so pass the
/// invitation to the next deputy at once, as a no-answer escalation would later.
/// </summary>
public sealed partial class InvitationDeliveryFailedConsumer(MeetingsDbContext db, InvitationIssuer issuer, TimeProvider clock, ILogger<InvitationDeliveryFailedConsumer> logger)
    : IdempotentConsumer<InvitationDeliveryFailed, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<InvitationDeliveryFailed> context)
    {
        var failure = context.Message;
        if (await Db.LoadInvitationAsync(failure.InvitationId, context.CancellationToken) is not { } found)
        {
            return;
        }

        var (meeting, invitation) = found;

        invitation.DeliveryFailed(failure.Reason.Length > 500 ? failure.Reason[..500] : failure.Reason, failure.FailedAt);
        // Not the failure's reason: a mail server's words may quote the recipient's address.
        Db.LogWhenCommitted(() => LogDeliveryFailed(log, invitation.Id, invitation.AgencyCode, failure.Kind));
        if (!meeting.IsScheduled || !invitation.IsAwaiting || invitation.EscalationExhaustedAt is not null || meeting.ScheduledStart <= clock.GetUtcNow())
        {
            return;
        }

        var team = await Db.TeamOfAsync(meeting, context.CancellationToken);
        var outcome = await issuer.EscalateAsync(meeting, team, invitation, SupersededReason.DeliveryFailed, context.CancellationToken);
        Db.Audit(AuditLog.SystemActor, "invitation.escalated", meeting.Id, clock.GetUtcNow(),
            outcome.Invitation is { } next ? $"{invitation.AgencyCode}: delivery failed, {invitation.Id} -> {next.Id}" : $"{invitation.AgencyCode}: {outcome.NotIssuedReason}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} for invitation {InvitationId} of agency {AgencyCode} could not be delivered")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid invitationId, string agencyCode, string kind);
}
