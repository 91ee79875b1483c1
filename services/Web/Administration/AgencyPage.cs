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

    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? SecureEmail { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Area { get; set; }
    [BindProperty] public string? Rank { get; set; }

    /// <summary>Who was just added, changed or retired (after the redirect), for the confirmation banner.</summary>
    [BindProperty(SupportsGet = true)] public string? Added { get; set; }

    [BindProperty(SupportsGet = true)] public string? Changed { get; set; }

    [BindProperty(SupportsGet = true)] public string? Retired { get; set; }

    public string? Done =>
        Added is { Length: > 0 } ? $"{Added} was added. The next invitations go by the list below."
        : Changed is { Length: > 0 } ? $"{Changed}'s details were changed. The next invitations go by the list below."
        : Retired is { Length: > 0 } ? $"{Retired} was retired and receives no further invitations."
        : null;

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages { get; } =
    [
        ("fullName", "fullName", "Enter the full name"),
        ("secureEmail", "secureEmail", "Enter a secure e-mail address, like name@durham.police.example"),
        ("phone", "phone", "Enter a phone number with digits, spaces and + ( ) - only"),
        ("area", "area", "Enter an area of at most 100 characters, or leave it empty for every area"),
        ("rank", "rank", "Enter the rank as a whole number: 0 for the SPOC, 1 for the first deputy, and so on"),
    ];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ?? Page();

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

            return await LoadAsync(code, cancellationToken) ?? Page();
        }

        return Redirect($"/admin/agencies/{Uri.EscapeDataString(code)}?added={Uri.EscapeDataString(assigned.Value!.FullName)}");
    }

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var agency = await directory.AgencyAsync(code, cancellationToken);
        if (agency.Problem is { } problem)
        {
            return problem.PageResult("directory");
        }

        Agency = agency.Value;
        var spocs = await directory.SpocsAsync(code, cancellationToken);
        Spocs = spocs.Value ?? throw spocs.Problem!.Failure("directory");
        return null;
    }

    public static string RoleOf(DirectorySpoc spoc) => spoc.Rank == 0 ? "SPOC" : $"Deputy {spoc.Rank}";
}
