using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Convening;

// What a manager proposes, in the domain's codes, before the convening rules check it. Members are
// nullable because a missing one is a field-level validation error; the endpoints map their requests
// to these, so the rules and the convener never see an HTTP type.

/// <summary>Who acts: the subject of the token, the team it names and the e-mail it carries (where it has one).</summary>
public sealed record Manager(string SubjectId, string? TeamCode, string? Email = null);

public sealed record ProposedCaseFacts(
    ChildAgeBand? AgeBand,
    bool? UnbornChild,
    bool? AdultKnownToProbation,
    bool? KnownToYos,
    string? ReferrerAgencyCode,
    ConcernCategory? ConcernCategory);

public sealed record ProposedTimes(DateTimeOffset? ScheduledStart, int? LengthMinutes, DelayReason? DelayReason, string? DelayReasonText);

/// <summary>A suggested agency the manager chose not to invite, and why.</summary>
public sealed record ProposedRemoval(string? AgencyCode, RemovalReason? Reason, string? ReasonText);

public sealed record ConveneProposal(
    string? CaseReference,
    ConcernCategory? ConcernCategory,
    DateTimeOffset? IncidentAt,
    DateTimeOffset? DecisionAt,
    ThresholdReason? ThresholdReason,
    string? ThresholdReasonText,
    ProposedTimes Times,
    ProposedCaseFacts? CaseFacts,
    IReadOnlyList<string>? AddAgencies,
    IReadOnlyList<ProposedRemoval>? RemoveAgencies);

public sealed record RescheduleProposal(ProposedTimes Times, RescheduleReason? Reason, string? ReasonText);

public sealed record CancelProposal(CancelReason? Reason, string? ReasonText);

public sealed record DecisionNotToConveneProposal(
    string? CaseReference,
    ConcernCategory? ConcernCategory,
    NotConveneReason? Reason,
    string? ReasonText,
    DateTimeOffset? DecidedAt);
