using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// The partnership's agencies, from the SPOC directory with the administrator's token; each opens its SPOCs. The form
/// registers a new agency (the directory checks the code's shape and that it is free).
/// </summary>
public sealed class AgenciesPage(DirectoryApiClient directory) : AdministrationForm
{
    public IReadOnlyList<DirectoryAgency> Agencies { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    /// <summary>Previous and next, as the API pages the list.</summary>
    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Kind { get; set; }

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages { get; } =
    [
        ("code", "code", "Enter a code of 2 to 32 capital letters, digits or hyphens, like DURHAM-POLICE"),
        ("name", "name", "Enter the agency's name"),
        ("kind", "kind", "Select the kind of agency"),
    ];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var registered = await directory.RegisterAgencyAsync(new AgencyForm(Code?.Trim(), Name, AgencyKinds.Known(Kind)), cancellationToken);
        if (registered.Problem is { } problem)
        {
            if (!Show(problem, "register"))
            {
                return ApiProblemPages.Forbidden;
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        var agency = registered.Value!;
        return Redirect($"/admin/agencies/{Uri.EscapeDataString(agency.Code)}?registered={Uri.EscapeDataString(agency.Name)}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var result = await directory.AgenciesAsync(page, cancellationToken);
        Agencies = result.Value?.Items ?? [];
        Problem = result.Problem;
        Pages = new Pagination(page.PreviousHref("/admin/agencies"), page.NextHref("/admin/agencies", result.Value?.NextCursor), page.Number, "Pages of the agencies");
    }
}
