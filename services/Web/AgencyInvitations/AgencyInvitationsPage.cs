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

    public IReadOnlyList<AgencyInvitation> Invitations { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public string Agency => User.AgencyCode() ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await meetings.AgencyInvitationsAsync(clock.GetUtcNow().AddDays(-1), cancellationToken);
        Invitations = result.Value ?? [];
        Problem = result.Problem;
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
