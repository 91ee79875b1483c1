using MassTransit;

namespace Jtai.Strategy.Contracts.Meetings;

// Notices the meetings service owes the team's managers (issue #10, parts 1 and 5). One event carries the recipients,
// as AgreedActionsCirculated does, so the notifications service needs no copy of the teams' manager contacts.
// Nothing about the child: the meeting reference, a sign-in link, codes, counts and times only.

/// <summary>A team manager to tell: the name is optional (an address kept by an administrator may have none).</summary>
public sealed record NoticeRecipient(string? Name, string Email);

/// <summary>
/// The codes and times behind a notice, each set only for the kinds that have it: the circulation deadline
/// (warning, overdue), how long overdue and which daily repeat (overdue), the agency and what was tried (no recipient
/// left: how many SPOCs the invitation went to, by rank), the national-minimum parts not covered (below minimum at
/// convening), and the scheduled end and record-due time (record due).
/// </summary>
public sealed record NoticeFacts(
    DateTimeOffset? CirculationDeadline = null,
    int? HoursOverdue = null,
    int? Repeat = null,
    string? AgencyCode = null,
    string? AgencyName = null,
    IReadOnlyList<int>? RanksTried = null,
    string? ReasonCode = null,
    IReadOnlyList<string>? MinimumNotCovered = null,
    DateTimeOffset? ScheduledEnd = null,
    DateTimeOffset? RecordDueAt = null);

/// <summary>
/// Something about a meeting the team's managers must hear of (<see cref="Kind"/>, one of <see cref="ManagerNoticeKinds"/>):
/// one e-mail per recipient. <see cref="NoticeId"/> is stable per notice (the deadline row or convening it came from),
/// so delivery results (<c>NoticeDelivered</c>/<c>NoticeDeliveryFailed</c> with this kind) can be matched to it.
/// </summary>
[MessageUrn("jtai-strategy:meetings:manager-notice-due:v1")]
[EntityName("jtai-strategy.meetings.manager-notice-due")]
public sealed record ManagerNoticeDue(
    Guid NoticeId,
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    string Kind,
    IReadOnlyList<NoticeRecipient> Recipients,
    Uri SignInLink,
    NoticeFacts Facts,
    DateTimeOffset OccurredAt);

/// <summary>The values of <see cref="ManagerNoticeDue.Kind"/> (and of <c>Kind</c> on its delivery results).</summary>
public static class ManagerNoticeKinds
{
    public const string CirculationWarning = "circulation-warning";
    public const string CirculationOverdue = "circulation-overdue";
    public const string NoRecipientLeft = "no-recipient-left";
    public const string BelowMinimumAtConvening = "below-minimum-at-convening";
    public const string RecordDue = "record-due";

    public static readonly IReadOnlyList<string> All = [CirculationWarning, CirculationOverdue, NoRecipientLeft, BelowMinimumAtConvening, RecordDue];
}

/// <summary>
/// The meeting's scheduled end passed <c>RecordDueAfter</c> ago (24 hours by default) and it has not been recorded (nor
/// cancelled). Metrics counts it as not recorded and in the denominator of the circulated-on-time figure.
/// </summary>
[MessageUrn("jtai-strategy:meetings:meeting-record-overdue:v1")]
[EntityName("jtai-strategy.meetings.meeting-record-overdue")]
public sealed record MeetingRecordOverdue(
    Guid MeetingId,
    string MeetingReference,
    string TeamCode,
    DateTimeOffset ScheduledEnd,
    DateTimeOffset DueAt,
    DateTimeOffset OccurredAt);
