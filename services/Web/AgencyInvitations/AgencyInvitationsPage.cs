using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.AgencyInvitations;

/// <summary>
/// A SPOC's agency's invitations (from yesterday on), from the meetings API with the SPOC's token: the API returns
/// the invitations of the agency in the token's <c>agency</c> claim only, so another agency's never reach this page.
/// </summary>
public sealed class AgencyInvitationsPage(MeetingsApiClient meetings, LondonTime time, TimeProvider clock) : PageModel
{
    public LondonTime Time { get; } = time;

    /// <summary>An answer can be given or changed until the meeting ends (the meetings service's rule); the link shows until then.</summary>
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public IReadOnlyList<AgencyInvitation> Invitations { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    /// <summary>Previous and next, as the API pages the list.</summary>
    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    public string Agency => User.AgencyCode() ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var result = await meetings.AgencyInvitationsAsync(clock.GetUtcNow().AddDays(-1), page, cancellationToken);
        Invitations = result.Value?.Items ?? [];
        Problem = result.Problem;
        Pages = new Pagination(page.PreviousHref("/agency/invitations"), page.NextHref("/agency/invitations", result.Value?.NextCursor), page.Number, "Pages of the agency's invitations");
    }

    public static string AnswerText(AgencyInvitation invitation) => invitation.Answer switch
    {
        null when invitation.MeetingStatus == "Cancelled" => "Meeting cancelled",
        null => "No answer yet",
        "AttendInPerson" => "In person",
        "AttendByDialIn" => "By dial-in",
        "ContributeInWriting" => "In writing",
        "Decline" => "Declined",
        _ => invitation.Answer,
    };
}
