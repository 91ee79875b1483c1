using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// Removing a team's manager contact, confirmed first: the GET says who, of which team, and what will happen (they no
/// longer receive the team's notices), the POST removes them. No script needed: the team's page links here, and
/// nothing changes until this form is sent.
/// </summary>
public sealed class RemoveManagerPage(TeamsApiClient teams) : AdministrationForm
{
    public TeamDetails? Team { get; private set; }

    public TeamManagerContact? Manager { get; private set; }

    /// <summary>The manager's name if the team has one for them, else their address: how the pages name them.</summary>
    public string Who => Manager!.FullName is { Length: > 0 } name ? name : Manager.Email;

    // The meetings service takes no field for a removal: its refusals show as the summary's title and explanation.
    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages => [];

    public async Task<IActionResult> OnGetAsync(string code, string email, CancellationToken cancellationToken) =>
        await LoadAsync(code, email, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(string code, string email, CancellationToken cancellationToken)
    {
        var removed = await teams.RemoveManagerAsync(code, email, cancellationToken);
        if (removed.Problem is { } problem)
        {
            return await ShowRefusalAsync(problem, "remove", () => LoadAsync(code, email, cancellationToken));
        }

        return Redirect($"/admin/teams/{Uri.EscapeDataString(code)}?removed={Uri.EscapeDataString(email)}");
    }

    private async Task<IActionResult?> LoadAsync(string code, string email, CancellationToken cancellationToken)
    {
        var team = await teams.TeamAsync(code, cancellationToken);
        if (team.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Team = team.Value;
        Manager = Team!.Managers?.FirstOrDefault(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase));
        return Manager is null ? NotFound() : null;
    }
}
