using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.TeamMeetings;

/// <summary>
/// One meeting's response board: per agency the recipient (and who had the invitation before: deputy escalations),
/// delivery (when delivered, when reminded) and the answer, with a written contribution in full. Read from the meetings API, which also decides whether this manager may see it (its team only).
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

    /// <summary>Why the current recipient has it, when not as the agency's first SPOC: the manager sees a hand-over at a glance.</summary>
    public static string? RoleText(string? role) => role switch
    {
        "DeputyAfterEscalation" => "Deputy: the SPOC before did not answer in time or could not be reached",
        "DeputyCoveringAbsence" => "Deputy: the SPOC is on cover",
        _ => null,
    };

    /// <summary>What became of an earlier recipient's invitation, in the manager's words.</summary>
    public static string PassedOnText(PreviousRecipient previous) => previous.SupersededReason switch
    {
        "NoAnswer" => "no answer in time, passed to the next SPOC",
        "DeliveryFailed" => "the e-mail could not be delivered, passed to the next SPOC",
        "Rescheduled" => "replaced when the meeting was rescheduled",
        "Cancelled" => "the meeting was cancelled",
        null => "replaced",
        _ => previous.SupersededReason,
    };

    /// <summary>When the invitation was delivered (or failed), for the delivery column and (mid-sentence, lower case) the earlier recipients.</summary>
    public string DeliveredWhen(string deliveryState, DateTimeOffset? at, bool midSentence = false)
    {
        var text = (deliveryState, at) switch
        {
            ("Delivered", { } when) => "Delivered " + Time.ShortDateAndTime(when),
            ("Failed", { } when) => "Not delivered (" + Time.ShortDateAndTime(when) + ")",
            ("Delivered", null) => "Delivered",
            ("Failed", null) => "Not delivered",
            _ => "Not delivered yet",
        };
        return midSentence ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}
