using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Invitations;

// Requests take nullable members so that a missing field is a field-level validation error, not a 500.

public sealed record AnswerRequest(InvitationAnswer? Answer, DeclineReason? DeclineReason, string? DeclineReasonText, string? WrittenContribution)
{
    public GivenAnswer ToAnswer() => new(Answer, DeclineReason, DeclineReasonText, WrittenContribution);
}

/// <summary>An invitation as its agency's SPOC sees it after signing in (the case reference; no free text: the written contribution is read on its own, audited).</summary>
public sealed record SpocInvitationResponse(
    Guid InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string CaseReference,
    ConcernCategory ConcernCategory,
    string TeamCode,
    string AgencyCode,
    string RecipientName,
    RecipientRole RecipientRole,
    InvitationStatus Status,
    MeetingStatus MeetingStatus,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    string DialInNumber,
    string ConferenceCode,
    string Pin,
    DateTimeOffset RespondBy,
    InvitationAnswer? Answer,
    DeclineReason? DeclineReason,
    bool HasWrittenContribution,
    DateTimeOffset? AnsweredAt)
{
    public static SpocInvitationResponse From(StrategyMeeting m, Invitation i) => new(
        i.Id, m.Id, m.Reference, m.CaseReference, m.ConcernCategory, m.TeamCode, i.AgencyCode, i.RecipientName, i.RecipientRole, i.Status, m.Status,
        m.ScheduledStart, m.ScheduledEnd, m.Bridge!.DialInNumber, m.Bridge.ConferenceCode, m.Pin, i.RespondBy, i.Answer, i.DeclineReasonCode,
        i.WrittenContribution is not null, i.AnsweredAt);
}

/// <summary>
/// What a response link shows: what is asked and how to answer, and whether the agency already sent a written
/// contribution (kept when the meeting moved): only whether, never the text, which is case data and is read signed in
/// (<see cref="WrittenContributionResponse"/>). Nothing about the child.
/// </summary>
public sealed record ResponsePage(
    string MeetingReference,
    string TeamName,
    string AgencyName,
    string RecipientName,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    string DialInNumber,
    string ConferenceCode,
    string Pin,
    DateTimeOffset RespondBy,
    IReadOnlyList<InvitationAnswer> Answers,
    IReadOnlyList<DeclineReason> DeclineReasons,
    int MaxWrittenContributionLength,
    bool HasWrittenContribution = false);

/// <summary>
/// The written contribution an agency sent for one invitation: the free text, read by that agency's SPOC and the
/// convening team's manager only (<c>GET /api/invitations/{id}/written-contribution</c>). Null until one is sent.
/// </summary>
public sealed record WrittenContributionResponse(
    Guid InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string AgencyCode,
    InvitationAnswer? Answer,
    string? WrittenContribution,
    DateTimeOffset? AnsweredAt);

public sealed record AnswerResponse(Guid InvitationId, string MeetingReference, InvitationAnswer Answer, bool HasWrittenContribution, DateTimeOffset AnsweredAt, bool AnsweredWithinLimit);
