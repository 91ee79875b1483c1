using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// The Families First teams, from the meetings service with the administrator's token (who sees every team). The form
/// creates a team (the meetings service checks the code's shape and that it is free).
/// </summary>
public sealed class TeamsPage(TeamsApiClient teams) : AdministrationForm
{
    public IReadOnlyList<TeamDetails> Teams { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    /// <summary>Previous and next, as the API pages the list.</summary>
    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Area { get; set; }
    [BindProperty] public bool GpPilot { get; set; }

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages { get; } =
    [
        ("code", "code", "Enter a code of 2 to 32 capital letters, digits or hyphens, like FF-EASINGTON"),
        ("name", "name", "Enter the team's name"),
        ("area", "area", "Enter an area of at most 100 characters, or leave it empty"),
    ];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var created = await teams.CreateTeamAsync(new TeamForm(Code?.Trim(), Name, Area, GpPilot, true), cancellationToken);
        if (created.Problem is { } problem)
        {
            if (!Show(problem, "create"))
            {
                return ApiProblemPages.Forbidden;
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        var team = created.Value!;
        return Redirect($"/admin/teams/{Uri.EscapeDataString(team.Code)}?created={Uri.EscapeDataString(team.Name)}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var result = await teams.TeamsAsync(page, cancellationToken);
        Teams = result.Value?.Items ?? [];
        Problem = result.Problem;
        Pages = new Pagination(page.PreviousHref("/admin/teams"), page.NextHref("/admin/teams", result.Value?.NextCursor), page.Number, "Pages of the teams");
    }
}
