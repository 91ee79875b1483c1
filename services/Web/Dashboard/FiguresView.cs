using System.Globalization;
using Jtai.Strategy.Web.Apis;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// A metrics report read for the MASDG's pages: each figure by its metric key and scope, in words. A ratio is shown as
/// "3 of 4" with its percentage, never a bare percentage (the API gives numerator and denominator for that reason).
/// </summary>
/// <remarks>
/// In a report filtered to an agency and/or a team, the API gives each figure the filter's codes: the "overall" line is
/// the one with exactly the filter's agency and team, the by-agency lines carry the filtered team, the by-team lines the
/// filtered agency. So the view is made with the filter the report was asked for.
/// </remarks>
public sealed class FiguresView(MetricsReport report, string? agencyFilter = null, string? teamFilter = null)
{
    // The metrics service's keys (docs/metrics.md), the ones these pages show.
    public const string Issued = "invitations.issued";
    public const string AnsweredWithinLimit = "invitations.answered-within-limit";
    public const string NoAnswer = "invitations.no-answer";
    public const string Delivered = "invitations.delivered";
    public const string MeetingsHeld = "meetings.held";
    public const string Attended = "attendance.attended";
    public const string InPerson = "attendance.in-person";
    public const string DialIn = "attendance.dial-in";
    public const string WrittenOnly = "attendance.written-only";
    public const string Absent = "attendance.absent";
    public const string BelowNationalMinimum = "attendance.below-national-minimum";
    public const string Over24HoursFromDecision = "convening.over-24h-from-decision";
    public const string CirculatedOnTime = "circulation.on-time";
    public const string OverdueOpen = "circulation.overdue-open";
    public const string DecisionToMeeting = "convening.decision-to-meeting";
    public const string IncidentToMeeting = "convening.incident-to-meeting";

    /// <summary>What each shown key is called on the pages.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Issued] = "Agencies invited",
        [AnsweredWithinLimit] = "Answered within the time limit",
        [NoAnswer] = "Never answered",
        [Delivered] = "Invitation delivered",
        [MeetingsHeld] = "Meetings held",
        [Attended] = "Attended (in person or by dial-in)",
        [InPerson] = "Attended in person",
        [DialIn] = "Attended by dial-in",
        [WrittenOnly] = "Written contribution only",
        [Absent] = "Absent",
        [BelowNationalMinimum] = "Meetings below the national minimum",
        [Over24HoursFromDecision] = "Meetings held more than 24 hours after the decision",
        [CirculatedOnTime] = "Actions circulated on time",
        [OverdueOpen] = "Circulations overdue and still open",
        [DecisionToMeeting] = "Decision to meeting",
        [IncidentToMeeting] = "Incident to meeting",
    };

    public MetricsReport Report { get; } = report;

    public static string NameOf(string key) => Names.TryGetValue(key, out var name) ? name : key;

    /// <summary>The overall figure (or the filtered one, when the report is filtered to an agency or team).</summary>
    public MetricFigure? Overall(string key) => Report.Figures.FirstOrDefault(f => f.Key == key && f.AgencyCode == agencyFilter && f.TeamCode == teamFilter);

    public MetricFigure? ForAgency(string key, string agency) => Report.Figures.FirstOrDefault(f => f.Key == key && f.AgencyCode == agency && f.TeamCode == teamFilter);

    public MetricFigure? ForTeam(string key, string team) => Report.Figures.FirstOrDefault(f => f.Key == key && f.TeamCode == team && f.AgencyCode == agencyFilter);

    /// <summary>A time to the meeting, overall (or the filtered team's), or one team's. Times are per meeting, never per agency.</summary>
    public DurationFigure? Duration(string key, string? team = null) =>
        Report.Durations.FirstOrDefault(d => d.Key == key && d.TeamCode == (team ?? teamFilter) && d.AgencyCode is null);

    public IReadOnlyList<string> Agencies =>
        [.. Report.Figures.Where(f => f.AgencyCode is not null && f.TeamCode == teamFilter).Select(f => f.AgencyCode!).Distinct().Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> Teams =>
        [.. Report.Figures.Where(f => f.TeamCode is not null && f.AgencyCode == agencyFilter).Select(f => f.TeamCode!).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>"3 of 4 (75%)"; "none" when nothing was counted.</summary>
    public static string Ratio(MetricFigure? figure) =>
        figure is null || figure.Denominator == 0 ? "None" : $"{figure.Numerator} of {figure.Denominator} ({Percent(figure)})";

    public static string Percent(MetricFigure? figure) =>
        figure is null || figure.Denominator == 0 ? "–" : PercentOf((double)figure.Numerator / figure.Denominator);

    /// <summary>"75%": the invariant culture's percent format would write "75 %".</summary>
    public static string PercentOf(double fraction) =>
        Math.Round(fraction * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A ratio as a number for a chart (a percentage), or empty when there is nothing to divide.</summary>
    public static string ChartValue(MetricFigure? figure) =>
        figure is null || figure.Denominator == 0 ? string.Empty : (100.0 * figure.Numerator / figure.Denominator).ToString("0.#", CultureInfo.InvariantCulture);

    public static string Count(MetricFigure? figure) => (figure?.Numerator ?? 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>Minutes in words a reader takes in at once: "45 min", "5 h 20 min", "2 days 3 h".</summary>
    public static string Minutes(double? minutes)
    {
        if (minutes is not { } value)
        {
            return "–";
        }

        var span = TimeSpan.FromMinutes(Math.Round(value));
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} days {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{span.Minutes} min";
    }

    /// <summary>Hours for a chart, or empty when no meeting was measured.</summary>
    public static string ChartHours(double? minutes) =>
        minutes is { } value ? (value / 60).ToString("0.#", CultureInfo.InvariantCulture) : string.Empty;
}

/// <summary>The periods the MASDG chooses from: the last 12 months and the last 8 quarters, in the partnership's time zone.</summary>
public static class Periods
{
    public sealed record Choice(string Token, string Label, DateOnly Start, DateOnly End);

    public static IReadOnlyList<Choice> Months(DateOnly today) =>
        [.. Enumerable.Range(0, 12).Select(i => Month(new DateOnly(today.Year, today.Month, 1).AddMonths(-i)))];

    public static IReadOnlyList<Choice> Quarters(DateOnly today)
    {
        var first = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        return [.. Enumerable.Range(0, 8).Select(i => Quarter(first.AddMonths(-3 * i)))];
    }

    public static Choice Month(DateOnly first) =>
        new(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first.ToString("MMMM yyyy", CultureInfo.InvariantCulture), first, first.AddMonths(1));

    public static Choice Quarter(DateOnly first)
    {
        var number = ((first.Month - 1) / 3) + 1;
        var last = first.AddMonths(3).AddDays(-1);
        var label = $"{first.Year} quarter {number} ({first.ToString("MMM", CultureInfo.InvariantCulture)} to {last.ToString("MMM", CultureInfo.InvariantCulture)})";
        return new($"{first.Year}-Q{number}", label, first, first.AddMonths(3));
    }

    /// <summary>Today as a date in the partnership's time zone.</summary>
    public static DateOnly Today(LondonTime time, TimeProvider clock) => DateOnly.FromDateTime(time.Local(clock.GetUtcNow()).DateTime);
}
