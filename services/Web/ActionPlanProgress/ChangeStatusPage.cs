using System.Globalization;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Web.ActionPlanProgress;

/// <summary>
/// The MASDG records an action's new status with why (the action plan API lets the MASDG alone change it). Yellow
/// means the timescale was revised with the executive's approval, so it asks for the revised timescale, who approved it
/// and when. The API decides: its field errors show in GOV.UK's error summary and at their fields, a refusal without
/// fields (the status is unchanged; someone changed the action meanwhile) as the summary's title and its explanation.
/// </summary>
public sealed class ChangeStatusPage(ActionPlanApiClient plans, IOptions<WebOptions> options) : MeetingForm
{
    /// <summary>The statuses of the action plan, in the progress report's words.</summary>
    public static readonly IReadOnlyList<(string Value, string Label, string Hint)> Statuses =
    [
        ("NotStarted", "Not started", "No work on the action has begun."),
        ("Amber", "Amber: commenced", "Work has begun and needs further time to embed."),
        ("Green", "Green: complete", "The action is complete."),
        ("Yellow", "Yellow: timescale revised", "The executive approved a later timescale: give it, who approved it and when."),
    ];

    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = string.Empty;

    [BindProperty] public string? Status { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? RevisedDueDate { get; set; }
    [BindProperty] public string? ApprovedBy { get; set; }
    [BindProperty] public string? ApprovedOn { get; set; }

    public PlanActionDetail? Action { get; private set; }

    protected override IReadOnlyList<(string Id, string ApiName, string Missing)> Fields =>
    [
        ("status", "status", "Select the action's new status"),
        ("reason", "reason", "Enter why the status changes"),
        ("revisedDueDate", "timescaleRevision", "Enter the revised timescale, who approved it and when"),
        ("revisedDueDate", "timescaleRevision.revisedDueDate", "Enter the revised timescale"),
        ("approvedBy", "timescaleRevision.approvedBy", "Enter who in the executive approved the revised timescale"),
        ("approvedOn", "timescaleRevision.approvedOn", "Enter the date the executive approved it"),
    ];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ReadActionAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var status = Blank(Status);
        var revisedDueDate = TypedDate("revisedDueDate", RevisedDueDate, "the revised timescale");
        var approvedOn = TypedDate("approvedOn", ApprovedOn, "the date the executive approved it");
        // The revision goes only with Yellow (the API refuses it with another status); with Yellow, even empty, so
        // that the API names each missing part at its field.
        var revision = status == "Yellow" ? new TimescaleRevisionForm(revisedDueDate, Blank(ApprovedBy), approvedOn) : null;
        var result = await plans.ChangeStatusAsync(options.Value.ActionPlanCode, Key, new StatusChangeForm(status, Reason?.ReplaceLineEndings("\n"), revision), cancellationToken);
        if (result.Succeeded)
        {
            return Redirect($"/masdg/action-plan?changed={Uri.EscapeDataString(Key)}#action-{Uri.EscapeDataString(Key)}");
        }

        if (result.Problem!.Status == System.Net.HttpStatusCode.NotFound)
        {
            return NotFound();
        }

        if (!Show(result.Problem))
        {
            return ApiProblemPages.Forbidden;
        }

        return await ReadActionAsync(cancellationToken) ?? Page();
    }

    private async Task<IActionResult?> ReadActionAsync(CancellationToken cancellationToken)
    {
        var action = await plans.ActionAsync(options.Value.ActionPlanCode, Key, cancellationToken);
        if (action.Problem is { } problem)
        {
            return problem.PageResult("action plan API");
        }

        Action = action.Value;
        return null;
    }

    /// <summary>A date typed as 31/3/2019; one that does not read is an error here (and goes to the API as missing).</summary>
    private DateOnly? TypedDate(string field, string? typed, string what)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        if (DateOnly.TryParseExact(typed.Trim(), ["d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Errors.Add((field, $"Enter {what} as a date like 31/3/2019"));
        return null;
    }
}
