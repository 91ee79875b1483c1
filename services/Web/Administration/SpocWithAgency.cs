using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Administration;

/// <summary>A SPOC or deputy with their agency, read from the directory for the SPOC's pages (its problem as the page's result).</summary>
public sealed record SpocWithAgency(DirectorySpoc? Spoc, DirectoryAgency? Agency, IActionResult? Failed)
{
    public static async Task<SpocWithAgency> ReadAsync(DirectoryApiClient directory, Guid id, CancellationToken cancellationToken)
    {
        var spoc = await directory.SpocAsync(id, cancellationToken);
        if (spoc.Problem is { } problem)
        {
            return new(null, null, problem.PageResult("directory"));
        }

        var agency = await directory.AgencyAsync(spoc.Value!.AgencyCode, cancellationToken);
        return agency.Problem is { } agencyProblem
            ? new(spoc.Value, null, agencyProblem.PageResult("directory"))
            : new(spoc.Value, agency.Value, null);
    }
}
