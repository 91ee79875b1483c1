using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Replica;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>An invitation went out, or the agency could not be reached and the manager was told why.</summary>
public sealed record IssueOutcome(string AgencyCode, Invitation? Invitation, string? NotIssuedReason);

/// <summary>
/// Issues, re-issues and withdraws invitations: resolves the recipient from the directory replica,
/// creates the single-use response link, schedules the chase (reminder, then escalation) as durable
/// deadlines, and queues the messages in the outbox. Everything joins the caller's unit of work.
/// </summary>
public sealed partial class InvitationIssuer(
    MeetingsDbContext db, ResponseLinkSigner signer, ManagerNotices notices, IOptions<MeetingsOptions> options, TimeProvider clock, ILogger<InvitationIssuer> logger)
{
    public const string ReminderKind = "meetings.invitation-reminder";
    public const string EscalationKind = "meetings.invitation-escalation";

    private readonly MeetingsOptions settings = options.Value;

    /// <summary>Invites the agency's first available SPOC (primary, or a deputy while those above are on cover).</summary>
    public async Task<IssueOutcome> InviteAsync(StrategyMeeting meeting, Team team, string agencyCode, string agencyName, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var spocs = await db.SpocsOfAsync(agencyCode, cancellationToken);
        var routed = RecipientRouting.Resolve(spocs, team.Area, now);
        if (routed is null)
        {
            var reason = RecipientRouting.Chain(spocs, team.Area).Count == 0
                ? $"{agencyName} has no active SPOC{(team.Area is null ? string.Empty : $" for {team.Area} or agency-wide")}."
                : $"Every SPOC of {agencyName} is on cover at {now:u}.";
            var reasonCode = RecipientRouting.Chain(spocs, team.Area).Count == 0 ? "NoActiveSpoc" : "EverySpocOnCover";
            db.LogWhenCommitted(() => LogNotIssued(logger, meeting.Reference, agencyCode, reasonCode));
            return NotIssued(meeting, agencyCode, reason, now);
        }

        var role = routed.Reason == RecipientReason.Primary ? RecipientRole.Primary : RecipientRole.DeputyCoveringAbsence;
        return new IssueOutcome(agencyCode, Issue(meeting, team, agencyCode, agencyName, routed.Spoc, role, null, now), null);
    }

    /// <summary>
    /// Passes an unanswered (or undeliverable) invitation to the next deputy in rank who has not had it
    /// and is not on cover. With none left, the invitation stays where it is and the manager is told.
    /// </summary>
    public async Task<IssueOutcome> EscalateAsync(StrategyMeeting meeting, Team team, Invitation current, SupersededReason reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var spocs = await db.SpocsOfAsync(current.AgencyCode, cancellationToken);
        var tried = meeting.Invitations.Where(i => i.AgencyCode == current.AgencyCode).Select(i => i.RecipientSpocId).ToHashSet();
        var next = RecipientRouting.NextAfter(spocs, team.Area, current.RecipientSpocId, tried, now);

        if (next is null)
        {
            // The current recipient keeps the invitation (and its link): a late answer is still welcome.
            current.MarkEscalationExhausted(now);
            var why = reason == SupersededReason.DeliveryFailed ? "could not be delivered to" : "has not been answered by";
            db.LogWhenCommitted(() => LogNoDeputyLeft(logger, current.Id, current.AgencyCode, reason));
            // The managers hear which agency has nobody left and what was tried (the SPOC ranks, not who they are).
            var ranks = spocs.Where(s => tried.Contains(s.SpocId)).Select(s => s.Rank).Order().ToList();
            await notices.QueueAsync(meeting, ManagerNoticeKinds.NoRecipientLeft,
                new NoticeFacts(AgencyCode: current.AgencyCode, AgencyName: current.AgencyName, RanksTried: ranks, ReasonCode: reason.ToString()), null, now, cancellationToken);
            return NotIssued(meeting, current.AgencyCode, $"The invitation {why} {current.RecipientName} and {current.AgencyName} has no further deputy available.", now);
        }

        await WithdrawChaseAsync(current, now, cancellationToken);
        var issued = Issue(meeting, team, current.AgencyCode, current.AgencyName, next, RecipientRole.DeputyAfterEscalation, current.Id, now);
        current.Supersede(reason, issued.Id);
        db.LogWhenCommitted(() => LogEscalated(logger, current.Id, current.AgencyCode, reason, issued.Id));
        db.AddOutboxMessage(new InvitationSuperseded(current.Id, meeting.Id, current.AgencyCode, reason, issued.Id, now));
        // Issued after the superseded notice, so a consumer reading in order sees the hand-over.
        db.AddOutboxMessage(IssuedMessage(meeting, team, issued, LinkFor(issued, meeting, now), now));
        return new IssueOutcome(current.AgencyCode, issued, null);
    }

    /// <summary>
    /// The meeting moved: a fresh link for every standing invitation and, when the start changed,
    /// answers reset and the chase started again. Queues <see cref="InvitationRescheduled"/> per recipient.
    /// </summary>
    public async Task ReaskAsync(StrategyMeeting meeting, bool startChanged, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var invitation in meeting.CurrentInvitations.ToList())
        {
            // Old links carried the old time (and expiry): replace them. Same start: the chase running still fits.
            await RevokeLinksAsync(invitation, now, cancellationToken);
            if (startChanged)
            {
                await CancelChaseAsync(invitation, now, cancellationToken);
                var chase = MeetingRules.ChaseTimes(now, meeting.ScheduledStart, settings.Chase());
                invitation.ResetAnswer(chase.RespondBy);
                ScheduleChase(invitation, chase);
            }

            db.AddOutboxMessage(new InvitationRescheduled(
                invitation.Id, meeting.Id, meeting.Reference, invitation.AgencyCode, RecipientOf(invitation), SlotOf(meeting), DialInOf(meeting),
                LinksFor(invitation, LinkFor(invitation, meeting, now)), meeting.CalendarSequence, now));
        }
    }

    /// <summary>The meeting was cancelled: stop chasing and tell every standing recipient.</summary>
    public async Task WithdrawAllAsync(StrategyMeeting meeting, IReadOnlyList<Invitation> standing, string reasonCode, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var invitation in standing)
        {
            await WithdrawChaseAsync(invitation, now, cancellationToken);
            db.AddOutboxMessage(new InvitationCancelled(
                invitation.Id, meeting.Id, meeting.Reference, invitation.AgencyCode, RecipientOf(invitation), SlotOf(meeting), reasonCode, meeting.CalendarSequence, now));
        }
    }

    /// <summary>Stops the chase and every outstanding link of an invitation (it was answered, passed on or withdrawn).</summary>
    public async Task WithdrawChaseAsync(Invitation invitation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CancelChaseAsync(invitation, now, cancellationToken);
        await RevokeLinksAsync(invitation, now, cancellationToken);
    }

    public async Task CancelChaseAsync(Invitation invitation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.CancelDeadlinesAsync(ReminderKind, invitation.Id, now, cancellationToken);
        await db.CancelDeadlinesAsync(EscalationKind, invitation.Id, now, cancellationToken);
    }

    public Task<int> RevokeLinksAsync(Invitation invitation, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ResponseLinks
            .Where(l => l.InvitationId == invitation.Id && l.ConsumedAt == null && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), cancellationToken);

    /// <summary>A reminder carries the link already sent (its token is recomputed from the stored link, never stored itself).</summary>
    public async Task<InvitationReminderDue> ReminderMessageAsync(StrategyMeeting meeting, Invitation invitation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = await db.ResponseLinks.AsNoTracking()
            .Where(l => l.InvitationId == invitation.Id && l.ConsumedAt == null && l.RevokedAt == null)
            .OrderByDescending(l => l.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return new InvitationReminderDue(
            invitation.Id, meeting.Id, meeting.Reference, invitation.AgencyCode, RecipientOf(invitation), SlotOf(meeting), DialInOf(meeting),
            LinksFor(invitation, current is null ? LinkFor(invitation, meeting, now) : ResponseUri(current)), now);
    }

    public Uri SignInLinkFor(Invitation invitation) =>
        new(settings.SignInBaseUrl ?? settings.PublicBaseUrl!, $"api/invitations/{invitation.Id}");

    public Uri ResponseUri(ResponseLink link) =>
        new(settings.PublicBaseUrl!, $"respond/{signer.Create(link.Id, link.InvitationId, link.ExpiresAt)}");

    private Invitation Issue(StrategyMeeting meeting, Team team, string agencyCode, string agencyName, SpocSnapshot recipient, RecipientRole role, Guid? supersedes, DateTimeOffset now)
    {
        var chase = MeetingRules.ChaseTimes(now, meeting.ScheduledStart, settings.Chase());
        var invitation = Invitation.Issue(NewId.NextGuid(), meeting.Id, agencyCode, agencyName, recipient.SpocId, recipient.FullName, recipient.SecureEmail, role, now, chase.RespondBy, supersedes);
        db.Invitations.Add(invitation);
        meeting.AddInvitation(invitation);
        ScheduleChase(invitation, chase);
        db.LogWhenCommitted(() => LogIssued(logger, invitation.Id, meeting.Reference, agencyCode, role));
        if (supersedes is null)
        {
            db.AddOutboxMessage(IssuedMessage(meeting, team, invitation, LinkFor(invitation, meeting, now), now));
        }

        return invitation;
    }

    private InvitationIssued IssuedMessage(StrategyMeeting meeting, Team team, Invitation invitation, Uri link, DateTimeOffset now) => new(
        invitation.Id, meeting.Id, meeting.Reference, team.Code, team.Name, invitation.AgencyCode, invitation.AgencyName,
        RecipientOf(invitation), SlotOf(meeting), DialInOf(meeting), LinksFor(invitation, link),
        meeting.CalendarSequence, invitation.SupersedesInvitationId, now);

    // The parts of the invitation events, each built here only (InvitationParts in the contracts).

    private static InvitationRecipient RecipientOf(Invitation invitation) =>
        new(invitation.RecipientSpocId, invitation.RecipientName, invitation.RecipientEmail, invitation.RecipientRole);

    private static MeetingSlot SlotOf(StrategyMeeting meeting) => new(meeting.ScheduledStart, meeting.ScheduledEnd);

    private static DialIn DialInOf(StrategyMeeting meeting) => new(meeting.Bridge!.DialInNumber, meeting.Bridge.ConferenceCode, meeting.Pin);

    /// <summary>The answer's links and deadline for an invitation, with the response link sent this time.</summary>
    private InvitationLinks LinksFor(Invitation invitation, Uri response) => new(response, SignInLinkFor(invitation), invitation.RespondBy);

    private void ScheduleChase(Invitation invitation, (DateTimeOffset RespondBy, DateTimeOffset? RemindAt, bool Escalate) chase)
    {
        if (chase.RemindAt is { } remindAt)
        {
            db.ScheduleDeadline(ReminderKind, invitation.Id, remindAt);
        }

        if (chase.Escalate)
        {
            db.ScheduleDeadline(EscalationKind, invitation.Id, chase.RespondBy);
        }
    }

    /// <summary>A new single-use link; it expires when the meeting starts (an answer after that helps nobody).</summary>
    private Uri LinkFor(Invitation invitation, StrategyMeeting meeting, DateTimeOffset now)
    {
        var link = new ResponseLink { Id = NewId.NextGuid(), InvitationId = invitation.Id, ExpiresAt = meeting.ScheduledStart, CreatedAt = now };
        db.ResponseLinks.Add(link);
        return ResponseUri(link);
    }

    private IssueOutcome NotIssued(StrategyMeeting meeting, string agencyCode, string reason, DateTimeOffset now)
    {
        db.AddOutboxMessage(new InvitationNotIssued(meeting.Id, meeting.Reference, meeting.TeamCode, agencyCode, reason, now));
        return new IssueOutcome(agencyCode, null, reason);
    }

    // Ids, codes and the recipient's role only: never the recipient's name or address, the PIN or a link.
    [LoggerMessage(Level = LogLevel.Information, Message = "Invitation {InvitationId} to meeting {MeetingReference} issued to agency {AgencyCode} ({RecipientRole})")]
    private static partial void LogIssued(ILogger logger, Guid invitationId, string meetingReference, string agencyCode, RecipientRole recipientRole);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No invitation to meeting {MeetingReference} issued to agency {AgencyCode}: {ReasonCode}")]
    private static partial void LogNotIssued(ILogger logger, string meetingReference, string agencyCode, string reasonCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invitation {InvitationId} of agency {AgencyCode} escalated ({SupersededReason}) to a deputy: invitation {NextInvitationId}")]
    private static partial void LogEscalated(ILogger logger, Guid invitationId, string agencyCode, SupersededReason supersededReason, Guid nextInvitationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invitation {InvitationId} of agency {AgencyCode} not escalated ({SupersededReason}): no deputy left")]
    private static partial void LogNoDeputyLeft(ILogger logger, Guid invitationId, string agencyCode, SupersededReason supersededReason);
}
