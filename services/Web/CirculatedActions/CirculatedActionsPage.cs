using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.CirculatedActions;

/// <summary>
/// The records circulated to a SPOC's agency (meetings that ended in the last 90 days), latest circulation first, from
/// the meetings API with the SPOC's token: it lists the records of meetings the token's agency was invited to only.
/// </summary>
public sealed class CirculatedActionsPage(MeetingsApiClient meetings, LondonTime time) : PageModel
{
    public const string Path = "/agency/circulated-actions";

    public LondonTime Time { get; } = time;

    public IReadOnlyList<CirculatedListItem> Records { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    public string Agency => User.AgencyCode() ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var result = await meetings.CirculatedRecordsAsync(page, cancellationToken);
        Records = result.Value?.Items ?? [];
        Problem = result.Problem;
        Pages = new Pagination(page.PreviousHref(Path), page.NextHref(Path, result.Value?.NextCursor), page.Number, "Pages of the circulated actions");
    }
}
