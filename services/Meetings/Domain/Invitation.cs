using Jtai.Strategy.Contracts.Meetings;

namespace Jtai.Strategy.Meetings.Domain;

public enum InvitationStatus
{
    /// <summary>Issued; no answer yet.</summary>
    Awaiting,
    Answered,

    /// <summary>Passed to the next deputy, or replaced; no longer stands.</summary>
    Superseded,
    Cancelled,
}

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One invitation to one SPOC for one agency. Escalation supersedes it with a new one to the next deputy.</summary>
public sealed class Invitation
{
    public Guid Id { get; init; }

    public Guid MeetingId { get; init; }

    public required string AgencyCode { get; init; }

    public required string AgencyName { get; init; }

    public Guid RecipientSpocId { get; init; }

    public required string RecipientName { get; init; }

    public required string RecipientEmail { get; init; }

    public RecipientRole RecipientRole { get; init; }

    public InvitationStatus Status { get; private set; } = InvitationStatus.Awaiting;

    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>Answer by then, or the invitation passes to the next deputy.</summary>
    public DateTimeOffset RespondBy { get; private set; }

    public DateTimeOffset? RemindedAt { get; private set; }

    public DeliveryState DeliveryState { get; private set; } = DeliveryState.Pending;

    public DateTimeOffset? DeliveryUpdatedAt { get; private set; }

    public string? DeliveryFailure { get; private set; }

    public InvitationAnswer? Answer { get; private set; }

    public DeclineReason? DeclineReasonCode { get; private set; }

    public string? DeclineReasonText { get; private set; }

    public string? WrittenContribution { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>The signed-in subject, or <c>response-link</c>.</summary>
    public string? AnsweredBy { get; private set; }

    public bool AnsweredByLink { get; private set; }

    public Guid? SupersedesInvitationId { get; init; }

    public Guid? SupersededByInvitationId { get; private set; }

    public SupersededReason? SupersededReason { get; private set; }

    /// <summary>Set when the chase ran out of deputies: the manager has been told.</summary>
    public DateTimeOffset? EscalationExhaustedAt { get; private set; }

    public bool IsCurrent => Status is InvitationStatus.Awaiting or InvitationStatus.Answered;

    public bool IsAwaiting => Status == InvitationStatus.Awaiting;

    public static Invitation Issue(Guid id, Guid meetingId, string agencyCode, string agencyName, Guid spocId, string name, string email, RecipientRole role, DateTimeOffset now, DateTimeOffset respondBy, Guid? supersedes) => new()
    {
        Id = id,
        MeetingId = meetingId,
        AgencyCode = agencyCode,
        AgencyName = agencyName,
        RecipientSpocId = spocId,
        RecipientName = name,
        RecipientEmail = email,
        RecipientRole = role,
        IssuedAt = now,
        RespondBy = respondBy,
        SupersedesInvitationId = supersedes,
    };

    /// <summary>Records (or changes) the answer. Returns whether it came within the respond-by time.</summary>
    public bool RecordAnswer(InvitationAnswer answer, DeclineReason? declineReason, string? declineText, string? contribution, string by, bool byLink, DateTimeOffset now)
    {
        if (!IsCurrent)
        {
            throw new MeetingRuleException(
                Status == InvitationStatus.Cancelled ? "Meeting cancelled" : "Invitation passed on",
                Status == InvitationStatus.Cancelled
                    ? "The meeting was cancelled; there is nothing to answer."
                    : "This invitation passed to another SPOC of the agency and can no longer be answered.");
        }

        Status = InvitationStatus.Answered;
        Answer = answer;
        DeclineReasonCode = answer == InvitationAnswer.Decline ? declineReason : null;
        DeclineReasonText = answer == InvitationAnswer.Decline ? declineText : null;
        WrittenContribution = string.IsNullOrWhiteSpace(contribution) ? WrittenContribution : contribution.Trim();
        AnsweredAt = now;
        AnsweredBy = by;
        AnsweredByLink = byLink;
        return now <= RespondBy;
    }

    public void MarkReminded(DateTimeOffset now) => RemindedAt = now;

    public void Supersede(SupersededReason reason, Guid? by)
    {
        Status = InvitationStatus.Superseded;
        SupersededReason = reason;
        SupersededByInvitationId = by;
    }

    public void MarkEscalationExhausted(DateTimeOffset now) => EscalationExhaustedAt = now;

    public void Cancel() => Status = InvitationStatus.Cancelled;

    /// <summary>The meeting moved: an earlier answer no longer holds; ask again by a new time.</summary>
    public void ResetAnswer(DateTimeOffset respondBy)
    {
        Status = InvitationStatus.Awaiting;
        Answer = null;
        DeclineReasonCode = null;
        DeclineReasonText = null;
        AnsweredAt = null;
        AnsweredBy = null;
        AnsweredByLink = false;
        RemindedAt = null;
        RespondBy = respondBy;
    }

    public void ExtendRespondBy(DateTimeOffset respondBy) => RespondBy = respondBy;

    public void Delivered(DateTimeOffset at)
    {
        DeliveryState = DeliveryState.Delivered;
        DeliveryUpdatedAt = at;
        DeliveryFailure = null;
    }

    public void DeliveryFailed(string reason, DateTimeOffset at)
    {
        DeliveryState = DeliveryState.Failed;
        DeliveryUpdatedAt = at;
        DeliveryFailure = reason;
    }
}

/// <summary>A single-use response link; the token that carries its id is signed, never stored.</summary>
public sealed class ResponseLink
{
    public Guid Id { get; init; }

    public Guid InvitationId { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ConsumedAt { get; set; }

    /// <summary>Replaced by a newer link (the meeting moved) or the invitation no longer stands.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A manager decided a concern did not meet the threshold (kept for threshold-consistency reporting).</summary>
public sealed class DecisionNotToConvene
{
    public Guid Id { get; init; }

    public required string TeamCode { get; init; }

    public required string CaseReference { get; init; }

    public ConcernCategory ConcernCategory { get; init; }

    public NotConveneReason ReasonCode { get; init; }

    public string? ReasonText { get; init; }

    public DateTimeOffset DecidedAt { get; init; }

    public required string RecordedBy { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>Who read or changed what, when: every read of meeting details and every change.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; }

    public required string Actor { get; init; }

    public required string Action { get; init; }

    public Guid? MeetingId { get; init; }

    public string? Detail { get; init; }

    public string? TraceId { get; init; }
}
