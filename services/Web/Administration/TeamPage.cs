using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// One team's managers (who receive its notices) and dial-in bridges (its meetings book one each), from the meetings
/// service; the forms add a bridge or a manager; retiring a bridge and removing a manager link to RetireBridgePage and RemoveManagerPage, which confirm first. The meetings service checks them (a bridge's number and code, a
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
    [BindProperty] public string? TeamName { get; set; }
    [BindProperty] public string? TeamArea { get; set; }
    [BindProperty] public bool GpPilot { get; set; }
    [BindProperty] public bool Active { get; set; }

    /// <summary>What was just added, retired or removed (after the redirect), for the confirmation banner.</summary>
    [BindProperty(SupportsGet = true)] public string? Added { get; set; }

    [BindProperty(SupportsGet = true)] public string? Retired { get; set; }

    [BindProperty(SupportsGet = true)] public string? Removed { get; set; }

    /// <summary>The team just created (its name), or "true" once its details were changed.</summary>
    [BindProperty(SupportsGet = true)] public string? Created { get; set; }

    [BindProperty(SupportsGet = true)] public bool TeamChanged { get; set; }

    public string? Done =>
        Created is { Length: > 0 } ? $"{Created} was created. Add its dial-in bridges and managers below."
        : TeamChanged ? "The team's details were changed."
        : Added is { Length: > 0 } ? $"{Added} was added."
        : Retired is { Length: > 0 } ? $"{Retired} was retired: meetings convened from now on will not book it."
        : Removed is { Length: > 0 } ? $"{Removed} was removed and no longer receives the team's notices."
        : null;

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages =>
        FailedForm == "team"
            ?
            [
                ("name", "teamName", "Enter the team's name"),
                ("area", "teamArea", "Enter an area of at most 100 characters, or leave it empty"),
            ]
        : FailedForm == "manager"
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
        await LoadAsync(code, cancellationToken) ?? ShowingTeamAsItIs();

    /// <summary>Changes the team's name, area, GP pilot and whether it is active; its bridges and managers stay.</summary>
    public async Task<IActionResult> OnPostTeamAsync(string code, CancellationToken cancellationToken)
    {
        var changed = await teams.ChangeTeamAsync(code, new TeamForm(null, TeamName, TeamArea, GpPilot, Active), cancellationToken);
        if (changed.Problem is not { } problem)
        {
            return Redirect($"/admin/teams/{Uri.EscapeDataString(code)}?teamChanged=true");
        }

        if (problem.Status == HttpStatusCode.NotFound)
        {
            return NotFound();
        }

        if (!Show(problem, "team"))
        {
            return ApiProblemPages.Forbidden;
        }

        // The form keeps what was typed, so the error can be put right.
        return await LoadAsync(code, cancellationToken) ?? Page();
    }

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
            return ApiProblemPages.Forbidden;
        }

        return await LoadAsync(code, cancellationToken) ?? ShowingTeamAsItIs();
    }

    private PageResult ShowingTeamAsItIs()
    {
        TeamName = Team!.Name;
        TeamArea = Team.Area;
        GpPilot = Team.GpPilot;
        Active = Team.Active;
        return Page();
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
