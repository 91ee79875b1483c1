using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.TeamNotices;

/// <summary>
/// A team manager's notices (circulation warnings and overdue notices, no recipient left, below the national minimum,
/// record due), newest first, from the notifications service with the manager's token: it lists the token's team's
/// notices only. Each links to its meeting.
/// </summary>
public sealed class TeamNoticesPage(NotificationsApiClient notifications, LondonTime time) : PageModel
{
    public LondonTime Time { get; } = time;

    public IReadOnlyList<TeamNotice> Notices { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    public string Team => User.TeamCode() ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var result = await notifications.ManagerNoticesAsync(page, cancellationToken);
        Notices = result.Value?.Items ?? [];
        Problem = result.Problem;
        Pages = new Pagination(page.PreviousHref("/team/notices"), page.NextHref("/team/notices", result.Value?.NextCursor), page.Number, "Pages of the team's notices");
    }

    public static string What(TeamNotice notice) => notice.Kind switch
    {
        "circulation-warning" => "Agreed actions not yet circulated",
        "circulation-overdue" => "Agreed actions overdue",
        "no-recipient-left" => $"No recipient left at {notice.AgencyCode}",
        "below-minimum-at-convening" => "Convened below the national minimum",
        "record-due" => "Meeting not recorded",
        _ => notice.Kind,
    };

    public static string Delivery(TeamNotice notice) =>
        notice.Failed > 0
            ? $"{notice.Failed} of {notice.Recipients} failed"
            : $"Sent to {notice.Sent} of {notice.Recipients}";
}
