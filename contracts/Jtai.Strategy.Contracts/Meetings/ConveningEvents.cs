using MassTransit;

namespace Jtai.Strategy.Contracts.Meetings;

// No child-identifying data in any of these: a meeting travels as its id and reference
// (e.g. SM-2026-000123); the case reference, names and addresses stay inside the meetings service.

/// <summary>A team manager convened a strategy meeting.</summary>
[MessageUrn("jtai-strategy:meetings:strategy-meeting-convened:v1")]
[EntityName("jtai-strategy.meetings.strategy-meeting-convened")]
public sealed record StrategyMeetingConvened(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    string ConcernCategory,
    DateTimeOffset IncidentAt,
    DateTimeOffset DecisionAt,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    bool ConvenedBeyondLimit,
    string? DelayReason,
    IReadOnlyList<string> InvitedAgencyCodes,
    DateTimeOffset OccurredAt);

/// <summary>A manager decided a concern did not meet the threshold; recorded for threshold-consistency reporting.</summary>
[MessageUrn("jtai-strategy:meetings:decision-not-to-convene-recorded:v1")]
[EntityName("jtai-strategy.meetings.decision-not-to-convene-recorded")]
public sealed record DecisionNotToConveneRecorded(
    Guid DecisionId,
    string TeamCode,
    string ConcernCategory,
    string ReasonCode,
    DateTimeOffset DecidedAt,
    DateTimeOffset OccurredAt);

// The four invitation events are v2: composed of the parts in InvitationParts.cs (v1 had the same fields flat).
// A v2 has its own exchange, so a consumer still reading v1 never receives a body it cannot read (see the README).

/// <summary>
/// One invitation to one recipient. Everything a channel needs to deliver it, and nothing about the child.
/// <see cref="CalendarSequence"/> is the meeting's current calendar revision (StrategyMeeting.CalendarSequence, the one
/// owner of the rule): 0 at convening, +1 per reschedule, +1 on cancellation. A deputy's invitation carries the current one.
/// </summary>
[MessageUrn("jtai-strategy:meetings:invitation-issued:v2")]
[EntityName("jtai-strategy.meetings.invitation-issued.v2")]
public sealed record InvitationIssued(
    Guid InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    string TeamName,
    string AgencyCode,
    string AgencyName,
    InvitationRecipient Recipient,
    MeetingSlot Slot,
    DialIn DialIn,
    InvitationLinks Links,
    int CalendarSequence,
    Guid? SupersedesInvitationId,
    DateTimeOffset OccurredAt);

/// <summary>An invitation could not be issued: the agency has no available SPOC. The manager is told at once.</summary>
[MessageUrn("jtai-strategy:meetings:invitation-not-issued:v1")]
[EntityName("jtai-strategy.meetings.invitation-not-issued")]
public sealed record InvitationNotIssued(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    string AgencyCode,
    string Reason,
    DateTimeOffset OccurredAt);

/// <summary>No answer by the reminder time: remind the same recipient.</summary>
[MessageUrn("jtai-strategy:meetings:invitation-reminder-due:v2")]
[EntityName("jtai-strategy.meetings.invitation-reminder-due.v2")]
public sealed record InvitationReminderDue(
    Guid InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string AgencyCode,
    InvitationRecipient Recipient,
    MeetingSlot Slot,
    DialIn DialIn,
    InvitationLinks Links,
    DateTimeOffset OccurredAt);

/// <summary>The invitation no longer stands; a new one may have gone to the next deputy.</summary>
[MessageUrn("jtai-strategy:meetings:invitation-superseded:v1")]
[EntityName("jtai-strategy.meetings.invitation-superseded")]
public sealed record InvitationSuperseded(
    Guid InvitationId,
    Guid MeetingId,
    string AgencyCode,
    SupersededReason Reason,
    Guid? SupersededByInvitationId,
    DateTimeOffset OccurredAt);

[MessageUrn("jtai-strategy:meetings:invitation-answered:v1")]
[EntityName("jtai-strategy.meetings.invitation-answered")]
public sealed record InvitationAnswered(
    Guid InvitationId,
    Guid MeetingId,
    string TeamCode,
    string AgencyCode,
    Guid RecipientSpocId,
    RecipientRole RecipientRole,
    InvitationAnswer Answer,
    string? DeclineReason,
    bool HasWrittenContribution,
    bool AnsweredWithinLimit,
    bool AnsweredByLink,
    DateTimeOffset AnsweredAt);

/// <summary>The meeting moved. One per meeting, for monitoring.</summary>
[MessageUrn("jtai-strategy:meetings:strategy-meeting-rescheduled:v1")]
[EntityName("jtai-strategy.meetings.strategy-meeting-rescheduled")]
public sealed record StrategyMeetingRescheduled(
    Guid MeetingId,
    string MeetingReference,
    DateTimeOffset PreviousStart,
    DateTimeOffset ScheduledStart,
    DateTimeOffset ScheduledEnd,
    int CalendarSequence,
    string Reason,
    DateTimeOffset OccurredAt);

/// <summary>The meeting moved: tell one recipient (same calendar UID, higher sequence).</summary>
[MessageUrn("jtai-strategy:meetings:invitation-rescheduled:v2")]
[EntityName("jtai-strategy.meetings.invitation-rescheduled.v2")]
public sealed record InvitationRescheduled(
    Guid InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string AgencyCode,
    InvitationRecipient Recipient,
    MeetingSlot Slot,
    DialIn DialIn,
    InvitationLinks Links,
    int CalendarSequence,
    DateTimeOffset OccurredAt);

[MessageUrn("jtai-strategy:meetings:strategy-meeting-cancelled:v1")]
[EntityName("jtai-strategy.meetings.strategy-meeting-cancelled")]
public sealed record StrategyMeetingCancelled(
    Guid MeetingId,
    string MeetingReference,
    string Reason,
    DateTimeOffset OccurredAt);

/// <summary>
/// The meeting is cancelled: tell one recipient (METHOD:CANCEL, same calendar UID). <see cref="CalendarSequence"/> is
/// always ≥ 1: cancelling raises the meeting's sequence above that of the last REQUEST (RFC 5546).
/// </summary>
[MessageUrn("jtai-strategy:meetings:invitation-cancelled:v2")]
[EntityName("jtai-strategy.meetings.invitation-cancelled.v2")]
public sealed record InvitationCancelled(
    Guid InvitationId,
    Guid MeetingId,
    string MeetingReference,
    string AgencyCode,
    InvitationRecipient Recipient,
    MeetingSlot Slot,
    string Reason,
    int CalendarSequence,
    DateTimeOffset OccurredAt);
