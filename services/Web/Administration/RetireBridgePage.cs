using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// Retiring a team's dial-in bridge, confirmed first: the GET says which bridge of which team and what will happen
/// (meetings convened from now on do not book it; those already booked on it keep it), the POST retires it. No script
/// needed: the team's page links here, and nothing changes until this form is sent.
/// </summary>
public sealed class RetireBridgePage(TeamsApiClient teams) : AdministrationForm
{
    public TeamDetails? Team { get; private set; }

    public TeamBridge? Bridge { get; private set; }

    // The meetings service takes no field for a retirement: its refusals (say, the bridge already retired) show as
    // the summary's title and explanation.
    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages => [];

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(code, id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(string code, Guid id, CancellationToken cancellationToken)
    {
        var retired = await teams.RetireBridgeAsync(code, id, cancellationToken);
        if (retired.Problem is { } problem)
        {
            return await ShowRefusalAsync(problem, "retire", () => LoadAsync(code, id, cancellationToken));
        }

        return Redirect($"/admin/teams/{Uri.EscapeDataString(code)}?retired={Uri.EscapeDataString(retired.Value!.Label)}");
    }

    private async Task<IActionResult?> LoadAsync(string code, Guid id, CancellationToken cancellationToken)
    {
        var team = await teams.TeamAsync(code, cancellationToken);
        if (team.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Team = team.Value;
        Bridge = Team!.Bridges.FirstOrDefault(b => b.Id == id);
        return Bridge is null ? NotFound() : null;
    }
}
