using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Metrics;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>One cell of the rollups: a day, a metric, an agency ('' for meeting-level figures) and a team.</summary>
public readonly record struct RollupKey(DateOnly Day, string Metric, string AgencyCode, string TeamCode) : IComparable<RollupKey>
{
    public int CompareTo(RollupKey other)
    {
        var c = Day.CompareTo(other.Day);
        if (c == 0)
        {
            c = string.CompareOrdinal(Metric, other.Metric);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(AgencyCode, other.AgencyCode);
        }

        return c == 0 ? string.CompareOrdinal(TeamCode, other.TeamCode) : c;
    }

    public RollupKey ToMonth() => this with { Day = new DateOnly(Day.Year, Day.Month, 1) };
}

/// <summary>What one meeting adds to one rollup cell.</summary>
public readonly record struct Contribution(RollupKey Key, long Numerator, long Denominator);

/// <summary>The per-meeting columns kept beside the facts, indexed for durations and the overdue gauge.</summary>
public sealed record MeetingSummary(
    string? TeamCode,
    DateOnly? MeetingDate,
    bool CountedAsHeld,
    double? DecisionToMeetingMinutes,
    double? IncidentToMeetingMinutes,
    DateOnly? CirculationDeadlineDate,
    bool OverdueOpen);

/// <summary>The rules the projection applies that a partnership may configure (time zone, convening limit, GP agencies).</summary>
public sealed class ProjectionRules(TimeZoneInfo timeZone, TimeSpan conveningLimit, IEnumerable<string> gpAgencyCodes)
{
    private readonly HashSet<string> gpAgencies = new(gpAgencyCodes, StringComparer.OrdinalIgnoreCase);

    public TimeZoneInfo TimeZone { get; } = timeZone;

    public TimeSpan ConveningLimit { get; } = conveningLimit;

    public bool IsGp(string agencyCode) => gpAgencies.Contains(agencyCode);

    /// <summary>The partnership's calendar date of an instant: periods are local weeks, months and quarters.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>The instant a local date begins.</summary>
    public DateTimeOffset StartOf(DateOnly date) =>
        new(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), TimeZone), TimeSpan.Zero);
}

/// <summary>
/// Derives a meeting's figures from its facts: a pure function, used alike by the incremental
/// projection (new minus old contributions) and by the rebuild (sum of contributions).
/// </summary>
public static class Contributions
{
    private static readonly Dictionary<AttendanceMode, string> ModeKeys = new()
    {
        [AttendanceMode.AttendedInPerson] = MetricKeys.AttendedInPerson,
        [AttendanceMode.AttendedByDialIn] = MetricKeys.AttendedByDialIn,
        [AttendanceMode.WrittenContributionOnly] = MetricKeys.WrittenContributionOnly,
        [AttendanceMode.Absent] = MetricKeys.Absent,
    };

    public static List<Contribution> Of(MeetingFacts meeting, ProjectionRules rules)
    {
        var result = new List<Contribution>();
        if (meeting.Team is null || meeting.Cancelled)
        {
            // A cancelled meeting counts nowhere: nobody could attend it, and a replacement is a new meeting.
            return result;
        }

        var team = meeting.Team.Value;
        var held = meeting.Held?.Value;
        if ((held?.ActualStart ?? meeting.ScheduledStart?.Value) is { } when)
        {
            var day = rules.LocalDate(when);
            void Add(string metric, string agency, bool counted) => result.Add(new(new(day, metric, agency, team), counted ? 1 : 0, 1));

            // The agency is the unit: invited once per meeting, whichever SPOC or deputy the invitation went to.
            var byAgency = meeting.Invitations.Values
                .Where(i => i.Agency is not null)
                .GroupBy(i => i.Agency!.Value, StringComparer.Ordinal)
                .Where(g => g.Any(i => i.Issued))
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

            foreach (var (agency, invitations) in byAgency)
            {
                var answers = invitations.Where(i => i.LatestAnswer is not null).Select(i => i.LatestAnswer!).ToList();
                var latest = answers.Aggregate((Stamped<AnswerFacts>?)null, (a, b) => Stamped<AnswerFacts>.Max(a, b));
                Add(MetricKeys.InvitationsIssued, agency, true);
                Add(MetricKeys.Delivered, agency, invitations.Any(i => i.Delivered));
                Add(MetricKeys.AnsweredWithinLimit, agency, invitations.Any(i => i.AnsweredWithinLimit));
                Add(MetricKeys.NoAnswer, agency, latest is null);
                Add(MetricKeys.AnsweredByDeputy, agency, latest is not null && latest.Value.RecipientRole != RecipientRole.Primary);
                if (rules.IsGp(agency))
                {
                    var mode = held is null ? null : meeting.Attendance.GetValueOrDefault(agency)?.Value.Mode;
                    Add(MetricKeys.GpContributions, agency, invitations.Any(i => i.WrittenContribution) || mode is AttendanceMode.AttendedInPerson or AttendanceMode.AttendedByDialIn or AttendanceMode.WrittenContributionOnly);
                }
            }

            if (held is not null)
            {
                // Invited = issued, or recorded at the meeting; an invited agency with no record counts in no mode.
                foreach (var agency in byAgency.Keys.Union(meeting.Attendance.Keys, StringComparer.Ordinal))
                {
                    var mode = meeting.Attendance.GetValueOrDefault(agency)?.Value.Mode;
                    Add(MetricKeys.Attended, agency, mode is AttendanceMode.AttendedInPerson or AttendanceMode.AttendedByDialIn);
                    foreach (var (candidate, key) in ModeKeys)
                    {
                        Add(key, agency, mode == candidate);
                    }
                }

                Add(MetricKeys.MeetingsHeld, string.Empty, true);
                Add(MetricKeys.BelowNationalMinimum, string.Empty, held.BelowNationalMinimum);
                Add(MetricKeys.SectionFortySevenStarted, string.Empty, held.SectionFortySevenEnquiry || meeting.SectionFortySevenStarted);
                if (meeting.Convened is { } convened)
                {
                    Add(MetricKeys.MeetingsOver24HoursFromDecision, string.Empty, held.ActualStart - convened.Value.DecisionAt > rules.ConveningLimit);
                }
            }
        }

        // A meeting past its record-due time with no record counts as not recorded, on its scheduled day, until recorded.
        if (meeting.RecordOverdue is not null && held is null && meeting.ScheduledStart?.Value is { } scheduled)
        {
            result.Add(new(new(rules.LocalDate(scheduled), MetricKeys.MeetingsNotRecorded, string.Empty, team), 1, 1));
        }

        // Circulation falls due at its deadline: counted once circulated (on time or late) or reported overdue. A meeting
        // reported not recorded is due too, so a team that never records does not look perfect: in the denominator
        // (on its record-due day) and never on time until recorded; recorded later, its own deadline (actual end + the
        // circulation window) dates and judges it, like any recorded meeting's.
        var due = meeting.CirculationDeadline ?? meeting.RecordOverdue?.Value.DueAt;
        if ((meeting.FirstCirculation is not null || meeting.OverdueDeadline is not null || meeting.RecordOverdue is not null) && due is { } deadline)
        {
            result.Add(new(new(rules.LocalDate(deadline), MetricKeys.CirculatedOnTime, string.Empty, team), meeting.FirstCirculation?.Value.OnTime == true ? 1 : 0, 1));
        }

        return result;
    }

    public static MeetingSummary Summarize(MeetingFacts meeting, ProjectionRules rules)
    {
        var held = meeting.Held?.Value;
        var counted = held is not null && !meeting.Cancelled && meeting.Team is not null;
        var date = (held?.ActualStart ?? meeting.ScheduledStart?.Value) is { } when ? rules.LocalDate(when) : (DateOnly?)null;
        var convened = meeting.Convened?.Value;
        return new MeetingSummary(
            meeting.Team?.Value,
            date,
            counted,
            counted && convened is not null ? (held!.ActualStart - convened.DecisionAt).TotalMinutes : null,
            counted && convened is not null ? (held!.ActualStart - convened.IncidentAt).TotalMinutes : null,
            meeting.CirculationDeadline is { } deadline ? rules.LocalDate(deadline) : null,
            meeting.OverdueOpen && meeting.Team is not null);
    }

    /// <summary>New minus old, per cell, without the cells that did not change; sorted so writers lock rows in one order.</summary>
    public static List<Contribution> Delta(IEnumerable<Contribution> before, IEnumerable<Contribution> after, Func<RollupKey, RollupKey> bucket)
    {
        var sums = new Dictionary<RollupKey, (long N, long D)>();
        foreach (var c in after)
        {
            var key = bucket(c.Key);
            var s = sums.GetValueOrDefault(key);
            sums[key] = (s.N + c.Numerator, s.D + c.Denominator);
        }

        foreach (var c in before)
        {
            var key = bucket(c.Key);
            var s = sums.GetValueOrDefault(key);
            sums[key] = (s.N - c.Numerator, s.D - c.Denominator);
        }

        return sums.Where(s => s.Value != (0, 0)).Select(s => new Contribution(s.Key, s.Value.N, s.Value.D)).OrderBy(c => c.Key).ToList();
    }
}
