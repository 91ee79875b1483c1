using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.TeamMeetings;

/// <summary>A team manager's meetings (from yesterday, 30 days), from the meetings API with the manager's token.</summary>
public sealed class TeamMeetingsPage(MeetingsApiClient meetings, LondonTime time, TimeProvider clock) : PageModel
{
    public LondonTime Time { get; } = time;

    public IReadOnlyList<MeetingListItem> Meetings { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    /// <summary>Previous and next, as the API pages the list.</summary>
    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    public string Team => User.TeamCode() ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var result = await meetings.TeamMeetingsAsync(clock.GetUtcNow().AddDays(-1), page, cancellationToken);
        Meetings = result.Value?.Items ?? [];
        Problem = result.Problem;
        Pages = new Pagination(page.PreviousHref("/team/meetings"), page.NextHref("/team/meetings", result.Value?.NextCursor), page.Number, "Pages of the team's meetings");
    }

    public static string StatusText(string status) => status switch
    {
        "Scheduled" => "Scheduled",
        "Cancelled" => "Cancelled",
        _ => status,
    };
}
