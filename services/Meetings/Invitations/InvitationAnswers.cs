using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Apis;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>Records a SPOC's answer, however it arrived (signed in or by link), in one unit of work.</summary>
public sealed class InvitationAnswers(MeetingsDbContext db, InvitationIssuer issuer, IOptions<MeetingsOptions> options, TimeProvider clock)
{
    public int MaxContribution => options.Value.MaxWrittenContributionLength;

    public ValidationErrors Validate(AnswerRequest request) => new ValidationErrors()
        .When(request.Answer is null, "answer", "answer is required: AttendInPerson, AttendByDialIn, ContributeInWriting or Decline.")
        .When(request.Answer == InvitationAnswer.Decline && request.DeclineReason is null, "declineReason", "declineReason is required when declining.")
        .When(request.DeclineReason == DeclineReason.Other && string.IsNullOrWhiteSpace(request.DeclineReasonText), "declineReasonText", "declineReasonText is required when declineReason is Other.")
        .MaxLength("declineReasonText", request.DeclineReasonText, 500)
        .When(request.Answer == InvitationAnswer.ContributeInWriting && string.IsNullOrWhiteSpace(request.WrittenContribution), "writtenContribution", "writtenContribution is required when contributing in writing.")
        .MaxLength("writtenContribution", request.WrittenContribution, MaxContribution);

    /// <summary>
    /// Records the answer, stops the chase, spends every outstanding link of the invitation (one answer
    /// per link; a signed-in SPOC may still change it) and queues <see cref="InvitationAnswered"/>.
    /// </summary>
    public async Task<AnswerResponse> AnswerAsync(StrategyMeeting meeting, Invitation invitation, AnswerRequest request, string actor, bool byLink, CancellationToken cancellationToken)
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
            request.Answer!.Value, request.DeclineReason, MeetingRules.Trim(request.DeclineReasonText), request.WrittenContribution, byLink ? AuditLog.ResponseLinkActor : actor, byLink, now);
        await issuer.CancelChaseAsync(invitation, now, cancellationToken);
        await db.ResponseLinks.Where(l => l.InvitationId == invitation.Id && l.ConsumedAt == null && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ConsumedAt, now), cancellationToken);

        db.AddOutboxMessage(new InvitationAnswered(
            invitation.Id, meeting.Id, meeting.TeamCode, invitation.AgencyCode, invitation.RecipientSpocId, invitation.RecipientRole,
            invitation.Answer!.Value, invitation.DeclineReasonCode?.ToString(), invitation.WrittenContribution is not null, withinLimit, byLink, now));
        db.Audit(actor, "invitation.answered", meeting.Id, now, $"{invitation.AgencyCode}: {invitation.Answer}{(byLink ? " (response link)" : string.Empty)}");
        await db.SaveChangesAsync(cancellationToken);
        return new AnswerResponse(invitation.Id, meeting.Reference, invitation.Answer.Value, invitation.WrittenContribution is not null, now, withinLimit);
    }
}
