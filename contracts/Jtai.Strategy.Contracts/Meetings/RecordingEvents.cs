using MassTransit;

namespace Jtai.Strategy.Contracts.Meetings;

/// <summary>The meeting took place and was recorded; the circulation clock starts at <see cref="ActualEnd"/>.</summary>
[MessageUrn("jtai-strategy:meetings:meeting-held:v1")]
[EntityName("jtai-strategy.meetings.meeting-held")]
public sealed record MeetingHeld(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    DateTimeOffset ActualStart,
    DateTimeOffset ActualEnd,
    bool BelowNationalMinimum,
    string? BelowMinimumReason,
    bool SectionFortySevenEnquiry,
    bool JointInvestigation,
    bool ChildViewsObtained,
    DateTimeOffset CirculationDeadline,
    DateTimeOffset OccurredAt);

/// <summary>What happened for one invited agency at the meeting.</summary>
[MessageUrn("jtai-strategy:meetings:attendance-recorded:v1")]
[EntityName("jtai-strategy.meetings.attendance-recorded")]
public sealed record AttendanceRecorded(
    Guid MeetingId,
    string TeamCode,
    string AgencyCode,
    AttendanceMode Mode,
    bool WithApologies,
    DateTimeOffset OccurredAt);

public sealed record CirculationRecipient(string AgencyCode, Guid SpocId, string RecipientName, string RecipientEmail);

/// <summary>
/// A circulation notice could not be delivered to the agency's SPOC, so the same notice goes to the next SPOC in the
/// agency's routing chain, as an invitation does. One recipient, one message: delivery results name this message's id.
/// Its own event, not another <see cref="AgreedActionsCirculated"/>: that one is a circulation (counted for the
/// deadline and versions), while this re-addresses one recipient of a circulation already made.
/// </summary>
[MessageUrn("jtai-strategy:meetings:circulation-notice-passed-on:v1")]
[EntityName("jtai-strategy.meetings.circulation-notice-passed-on")]
public sealed record CirculationNoticePassedOn(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    int CirculationVersion,
    CirculationRecipient Recipient,
    Guid PreviousSpocId,
    Uri SignInLink,
    DateTimeOffset OccurredAt);

/// <summary>
/// The record and agreed actions were circulated (version 1) or amended (2, 3, ...). Notices carry
/// the meeting reference and a sign-in link only: the actions themselves are behind sign-in.
/// </summary>
[MessageUrn("jtai-strategy:meetings:agreed-actions-circulated:v1")]
[EntityName("jtai-strategy.meetings.agreed-actions-circulated")]
public sealed record AgreedActionsCirculated(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    int CirculationVersion,
    int ActionCount,
    DateTimeOffset MeetingEndedAt,
    DateTimeOffset CirculationDeadline,
    DateTimeOffset CirculatedAt,
    bool OnTime,
    IReadOnlyList<CirculationRecipient> Recipients,
    Uri SignInLink,
    DateTimeOffset OccurredAt);

/// <summary>The circulation deadline is near (e.g. 20 of 24 hours gone) and nothing was circulated.</summary>
[MessageUrn("jtai-strategy:meetings:action-circulation-warning:v1")]
[EntityName("jtai-strategy.meetings.action-circulation-warning")]
public sealed record ActionCirculationWarning(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    DateTimeOffset CirculationDeadline,
    DateTimeOffset OccurredAt);

/// <summary>
/// The deadline passed without circulation: to the team manager and, as an exception, the MASDG.
/// Repeated daily while still overdue (<see cref="Repeat"/> 0, 1, 2, ...).
/// </summary>
[MessageUrn("jtai-strategy:meetings:action-circulation-overdue:v1")]
[EntityName("jtai-strategy.meetings.action-circulation-overdue")]
public sealed record ActionCirculationOverdue(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    DateTimeOffset CirculationDeadline,
    int Repeat,
    DateTimeOffset OccurredAt);

/// <summary>A section 47 enquiry started; an initial child protection conference is due within 15 working days.</summary>
[MessageUrn("jtai-strategy:meetings:section-forty-seven-started:v1")]
[EntityName("jtai-strategy.meetings.section-forty-seven-started")]
public sealed record SectionFortySevenStarted(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    DateOnly StrategyDiscussionDate,
    DateOnly InitialConferenceDueBy,
    DateTimeOffset OccurredAt);
