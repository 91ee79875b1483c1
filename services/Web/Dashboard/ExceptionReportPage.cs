using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// The quarterly exception report to the board's executive, from the metrics API: which of the partnership's rules the
/// quarter's figures broke, the rules themselves, and the quarter's figures. Without a quarter, the last closed one.
/// </summary>
public sealed class ExceptionReportPage(MetricsApiClient metrics, LondonTime time, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Quarter { get; set; }

    public IReadOnlyList<Periods.Choice> Quarters { get; private set; } = [];

    public MetricsExceptionReport? Report { get; private set; }

    public FiguresView? Figures { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Quarters = Periods.Quarters(Periods.Today(time, clock));
        Quarter = string.IsNullOrWhiteSpace(Quarter) ? null : Quarter.Trim().ToUpperInvariant();
        var result = await metrics.ExceptionReportAsync(Quarter, cancellationToken);
        Report = result.Value;
        Figures = Report is null ? null : new FiguresView(Report.Figures);
        Problem = result.Problem;
        Quarter ??= Report?.Quarter;
    }

    public static bool IsDuration(string metricKey) => metricKey is FiguresView.DecisionToMeeting or FiguresView.IncidentToMeeting;

    /// <summary>A rule's figure in the reader's terms: a time for the durations (minutes), a percentage for the ratios.</summary>
    public static string Value(string metricKey, double value) =>
        IsDuration(metricKey) ? FiguresView.Minutes(value) : FiguresView.PercentOf(value);

    public static string Comparison(string comparison) => comparison switch
    {
        "lt" => "below",
        "le" => "at or below",
        "gt" => "above",
        "ge" => "at or above",
        _ => comparison,
    };

    public static string RuleScope(string scope) => scope switch
    {
        "agency" => "Each agency",
        "team" => "Each team",
        _ => "Overall",
    };

    public static string Scope(string? agency, string? team) =>
        agency is not null ? "Agency " + agency : team is not null ? "Team " + team : "Overall";
}
