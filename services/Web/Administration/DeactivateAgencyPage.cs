using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// Deactivating an agency, confirmed first: the GET says which agency and what will happen (not suggested or invited
/// to new meetings; invitations already sent and its SPOCs stay), the POST deactivates it. No script needed: the
/// agency's page links here, and nothing changes until this form is sent. Reactivating stays one press on the agency's
/// page: it takes nothing away.
/// </summary>
public sealed class DeactivateAgencyPage(DirectoryApiClient directory) : AdministrationForm
{
    public DirectoryAgency? Agency { get; private set; }

    // The directory takes no field for a deactivation: its refusals show as the summary's title and explanation.
    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages => [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken)
    {
        var set = await directory.SetAgencyActiveAsync(code, false, cancellationToken);
        if (set.Problem is { } problem)
        {
            return await ShowRefusalAsync(problem, "deactivate", () => LoadAsync(code, cancellationToken));
        }

        return Redirect($"/admin/agencies/{Uri.EscapeDataString(code)}?agencyChange=deactivated");
    }

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var agency = await directory.AgencyAsync(code, cancellationToken);
        if (agency.Problem is { } problem)
        {
            return problem.PageResult("directory");
        }

        Agency = agency.Value;
        return null;
    }
}
