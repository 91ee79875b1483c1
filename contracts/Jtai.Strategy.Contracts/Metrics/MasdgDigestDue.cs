using MassTransit;

namespace Jtai.Strategy.Contracts.Metrics;

/// <summary>
/// A circulation still open after its overdue notice: the deadline the team was notified of, how long ago it passed,
/// and how many circulation notices (warning and overdue) the meeting drew.
/// </summary>
public sealed record OverdueCirculation(string MeetingReference, string TeamCode, DateTimeOffset Deadline, double HoursOverdue, int NoticesSent);

/// <summary>A meeting held without the national minimum of agencies attending.</summary>
public sealed record BelowMinimumMeeting(string MeetingReference, string TeamCode, DateTimeOffset ActualStart, DateTimeOffset ActualEnd);

/// <summary>
/// The MASDG's daily digest is due: every open overdue circulation now, and every meeting held below the national
/// minimum on <see cref="Day"/> (a local date). References, team codes, times and counts only: nothing about a child.
/// One per day: <see cref="DigestId"/> is derived from the day.
/// </summary>
[MessageUrn("jtai-strategy:metrics:masdg-digest-due:v1")]
[EntityName("jtai-strategy.metrics.masdg-digest-due")]
public sealed record MasdgDigestDue(
    Guid DigestId,
    DateOnly Day,
    Uri? SignInLink,
    IReadOnlyList<OverdueCirculation> Overdue,
    IReadOnlyList<BelowMinimumMeeting> HeldBelowMinimum,
    string Mailbox,
    DateTimeOffset OccurredAt);
