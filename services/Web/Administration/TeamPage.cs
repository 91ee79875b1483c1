using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// One team's managers (who receive its notices) and dial-in bridges (its meetings book one each), from the meetings
/// service; the forms add a bridge or a manager. The meetings service checks them (a bridge's number and code, a
/// manager's secure address, no duplicate).
/// </summary>
public sealed class TeamPage(TeamsApiClient teams) : AdministrationForm
{
    public TeamDetails? Team { get; private set; }

    [BindProperty] public string? Label { get; set; }
    [BindProperty] public string? DialInNumber { get; set; }
    [BindProperty] public string? ConferenceCode { get; set; }
    [BindProperty] public string? ManagerEmail { get; set; }
    [BindProperty] public string? ManagerName { get; set; }

    /// <summary>What was just added (after the redirect), for the confirmation banner.</summary>
    [BindProperty(SupportsGet = true)] public string? Added { get; set; }

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages =>
        FailedForm == "manager"
            ?
            [
                ("email", "managerEmail", "Enter the manager's secure e-mail address, like name@durham.gov.example"),
                ("fullName", "managerName", "Enter a name of at most 200 characters"),
            ]
            :
            [
                ("label", "label", "Enter a label for the bridge, like Bridge 4"),
                ("dialInNumber", "dialInNumber", "Enter the dial-in number, with digits, spaces and + ( ) - only"),
                ("conferenceCode", "conferenceCode", "Enter the conference code, with letters and digits only"),
            ];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostBridgeAsync(string code, CancellationToken cancellationToken)
    {
        var added = await teams.AddBridgeAsync(code, new BridgeForm(Label, DialInNumber, ConferenceCode), cancellationToken);
        return added.Problem is { } problem
            ? await ShowAsync(code, problem, "bridge", cancellationToken)
            : Redirect($"/admin/teams/{Uri.EscapeDataString(code)}?added={Uri.EscapeDataString(added.Value!.Label)}");
    }

    public async Task<IActionResult> OnPostManagerAsync(string code, CancellationToken cancellationToken)
    {
        var added = await teams.AddManagerAsync(code, new ManagerForm(ManagerEmail, ManagerName), cancellationToken);
        return added.Problem is { } problem
            ? await ShowAsync(code, problem, "manager", cancellationToken)
            : Redirect($"/admin/teams/{Uri.EscapeDataString(code)}?added={Uri.EscapeDataString(ManagerName is { Length: > 0 } name ? name : ManagerEmail ?? "")}");
    }

    private async Task<IActionResult> ShowAsync(string code, ApiProblem problem, string form, CancellationToken cancellationToken)
    {
        if (problem.Status == HttpStatusCode.NotFound)
        {
            return NotFound();
        }

        if (!Show(problem, form))
        {
            return Redirect("/forbidden");
        }

        return await LoadAsync(code, cancellationToken) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var team = await teams.TeamAsync(code, cancellationToken);
        if (team.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Team = team.Value;
        return null;
    }
}
