using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Web.ActionPlanProgress;

/// <summary>
/// The improvement action plan's progress in the shape of the progress report's Table 1 (per theme, how many actions
/// are Green, Amber, Yellow), then each counted action with its status and its metric evidence, from the action plan
/// API with the user's token.
/// </summary>
public sealed class ProgressPage(ActionPlanApiClient plans, IOptions<WebOptions> options) : PageModel
{
    public ProgressReport? Report { get; private set; }

    public IReadOnlyList<PlanAction> Actions { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

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

    public static string Date(DateOnly? date) =>
        date?.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "No date";
}
