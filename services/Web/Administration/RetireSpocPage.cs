using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>
/// Retiring a SPOC or deputy, confirmed first: the GET says who it is and what will happen (no further invitations go
/// to them; the next in rank gets the agency's), the POST retires them with the reason the directory requires. No
/// script needed: the SPOC's page links here, and nothing changes until this form is sent.
/// </summary>
public sealed class RetireSpocPage(DirectoryApiClient directory) : AdministrationForm
{
    public DirectorySpoc? Spoc { get; private set; }

    public DirectoryAgency? Agency { get; private set; }

    [BindProperty] public string? RetireReason { get; set; }

    protected override IReadOnlyList<(string ApiName, string Id, string Message)> FieldMessages =>
        [("reason", "retireReason", "Enter why they no longer receive invitations (at most 200 characters)")];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var retired = await directory.RetireSpocAsync(id, RetireReason, cancellationToken);
        if (retired.Problem is { } problem)
        {
            return await ShowRefusalAsync(problem, "retire", () => LoadAsync(id, cancellationToken));
        }

        return Redirect($"/admin/agencies/{Uri.EscapeDataString(retired.Value!.AgencyCode)}?retired={Uri.EscapeDataString(retired.Value.FullName)}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var read = await SpocWithAgency.ReadAsync(directory, id, cancellationToken);
        (Spoc, Agency) = (read.Spoc, read.Agency);
        return read.Failed;
    }
}
