using System.Globalization;
using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// One agency's SPOC, deputies and cover periods, from the SPOC directory; the form gives the agency a SPOC (rank 0)
/// or a deputy (rank 1 and up), and each person's page (<see cref="SpocPage"/>) changes, covers or retires them. The directory checks everything (a valid secure address, a free rank in the area) and
/// tells the meetings service on the bus, so the next invitation goes to whom this page shows.
/// </summary>
public sealed class AgencyPage(DirectoryApiClient directory, LondonTime time) : AdministrationForm
{
    public LondonTime Time { get; } = time;

    public DirectoryAgency? Agency { get; private set; }

    public IReadOnlyList<DirectorySpoc> Spocs { get; private set; } = [];

    /// <summary>Previous and next through the SPOCs, as the directory pages them (a busy agency's many areas).</summary>
    public Pagination SpocPages { get; private set; } = new(null, null, 1, "");

    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? SecureEmail { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Area { get; set; }
    [BindProperty] public string? Rank { get; set; }
    [BindProperty] public string? AgencyName { get; set; }
    [BindProperty] public string? AgencyKind { get; set; }

    /// <summary>Who was just added, changed or retired (after the redirect), for the confirmation banner.</summary>
    [BindProperty(SupportsGet = true)] public string? Added { get; set; }

    [BindProperty(SupportsGet = true)] public string? Changed { get; set; }

    [BindProperty(SupportsGet = true)] public string? Retired { get; set; }

    /// <summary>What was just done to the agency itself: registered (its name), or "changed", "deactivated", "reactivated".</summary>
    [BindProperty(SupportsGet = true)] public string? Registered { get; set; }

    [BindProperty(SupportsGet = true)] public string? AgencyChange { get; set; }

    public string? Done =>
        Registered is { Length: > 0 } ? $"{Registered} was registered. Add its SPOC below: it cannot be invited until it has one."
        : AgencyChange == "changed" ? "The agency's details were changed."
        : AgencyChange == "deactivated" ? $"{Agency?.Name} was deactivated: it is not suggested or invited to new meetings."
        : AgencyChange == "reactivated" ? $"{Agency?.Name} was reactivated: it can be invited to new meetings again."
        : Added is { Length: > 0 } ? $"{Added} was added. The next invitations go by the list below."
        : Changed is { Length: > 0 } ? $"{Changed}'s details were changed. The next invitations go by the list below."
        : Retired is { Length: > 0 } ? $"{Retired} was retired and receives no further invitations."
        : null;

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages => FailedForm == "agency"
        ?
        [
            ("name", "agencyName", "Enter the agency's name"),
            ("kind", "agencyKind", "Select the kind of agency"),
        ]
        :
    [
        ("fullName", "fullName", "Enter the full name"),
        ("secureEmail", "secureEmail", "Enter a secure e-mail address, like name@durham.police.example"),
        ("phone", "phone", "Enter a phone number with digits, spaces and + ( ) - only"),
        ("area", "area", "Enter an area of at most 100 characters, or leave it empty for every area"),
        ("rank", "rank", "Enter the rank as a whole number: 0 for the SPOC, 1 for the first deputy, and so on"),
    ];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await LoadAsync(code, cancellationToken) is { } failed)
        {
            return failed;
        }

        AgencyName = Agency!.Name;
        AgencyKind = Agency.Kind;
        return Page();
    }

    /// <summary>Renames the agency or changes its kind; the directory tells the meetings service on the bus.</summary>
    public async Task<IActionResult> OnPostChangeAsync(string code, CancellationToken cancellationToken)
    {
        var changed = await directory.ChangeAgencyAsync(code, new AgencyForm(null, AgencyName, AgencyKinds.Known(AgencyKind)), cancellationToken);
        return changed.Problem is { } problem
            ? await ShowAsync(code, problem, "agency", cancellationToken)
            : Redirect($"/admin/agencies/{Uri.EscapeDataString(code)}?agencyChange=changed");
    }

    /// <summary>Reactivating takes nothing away, so it is one press; deactivating is confirmed on DeactivateAgencyPage.</summary>
    public async Task<IActionResult> OnPostReactivateAsync(string code, CancellationToken cancellationToken)
    {
        var set = await directory.SetAgencyActiveAsync(code, true, cancellationToken);
        return set.Problem is { } problem
            ? await ShowAsync(code, problem, "active", cancellationToken)
            : Redirect($"/admin/agencies/{Uri.EscapeDataString(code)}?agencyChange=reactivated");
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

        return await LoadAsync(code, cancellationToken) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken)
    {
        int? rank = int.TryParse(Rank, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;
        var form = new SpocForm(FullName, SecureEmail, Phone, Area, rank);
        var assigned = await directory.AssignSpocAsync(code, form, cancellationToken);
        if (assigned.Problem is { } problem)
        {
            if (!string.IsNullOrWhiteSpace(Rank) && rank is null && !problem.Errors.ContainsKey("rank"))
            {
                Errors.Add(("rank", "Enter the rank as a whole number: 0 for the SPOC, 1 for the first deputy, and so on"));
            }

            if (!Show(problem, "spoc"))
            {
                return ApiProblemPages.Forbidden;
            }

            return await LoadForSpocErrorsAsync(code, cancellationToken);
        }

        return Redirect($"/admin/agencies/{Uri.EscapeDataString(code)}?added={Uri.EscapeDataString(assigned.Value!.FullName)}");
    }

    /// <summary>After the SPOC form's errors the agency's own form shows the agency as it is.</summary>
    private async Task<IActionResult> LoadForSpocErrorsAsync(string code, CancellationToken cancellationToken)
    {
        if (await LoadAsync(code, cancellationToken) is { } failed)
        {
            return failed;
        }

        AgencyName = Agency!.Name;
        AgencyKind = Agency.Kind;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var agency = await directory.AgencyAsync(code, cancellationToken);
        if (agency.Problem is { } problem)
        {
            return problem.PageResult("directory");
        }

        Agency = agency.Value;
        var page = PageTrail.From(Request);
        var spocs = await directory.SpocsAsync(code, page, cancellationToken);
        Spocs = spocs.Value?.Items ?? throw spocs.Problem!.Failure("directory");
        var path = $"/admin/agencies/{Uri.EscapeDataString(code)}";
        SpocPages = new Pagination(page.PreviousHref(path), page.NextHref(path, spocs.Value.NextCursor), page.Number, "Pages of the SPOC and deputies");
        return null;
    }

    public static string RoleOf(DirectorySpoc spoc) => spoc.Rank == 0 ? "SPOC" : $"Deputy {spoc.Rank}";
}
