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

    public string Team => User.TeamCode() ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await meetings.TeamMeetingsAsync(clock.GetUtcNow().AddDays(-1), cancellationToken);
        Meetings = result.Value ?? [];
        Problem = result.Problem;
    }

    public static string StatusText(string status) => status switch
    {
        "Scheduled" => "Scheduled",
        "Cancelled" => "Cancelled",
        _ => status,
    };
}
