using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// The last 12 months, month by month, overall or filtered to an agency and/or a team: the table is the content, and
/// the page's script (wwwroot/js/trend-chart.js, with Chart.js) draws a chart from that same table.
/// </summary>
public sealed class TrendsPage(MetricsApiClient metrics, LondonTime time, TimeProvider clock) : PageModel
{
    /// <summary>The ratios the chart draws, as percentages, in this order.</summary>
    public static readonly IReadOnlyList<string> Charted =
    [
        FiguresView.AnsweredWithinLimit,
        FiguresView.Attended,
        FiguresView.WrittenOnly,
        FiguresView.BelowNationalMinimum,
        FiguresView.CirculatedOnTime,
    ];

    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Team { get; set; }

    public IReadOnlyList<FiguresView> Months { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public string Filters => MetricsApiClient.Query(("agency", Agency), ("team", Team));

    /// <summary>From the first day of the month 11 months ago to the first day of next month: this month and the 11 before.</summary>
    public static (DateOnly From, DateOnly To) LastTwelveMonths(DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        return (thisMonth.AddMonths(-11), thisMonth.AddMonths(1));
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Agency = string.IsNullOrWhiteSpace(Agency) ? null : Agency.Trim().ToUpperInvariant();
        Team = string.IsNullOrWhiteSpace(Team) ? null : Team.Trim().ToUpperInvariant();
        var (from, to) = LastTwelveMonths(Periods.Today(time, clock));
        var result = await metrics.MonthlyTrendAsync(from, to, Agency, Team, cancellationToken);
        Months = result.Value is { } trend ? [.. trend.Periods.Select(p => new FiguresView(p, Agency, Team))] : [];
        Problem = result.Problem;
    }

    public static string MonthName(MetricsReport report) =>
        report.PeriodStart.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
