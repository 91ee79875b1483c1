using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.TeamMeetings;

/// <summary>
/// A manager's form that changes one meeting (reschedule, cancel): the meeting shown beside the form, read through
/// the meetings API with the user's token (its refusal is the page's), and the one way such a post ends.
/// </summary>
public abstract class MeetingChangeForm(MeetingsApiClient meetings) : MeetingForm
{
    public Meeting? Meeting { get; private set; }

    protected MeetingsApiClient Meetings { get; } = meetings;

    /// <summary>Back on the meeting with the banner on success; the service's errors on this page; its refusal as the status page.</summary>
    protected async Task<IActionResult> AfterPostAsync(Guid id, ApiResult<Meeting> result, string done, CancellationToken cancellationToken)
    {
        if (result.Succeeded)
        {
            return Redirect($"/team/meetings/{id}?done={done}");
        }

        if (!Show(result.Problem!))
        {
            return ApiProblemPages.Forbidden;
        }

        return await LoadAsync(id, cancellationToken) ?? Page();
    }

    /// <summary>Reads the meeting; null when it was read, else the page answering the API's refusal.</summary>
    protected async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var meeting = await Meetings.MeetingAsync(id, cancellationToken);
        if (meeting.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Meeting = meeting.Value;
        return null;
    }
}
