using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Administration;

/// <summary>The Families First teams, from the meetings service with the administrator's token (who sees every team).</summary>
public sealed class TeamsPage(TeamsApiClient teams) : PageModel
{
    public IReadOnlyList<TeamDetails> Teams { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await teams.TeamsAsync(cancellationToken);
        Teams = result.Value ?? [];
        Problem = result.Problem;
    }
}
