using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Administration;

/// <summary>The partnership's agencies, from the SPOC directory with the administrator's token; each opens its SPOCs.</summary>
public sealed class AgenciesPage(DirectoryApiClient directory) : PageModel
{
    public IReadOnlyList<DirectoryAgency> Agencies { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await directory.AgenciesAsync(cancellationToken);
        Agencies = result.Value ?? [];
        Problem = result.Problem;
    }
}
