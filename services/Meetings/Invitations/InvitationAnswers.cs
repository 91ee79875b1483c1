using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>An answer as a SPOC gave it, in the domain's codes; unchecked, so a missing member is a field error.</summary>
public sealed record GivenAnswer(InvitationAnswer? Answer, DeclineReason? DeclineReason, string? DeclineReasonText, string? WrittenContribution);

/// <summary>Records a SPOC's answer, however it arrived (signed in or by link), in one unit of work.</summary>
public sealed partial class InvitationAnswers(MeetingsDbContext db, InvitationIssuer issuer, IOptions<MeetingsOptions> options, TimeProvider clock, ILogger<InvitationAnswers> logger)
{
    public int MaxContribution => options.Value.MaxWrittenContributionLength;

    public ValidationErrors Validate(GivenAnswer given) => new ValidationErrors()
        .When(given.Answer is null, "answer", "answer is required: AttendInPerson, AttendByDialIn, ContributeInWriting or Decline.")
        .When(given.Answer == InvitationAnswer.Decline && given.DeclineReason is null, "declineReason", "declineReason is required when declining.")
        .When(given.DeclineReason == DeclineReason.Other && string.IsNullOrWhiteSpace(given.DeclineReasonText), "declineReasonText", "declineReasonText is required when declineReason is Other.")
        .MaxLength("declineReasonText", given.DeclineReasonText, 500)
        .When(given.Answer == InvitationAnswer.ContributeInWriting && string.IsNullOrWhiteSpace(given.WrittenContribution), "writtenContribution", "writtenContribution is required when contributing in writing.")
        .MaxLength("writtenContribution", given.WrittenContribution, MaxContribution);

    /// <summary>
    /// Records the answer, stops the chase, spends every outstanding link of the invitation (one answer
    /// per link; a signed-in SPOC may still change it) and queues <see cref="InvitationAnswered"/>.
    /// </summary>
    public async Task<AnswerResponse> AnswerAsync(StrategyMeeting meeting, Invitation invitation, GivenAnswer given, string actor, bool byLink, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!meeting.IsScheduled)
        {
            throw new MeetingRuleException("Meeting cancelled", $"{meeting.Reference} was cancelled; there is nothing to answer.");
        }

        if (now >= meeting.ScheduledEnd)
        {
            throw new MeetingRuleException("Meeting over", $"{meeting.Reference} has ended; answers are closed.");
        }

        var withinLimit = invitation.RecordAnswer(
            given.Answer!.Value, given.DeclineReason, MeetingRules.Trim(given.DeclineReasonText), given.WrittenContribution, byLink ? AuditLog.ResponseLinkActor : actor, byLink, now);
        await issuer.CancelChaseAsync(invitation, now, cancellationToken);
        await db.ResponseLinks.Where(l => l.InvitationId == invitation.Id && l.ConsumedAt == null && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ConsumedAt, now), cancellationToken);

        db.AddOutboxMessage(new InvitationAnswered(
            invitation.Id, meeting.Id, meeting.TeamCode, invitation.AgencyCode, invitation.RecipientSpocId, invitation.RecipientRole,
            invitation.Answer!.Value, invitation.DeclineReasonCode?.ToString(), invitation.WrittenContribution is not null, withinLimit, byLink, now));
        db.Audit(actor, "invitation.answered", meeting.Id, now, $"{invitation.AgencyCode}: {invitation.Answer}{(byLink ? " (response link)" : string.Empty)}");
        // Committed with the caller's transaction; the answer's text (a reason, a contribution) is never logged.
        db.LogWhenCommitted(() => LogAnswered(logger, invitation.Id, invitation.AgencyCode, invitation.Answer.Value, byLink ? "by link" : "signed in"));
        await db.SaveChangesAsync(cancellationToken);
        return new AnswerResponse(invitation.Id, meeting.Reference, invitation.Answer.Value, invitation.WrittenContribution is not null, now, withinLimit);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Invitation {InvitationId} of agency {AgencyCode} answered {Answer}, {AnsweredThrough}")]
    private static partial void LogAnswered(ILogger logger, Guid invitationId, string agencyCode, InvitationAnswer answer, string answeredThrough);
}
