using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;

namespace Jtai.Strategy.Meetings.Invitations;

// The chase of an unanswered invitation, driven by deadline rows that the poller claims with
// FOR UPDATE SKIP LOCKED and marks fired in the transaction that applies these effects: a restart
// or a second instance never fires one twice. A deadline that finds nothing left to do returns.

/// <summary>No answer by the reminder time: remind the same recipient.</summary>
public sealed partial class InvitationReminderHandler(InvitationIssuer issuer, TimeProvider clock, ILogger<InvitationReminderHandler> logger) : IDeadlineHandler<MeetingsDbContext>
{
    public string Kind => InvitationIssuer.ReminderKind;

    public async Task HandleAsync(DeadlineRow deadline, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        if (await db.LoadInvitationAsync(deadline.SubjectId, cancellationToken) is not { } found)
        {
            return;
        }

        var (meeting, invitation) = found;
        var now = clock.GetUtcNow();
        if (!meeting.IsScheduled || !invitation.IsAwaiting || TooLate(meeting, now))
        {
            return;
        }

        invitation.MarkReminded(now);
        db.AddOutboxMessage(await issuer.ReminderMessageAsync(meeting, invitation, now, cancellationToken));
        db.Audit(AuditLog.SystemActor, "invitation.reminded", meeting.Id, now, $"{invitation.AgencyCode}: {invitation.Id}");
        db.LogWhenCommitted(() => LogReminderDue(logger, invitation.Id, invitation.AgencyCode));
    }

    /// <summary>
    /// A step always falls before the start; one that fires at or after it (the service was down
    /// through its time) helps nobody: the links have expired and the meeting has begun.
    /// </summary>
    internal static bool TooLate(StrategyMeeting meeting, DateTimeOffset now) => now >= meeting.ScheduledStart;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder due for invitation {InvitationId} of agency {AgencyCode}")]
    private static partial void LogReminderDue(ILogger logger, Guid invitationId, string agencyCode);
}

/// <summary>Still no answer by the respond-by time: pass the invitation to the next deputy.</summary>
public sealed class InvitationEscalationHandler(InvitationIssuer issuer, TimeProvider clock) : IDeadlineHandler<MeetingsDbContext>
{
    public string Kind => InvitationIssuer.EscalationKind;

    public async Task HandleAsync(DeadlineRow deadline, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        if (await db.LoadInvitationAsync(deadline.SubjectId, cancellationToken) is not { } found)
        {
            return;
        }

        var (meeting, invitation) = found;
        if (!meeting.IsScheduled || !invitation.IsAwaiting || invitation.EscalationExhaustedAt is not null || InvitationReminderHandler.TooLate(meeting, clock.GetUtcNow()))
        {
            return;
        }

        var team = await db.TeamOfAsync(meeting, cancellationToken);
        var outcome = await issuer.EscalateAsync(meeting, team, invitation, SupersededReason.NoAnswer, cancellationToken);
        db.Audit(AuditLog.SystemActor, "invitation.escalated", meeting.Id, clock.GetUtcNow(),
            outcome.Invitation is { } next ? $"{invitation.AgencyCode}: {invitation.Id} -> {next.Id}" : $"{invitation.AgencyCode}: {outcome.NotIssuedReason}");
    }
}
