using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Convening;

/// <summary>
/// After convening: the meeting as the meetings service keeps it. Who was invited and the rule (or the manager)
/// behind each, who was not and why (left out with a reason, or no SPOC to send to), and the national-minimum
/// requirements nothing covers, which are shown, never silent.
/// </summary>
public sealed class ConvenedPage(MeetingsApiClient meetings, LondonTime time) : PageModel
{
    public LondonTime Time { get; } = time;

    public Meeting? Meeting { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await meetings.MeetingAsync(id, cancellationToken);
        if (result.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Meeting = result.Value;
        return Page();
    }

    public static string SourceText(AgencyConsidered agency) => agency.Source switch
    {
        // The rules' reason for a national-minimum agency already says so ("National minimum: police").
        "Minimum" => agency.Reason.StartsWith("National minimum", StringComparison.OrdinalIgnoreCase) ? agency.Reason : "National minimum: " + agency.Reason,
        "AddedByManager" => "Added by you",
        _ => agency.Reason,
    };

    public static string LeftOutText(AgencyConsidered agency) =>
        (agency.RemovalReason is { } code ? ConvenePage.RemovalReasons.FirstOrDefault(r => r.Value == code).Label ?? code : "Left out")
        + (agency.RemovalReasonText is { Length: > 0 } text ? ": " + text : "");
}
