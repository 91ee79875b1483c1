using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.TeamMeetings;

/// <summary>
/// One meeting's response board: per agency the recipient, delivery and the answer, with a written contribution
/// in full. Read from the meetings API, which also decides whether this manager may see it (its team only).
/// Live without a reload: the page's script hears "changed" from LiveBoard/BoardChangesEndpoint and reads this page again.
/// </summary>
public sealed class MeetingBoardPage(MeetingsApiClient meetings, LondonTime time) : PageModel
{
    public LondonTime Time { get; } = time;

    public Board? Board { get; private set; }

    /// <summary>What was just done to the meeting (after the redirect): "rescheduled" or "cancelled".</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public string? DoneText => Done switch
    {
        "rescheduled" => $"{Board!.Reference} was rescheduled. Every invited agency is sent the new time and asked to answer again.",
        "cancelled" => $"{Board!.Reference} was cancelled. Every invited agency is told.",
        _ => null,
    };

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await meetings.BoardAsync(id, cancellationToken);
        if (result.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Board = result.Value;
        return Page();
    }

    public static string AnswerText(BoardRow row) => row.Answer switch
    {
        null => row.Status == "Superseded" ? "Passed on" : "No answer yet",
        "AttendInPerson" => "In person",
        "AttendByDialIn" => "By dial-in",
        "ContributeInWriting" => "In writing",
        "Decline" => "Declined" + (row.DeclineReason is null ? "" : ": " + Answering.AnswerPage.DeclineReasonLabels.GetValueOrDefault(row.DeclineReason, row.DeclineReason)),
        _ => row.Answer,
    };

    public static string DeliveryText(BoardRow row) => row.DeliveryState switch
    {
        null => "Not sent",
        "Delivered" => "Delivered",
        "Failed" => "Not delivered" + (row.DeliveryFailure is null ? "" : ": " + row.DeliveryFailure),
        "Pending" => "Sending",
        _ => row.DeliveryState,
    };
}
