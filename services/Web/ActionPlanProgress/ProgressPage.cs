using Jtai.Strategy.Web.Apis;
using Jtai.Strategy.Web.Dashboard;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Web.ActionPlanProgress;

/// <summary>
/// The improvement action plan's progress in the shape of the progress report's Table 1 (per theme, how many actions
/// are Green, Amber, Yellow), then each counted action with its status and its evidence: the latest published figures
/// it is judged on and the plan's "evidence of impact" text, from the action plan API (its paged action-evidence list,
/// not one call per action) with the user's token.
/// </summary>
public sealed class ProgressPage(ActionPlanApiClient plans, IOptions<WebOptions> options) : PageModel
{
    public ProgressReport? Report { get; private set; }

    public IReadOnlyList<ActionWithEvidence> Actions { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    /// <summary>The key of the action whose status was just changed (after the status page's redirect), for the success banner.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "changed")]
    public string? ChangedKey { get; set; }

    public ActionWithEvidence? Changed => ChangedKey is null ? null : Actions.FirstOrDefault(a => a.Action.Key == ChangedKey);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var plan = options.Value.ActionPlanCode;
        var progress = await plans.ProgressAsync(plan, cancellationToken);
        Report = progress.Value;
        Problem = progress.Problem;
        if (Report is not null)
        {
            // The actions the table counts: those originally due by the report's date.
            var actions = await plans.ActionsDueByAsync(plan, Report.DueBy, cancellationToken);
            Actions = actions.Value ?? [];
            Problem ??= actions.Problem;
        }
    }

    /// <summary>The status in words and its GOV.UK tag colour (the word says it, not the colour alone).</summary>
    public static (string Text, string Tag) Status(string status) => status switch
    {
        "Green" => ("Green: complete", "govuk-tag--green"),
        "Amber" => ("Amber: commenced", "govuk-tag--orange"),
        "Yellow" => ("Yellow: timescale revised", "govuk-tag--yellow"),
        "NotStarted" => ("Not started", "govuk-tag--grey"),
        _ => (status, "govuk-tag--grey"),
    };

    /// <summary>
    /// A figure in words: "Attended (in person or by dial-in), DURHAM-POLICE, Feb 2019: 14 of 20 (70%); target at least
    /// 80%: below target". Met or not is said in words, never by colour alone.
    /// </summary>
    public static string Figure(EvidenceFigure figure)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var scope = figure.AgencyCode ?? "overall";
        var period = figure.PeriodKind switch
        {
            "month" => figure.PeriodStart.ToString("MMM yyyy", invariant),
            "quarter" => $"{figure.PeriodStart.Year} Q{((figure.PeriodStart.Month - 1) / 3) + 1}",
            _ => $"{figure.PeriodStart.ToString("d MMM yyyy", invariant)} to {figure.PeriodEnd.AddDays(-1).ToString("d MMM yyyy", invariant)}",
        };
        var value = figure.Denominator == 0 ? "none counted" : $"{figure.Numerator} of {figure.Denominator} ({FiguresView.PercentOf((double)figure.Numerator / figure.Denominator)})";
        var target = $"target {(figure.Comparison == "AtMost" ? "at most" : "at least")} {FiguresView.PercentOf((double)figure.Target)}";
        var verdict = figure.Met switch { true => "met", false => "below target", null => "not judged (too few cases)" };
        return $"{FiguresView.NameOf(figure.MetricKey)}, {scope}, {period}: {value}; {target}: {verdict}";
    }

    public static string Date(DateOnly? date) =>
        date?.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "No date";
}
