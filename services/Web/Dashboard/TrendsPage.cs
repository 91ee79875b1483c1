using System.Globalization;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// The last 12 months by day, week, month (the default) or quarter, overall or filtered to an agency and/or a team (the
/// dashboard's lists), the five main ratios or one metric chosen: the table is the content, and the page's script
/// (wwwroot/js/trend-chart.js, with Chart.js) draws a chart from that same table.
/// </summary>
public sealed class TrendsPage(MetricsApiClient metrics, MasdgFilters filters, LondonTime time, TimeProvider clock) : PageModel
{
    /// <summary>The ratios the chart draws by default, as percentages, in this order.</summary>
    public static readonly IReadOnlyList<string> Charted =
    [
        FiguresView.AnsweredWithinLimit,
        FiguresView.Attended,
        FiguresView.WrittenOnly,
        FiguresView.BelowNationalMinimum,
        FiguresView.CirculatedOnTime,
    ];

    /// <summary>
    /// The metrics one may chart alone: the ratios the pages name (a percentage each, so one scale for the chart). The
    /// durations stay in the table of the five; a count such as meetings held has no percentage to draw.
    /// </summary>
    public static readonly IReadOnlyList<string> SingleMetrics =
    [
        FiguresView.AnsweredWithinLimit,
        FiguresView.NoAnswer,
        FiguresView.Delivered,
        FiguresView.Attended,
        FiguresView.InPerson,
        FiguresView.DialIn,
        FiguresView.WrittenOnly,
        FiguresView.Absent,
        FiguresView.BelowNationalMinimum,
        FiguresView.Over24HoursFromDecision,
        FiguresView.CirculatedOnTime,
    ];

    /// <summary>The metrics API's granularities, with their words on the page.</summary>
    public static readonly IReadOnlyList<(string Token, string Name)> Granularities =
    [
        ("day", "Day by day"),
        ("week", "Week by week"),
        ("month", "Month by month"),
        ("quarter", "Quarter by quarter"),
    ];

    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Team { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Granularity { get; set; }

    /// <summary>One metric to chart alone, or null for the five of <see cref="Charted"/>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Metric { get; set; }

    public IReadOnlyList<FiguresView> Periods { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public AgencyTeamFilters Choices { get; private set; } = AgencyTeamFilters.None;

    /// <summary>The columns charted: the chosen metric, or the five.</summary>
    public IReadOnlyList<string> Series => Metric is null ? Charted : [Metric];

    public string GranularityName => Granularities.FirstOrDefault(g => g.Token == Granularity).Name ?? Granularity ?? string.Empty;

    public string Filters => Query(Agency, Team, Granularity, Metric);

    /// <summary>The trends page's (and its CSV's) query string; month, the default granularity, is left out.</summary>
    public static string Query(string? agency, string? team, string? granularity, string? metric) =>
        MetricsApiClient.Query(("agency", agency), ("team", team), ("granularity", granularity == "month" ? null : granularity), ("metric", metric));

    /// <summary>From the first day of the month 11 months ago to the first day of next month: this month and the 11 before.</summary>
    public static (DateOnly From, DateOnly To) LastTwelveMonths(DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        return (thisMonth.AddMonths(-11), thisMonth.AddMonths(1));
    }

    /// <summary>A granularity as the API spells it (month when none is given); one it does not know is passed on, and its problem shown.</summary>
    public static string GranularityOf(string? value) => string.IsNullOrWhiteSpace(value) ? "month" : value.Trim().ToLowerInvariant();

    public static string? MetricOf(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Agency = MasdgFilters.Code(Agency);
        Team = MasdgFilters.Code(Team);
        Granularity = GranularityOf(Granularity);
        Metric = MetricOf(Metric);
        var (from, to) = LastTwelveMonths(Dashboard.Periods.Today(time, clock));
        var trend = metrics.TrendAsync(Granularity, from, to, Metric, Agency, Team, cancellationToken);
        var lists = filters.ReadAsync(Agency, Team, cancellationToken);
        await Task.WhenAll(trend, lists);
        Periods = trend.Result.Value is { } report ? [.. report.Periods.Select(p => new FiguresView(p, Agency, Team))] : [];
        Problem = trend.Result.Problem;
        Choices = new AgencyTeamFilters(lists.Result, Agency, Team);
    }

    /// <summary>A period's name in its row: "3 Mar 2026", "Week of 2 Mar 2026", "Mar 2026", "2026 Q1".</summary>
    public static string PeriodName(MetricsReport report) => report.PeriodKind switch
    {
        "day" => report.PeriodStart.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        "week" => "Week of " + report.PeriodStart.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        "quarter" => $"{report.PeriodStart.Year} Q{((report.PeriodStart.Month - 1) / 3) + 1}",
        _ => report.PeriodStart.ToString("MMM yyyy", CultureInfo.InvariantCulture),
    };
}
