using System.Globalization;
using Jtai.Strategy.Web.Apis;
using Jtai.Strategy.Web.Dashboard;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Web.ActionPlanProgress;

/// <summary>
/// The action plan's quarterly exception report for the executive, as the action plan API computes it: the actions
/// overdue, the timescales revised with approval in the quarter, the linked metric targets missed, and the agencies
/// concerned. The quarter is typed (2019-Q1; empty for the last complete one): the plan's quarters go back to its
/// start, years before the dashboard's eight; a quarter the API does not read shows as its field error.
/// </summary>
public sealed class ExceptionReportPage(ActionPlanApiClient plans, IOptions<WebOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Quarter { get; set; }

    public PlanExceptionReport? Report { get; private set; }

    /// <summary>The API's words about the quarter typed, shown at the field and in the error summary.</summary>
    public string? QuarterError { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Quarter = string.IsNullOrWhiteSpace(Quarter) ? null : Quarter.Trim().ToUpperInvariant();
        var result = await plans.ExceptionReportAsync(options.Value.ActionPlanCode, Quarter, cancellationToken);
        Report = result.Value;
        if (result.Problem is { } problem)
        {
            if (problem.Errors.TryGetValue("quarter", out var messages))
            {
                QuarterError = messages.FirstOrDefault();
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
            else
            {
                return problem.PageResult("action plan API");
            }
        }

        return Page();
    }

    public static string Date(DateOnly? date) => date?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? "No date";

    /// <summary>A missed figure: "14 of 20 (70%) against at least 80%".</summary>
    public static string Figure(MissedTarget missed) =>
        (missed.Denominator == 0 ? "none counted" : $"{missed.Numerator} of {missed.Denominator} ({FiguresView.PercentOf((double)missed.Numerator / missed.Denominator)})")
        + $" against {(missed.Comparison == "AtMost" ? "at most" : "at least")} {FiguresView.PercentOf((double)missed.Target)}";
}
