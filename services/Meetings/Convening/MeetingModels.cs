using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Convening;

// Requests take nullable members so that a missing field is a field-level validation error, not a 500.

public sealed record TeamRequest(string? Code, string? Name, string? Area, bool? GpPilot, bool? Active);

public sealed record BridgeRequest(string? Label, string? DialInNumber, string? ConferenceCode);

public sealed record BridgeResponse(Guid Id, string Label, string DialInNumber, string ConferenceCode, bool Active);

/// <summary>
/// A team. <see cref="Managers"/> (its manager contacts, who receive its meetings' notices) is listed only to
/// administrators and the team's own managers; for anyone else it is null. <see cref="ManagersVersion"/> rises with
/// every change to them.
/// </summary>
public sealed record TeamResponse(
    string Code, string Name, string? Area, bool GpPilot, bool Active, IReadOnlyList<BridgeResponse> Bridges,
    IReadOnlyList<TeamManagerResponse>? Managers = null, int ManagersVersion = 0);

/// <summary>A manager contact to add: a secure e-mail address (validated as a SPOC's) and, optionally, a name.</summary>
/// <summary>A team as a filter by team needs it: its code, name and whether it is active.</summary>
public sealed record TeamNameResponse(string Code, string Name, bool Active);

public sealed record TeamManagerRequest(string? Email, string? FullName);

public sealed record TeamManagerResponse(string Email, string? FullName, DateTimeOffset AddedAt);

/// <summary>The case facts the suggestion rules read (coded: an age band, flags, the referrer's agency).</summary>
public sealed record CaseFactsRequest(
    ChildAgeBand? AgeBand,
    bool? UnbornChild,
    bool? AdultKnownToProbation,
    bool? KnownToYos,
    string? ReferrerAgencyCode,
    ConcernCategory? ConcernCategory)
{
    public ProposedCaseFacts ToProposal() => new(AgeBand, UnbornChild, AdultKnownToProbation, KnownToYos, ReferrerAgencyCode, ConcernCategory);
}

public sealed record SuggestionResponse(string AgencyCode, string AgencyName, AgencyKind Kind, InviteeRole Role, bool Minimum, string Reason);

public sealed record RemoveAgencyRequest(string? AgencyCode, RemovalReason? Reason, string? ReasonText)
{
    public ProposedRemoval ToProposal() => new(AgencyCode, Reason, ReasonText);
}

public sealed record ConveneRequest(
    string? TeamCode,
    string? CaseReference,
    ConcernCategory? ConcernCategory,
    DateTimeOffset? IncidentAt,
    DateTimeOffset? DecisionAt,
    ThresholdReason? ThresholdReason,
    string? ThresholdReasonText,
    DateTimeOffset? ScheduledStart,
    int? LengthMinutes,
    DelayReason? DelayReason,
    string? DelayReasonText,
    CaseFactsRequest? CaseFacts,
    IReadOnlyList<string>? AddAgencies,
    IReadOnlyList<RemoveAgencyRequest>? RemoveAgencies)
{
    public ConveneProposal ToProposal() => new(
        CaseReference, ConcernCategory, IncidentAt, DecisionAt, ThresholdReason, ThresholdReasonText,
        new ProposedTimes(ScheduledStart, LengthMinutes, DelayReason, DelayReasonText),
        CaseFacts?.ToProposal(), AddAgencies, RemoveAgencies?.Select(r => r.ToProposal()).ToList());
}

public sealed record RescheduleRequest(
    DateTimeOffset? ScheduledStart,
    int? LengthMinutes,
    RescheduleReason? Reason,
    string? ReasonText,
    DelayReason? DelayReason,
    string? DelayReasonText)
{
    public RescheduleProposal ToProposal() => new(new ProposedTimes(ScheduledStart, LengthMinutes, DelayReason, DelayReasonText), Reason, ReasonText);
}

public sealed record CancelRequest(CancelReason? Reason, string? ReasonText)
{
    public CancelProposal ToProposal() => new(Reason, ReasonText);
}

public sealed record DecisionNotToConveneRequest(
    string? TeamCode,
    string? CaseReference,
    ConcernCategory? ConcernCategory,
    NotConveneReason? Reason,
    string? ReasonText,
    DateTimeOffset? DecidedAt)
{
    public DecisionNotToConveneProposal ToProposal() => new(CaseReference, ConcernCategory, Reason, ReasonText, DecidedAt);
}

public sealed record DecisionNotToConveneResponse(Guid Id, string TeamCode, string CaseReference, ConcernCategory ConcernCategory, NotConveneReason Reason, string? ReasonText, DateTimeOffset DecidedAt);

public sealed record AgencyConsidered(string AgencyCode, string AgencyName, AgencyKind Kind, AgencySource Source, string Reason, bool Invited, RemovalReason? RemovalReason, string? RemovalReasonText, string? NotIssuedReason);

public sealed record InvitationSummary(Guid InvitationId, string AgencyCode, string AgencyName, string RecipientName, RecipientRole RecipientRole, InvitationStatus Status, DateTimeOffset RespondBy);

public sealed record NotInvited(string AgencyCode, string Reason);

public sealed record MeetingResponse(
    Guid Id,
    string Reference,
    string TeamCode,
    string CaseReference,
    ConcernCategory ConcernCategory,
    DateTimeOffset IncidentAt,
    DateTimeOffset DecisionAt,
    ThresholdReason ThresholdReason,
    string ThresholdReasonText,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    string DialInNumber,
    string ConferenceCode,
    string Pin,
    bool ConvenedBeyondLimit,
    DelayReason? DelayReason,
    string? DelayReasonText,
    MeetingStatus Status,
    CancelReason? CancelReason,
    int CalendarSequence,
    IReadOnlyList<AgencyConsidered> Agencies,
    IReadOnlyList<InvitationSummary> Invitations,
    IReadOnlyList<NotInvited> NotInvited,
    IReadOnlyList<string> MinimumNotCovered,
    IReadOnlyList<string>? NoticesUndeliverable = null)
{
    /// <summary>
    /// <see cref="MinimumNotCovered"/> names the national-minimum requirements that no issued
    /// invitation covers (removed with a reason, no such agency, or no SPOC to invite): shown, never silent.
    /// <see cref="NoticesUndeliverable"/> names the kinds of manager notice that found nobody to go to (the team has no
    /// manager contact and the convening manager's token had no e-mail).
    /// </summary>
    public static MeetingResponse From(StrategyMeeting m, NationalMinimum minimum) => new(
        m.Id, m.Reference, m.TeamCode, m.CaseReference, m.ConcernCategory, m.IncidentAt, m.DecisionAt, m.ThresholdReasonCode, m.ThresholdReasonText,
        m.ScheduledStart, m.ScheduledEnd, m.Bridge!.DialInNumber, m.Bridge.ConferenceCode, m.Pin, m.ConvenedBeyondLimit, m.DelayReasonCode, m.DelayReasonText,
        m.Status, m.CancelReasonCode, m.CalendarSequence,
        m.Agencies.OrderBy(a => a.AgencyCode, StringComparer.Ordinal)
            .Select(a => new AgencyConsidered(a.AgencyCode, a.AgencyName, a.AgencyKind, a.Source, a.Reason, a.Invited, a.RemovalReasonCode, a.RemovalReasonText, a.NotIssuedReason)).ToList(),
        m.CurrentInvitations.OrderBy(i => i.AgencyCode, StringComparer.Ordinal)
            .Select(i => new InvitationSummary(i.Id, i.AgencyCode, i.AgencyName, i.RecipientName, i.RecipientRole, i.Status, i.RespondBy)).ToList(),
        m.Agencies.Where(a => a.NotIssuedReason is not null).Select(a => new NotInvited(a.AgencyCode, a.NotIssuedReason!)).ToList(),
        minimum.NotMetBy(m.Agencies.Where(a => a.Invited && a.NotIssuedReason is null).Select(a => a.AgencyKind)),
        m.NoticesUndeliverable.ToList());
}

/// <summary>A meeting in a list: no case details.</summary>
/// <summary>
/// One meeting of the team's list. <see cref="CirculationDeadline"/> and <see cref="Circulation"/> are null until the
/// meeting is recorded as held (added later: callers that do not read them are unaffected).
/// </summary>
public sealed record MeetingListItem(
    Guid Id, string Reference, MeetingStatus Status, DateTimeOffset ScheduledStart, DateTimeOffset ScheduledEnd, bool ConvenedBeyondLimit, int Invited, int Answered,
    DateTimeOffset? CirculationDeadline = null, Recording.CirculationStanding? Circulation = null);

/// <summary>
/// An earlier recipient of the agency's invitation (passed to a deputy, or replaced). <see cref="IssuedAt"/>,
/// <see cref="DeliveryUpdatedAt"/> and <see cref="RemindedAt"/> were added for the web's board (existing callers are unaffected).
/// </summary>
public sealed record PreviousRecipient(
    Guid InvitationId, string RecipientName, RecipientRole RecipientRole, SupersededReason? SupersededReason, DeliveryState DeliveryState,
    DateTimeOffset? IssuedAt = null, DateTimeOffset? DeliveryUpdatedAt = null, DateTimeOffset? RemindedAt = null);

/// <summary>
/// One agency's line on the live response board. <see cref="IssuedAt"/> and <see cref="DeliveryUpdatedAt"/> (when the
/// current invitation was issued, and when it was delivered or failed) were added for the web's board.
/// </summary>
public sealed record BoardRow(
    string AgencyCode,
    string AgencyName,
    AgencySource Source,
    bool Invited,
    RemovalReason? RemovalReason,
    string? NotIssuedReason,
    Guid? InvitationId,
    string? RecipientName,
    RecipientRole? RecipientRole,
    InvitationStatus? Status,
    DeliveryState? DeliveryState,
    string? DeliveryFailure,
    DateTimeOffset? RespondBy,
    DateTimeOffset? RemindedAt,
    bool EscalationExhausted,
    InvitationAnswer? Answer,
    DeclineReason? DeclineReason,
    string? DeclineReasonText,
    string? WrittenContribution,
    DateTimeOffset? AnsweredAt,
    bool? AnsweredWithinLimit,
    bool AnsweredByLink,
    IReadOnlyList<PreviousRecipient> Previously,
    DateTimeOffset? IssuedAt = null,
    DateTimeOffset? DeliveryUpdatedAt = null);

public sealed record BoardResponse(Guid MeetingId, string Reference, MeetingStatus Status, DateTimeOffset ScheduledStart, DateTimeOffset ScheduledEnd, IReadOnlyList<BoardRow> Agencies)
{
    public static BoardResponse From(StrategyMeeting m) => new(m.Id, m.Reference, m.Status, m.ScheduledStart, m.ScheduledEnd,
        m.Agencies.OrderBy(a => a.AgencyCode, StringComparer.Ordinal).Select(a =>
        {
            var all = m.Invitations.Where(i => i.AgencyCode == a.AgencyCode).OrderBy(i => i.IssuedAt).ToList();
            var current = all.LastOrDefault(i => i.Status != InvitationStatus.Superseded) ?? all.LastOrDefault();
            return new BoardRow(
                a.AgencyCode, a.AgencyName, a.Source, a.Invited, a.RemovalReasonCode, a.NotIssuedReason,
                current?.Id, current?.RecipientName, current?.RecipientRole, current?.Status, current?.DeliveryState, current?.DeliveryFailure,
                current?.RespondBy, current?.RemindedAt, current?.EscalationExhaustedAt is not null,
                current?.Answer, current?.DeclineReasonCode, current?.DeclineReasonText, current?.WrittenContribution, current?.AnsweredAt,
                current?.AnsweredAt is { } at ? at <= current.RespondBy : null, current?.AnsweredByLink ?? false,
                all.Where(i => i != current).Select(i => new PreviousRecipient(
                    i.Id, i.RecipientName, i.RecipientRole, i.SupersededReason, i.DeliveryState, i.IssuedAt, i.DeliveryUpdatedAt, i.RemindedAt)).ToList(),
                current?.IssuedAt, current?.DeliveryUpdatedAt);
        }).ToList());
}
