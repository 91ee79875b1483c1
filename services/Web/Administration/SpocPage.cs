using System.Globalization;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// One SPOC or deputy: change their details (name, contact, area, rank), add or remove the periods they are away (an
/// invitation in one goes to the next in rank), or go to retire them (RetireSpocPage confirms first). The directory checks everything and tells the meetings
/// service on the bus, so the next invitation goes by what this page shows.
/// </summary>
public sealed class SpocPage(DirectoryApiClient directory, LondonTime time) : AdministrationForm
{
    public LondonTime Time { get; } = time;

    public DirectorySpoc? Spoc { get; private set; }

    public DirectoryAgency? Agency { get; private set; }

    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? SecureEmail { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Area { get; set; }
    [BindProperty] public string? Rank { get; set; }
    [BindProperty] public string? CoverStartDate { get; set; }
    [BindProperty] public string? CoverStartTime { get; set; }
    [BindProperty] public string? CoverEndDate { get; set; }
    [BindProperty] public string? CoverEndTime { get; set; }
    [BindProperty] public string? CoverReason { get; set; }
    [BindProperty] public Guid CoverId { get; set; }

    /// <summary>What was just done to the cover periods (after the redirect): "added" or "removed".</summary>
    [BindProperty(SupportsGet = true)] public string? Cover { get; set; }

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages => FailedForm switch
    {
        "cover" =>
        [
            ("startsAt", "coverStartDate", "Enter when the period starts as a date and a time, like 24/12/2026 and 09:00"),
            ("endsAt", "coverEndDate", "Enter when the period ends as a date and a time after its start, like 2/1/2027 and 17:00"),
            ("reason", "coverReason", "Enter why they are away (at most 200 characters), like Annual leave"),
        ],
        _ =>
        [
            ("fullName", "fullName", "Enter the full name"),
            ("secureEmail", "secureEmail", "Enter a secure e-mail address, like name@durham.police.example"),
            ("phone", "phone", "Enter a phone number with digits, spaces and + ( ) - only"),
            ("area", "area", "Enter an area of at most 100 characters, or leave it empty for every area"),
            ("rank", "rank", "Enter the rank as a whole number: 0 for the SPOC, 1 for the first deputy, and so on"),
        ],
    };

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        ShowCurrentDetails();
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(Guid id, CancellationToken cancellationToken)
    {
        int? rank = int.TryParse(Rank, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;
        var changed = await directory.ChangeSpocAsync(id, new SpocForm(FullName, SecureEmail, Phone, Area, rank), cancellationToken);
        return changed.Problem is { } problem
            ? await ShowAsync(id, problem, "change", cancellationToken)
            : Redirect($"/admin/agencies/{Uri.EscapeDataString(changed.Value!.AgencyCode)}?changed={Uri.EscapeDataString(changed.Value.FullName)}");
    }

    public async Task<IActionResult> OnPostCoverAsync(Guid id, CancellationToken cancellationToken)
    {
        // A date or time that does not read as one goes as missing: the directory's "required" becomes this page's words.
        var form = new CoverForm(Time.FromTyped(CoverStartDate, CoverStartTime), Time.FromTyped(CoverEndDate, CoverEndTime), CoverReason);
        var added = await directory.AddCoverAsync(id, form, cancellationToken);
        return added.Problem is { } problem
            ? await ShowAsync(id, problem, "cover", cancellationToken)
            : Redirect($"/admin/spocs/{id}?cover=added");
    }

    public async Task<IActionResult> OnPostRemoveCoverAsync(Guid id, CancellationToken cancellationToken)
    {
        var removed = await directory.RemoveCoverAsync(id, CoverId, cancellationToken);
        return removed.Problem is { } problem
            ? await ShowAsync(id, problem, "cover", cancellationToken)
            : Redirect($"/admin/spocs/{id}?cover=removed");
    }

    private async Task<IActionResult> ShowAsync(Guid id, ApiProblem problem, string form, CancellationToken cancellationToken)
    {
        if (!Show(problem, form))
        {
            return ApiProblemPages.Forbidden;
        }

        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        if (form != "change")
        {
            ShowCurrentDetails();
        }

        return Page();
    }

    private void ShowCurrentDetails() =>
        (FullName, SecureEmail, Phone, Area, Rank) = (Spoc!.FullName, Spoc.SecureEmail, Spoc.Phone, Spoc.Area, Spoc.Rank.ToString(CultureInfo.InvariantCulture));

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var read = await SpocWithAgency.ReadAsync(directory, id, cancellationToken);
        (Spoc, Agency) = (read.Spoc, read.Agency);
        return read.Failed;
    }
}
