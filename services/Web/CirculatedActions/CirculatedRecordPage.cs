using System.Net;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.CirculatedActions;

/// <summary>
/// One circulated record as an invited agency's SPOC reads it: the meeting, the agreed actions of one version (the
/// current one unless another is asked for, <c>?version=n</c>), what that version changed from the one before and
/// why, and every version. The meetings API decides who may read it: the SPOC of an agency that was not invited gets
/// its 403, a meeting not circulated (or no such version) its 404, each as the status page.
/// </summary>
public sealed class CirculatedRecordPage(MeetingsApiClient meetings, LondonTime time) : PageModel
{
    public LondonTime Time { get; } = time;

    public CirculatedRecord Record { get; private set; } = null!;

    /// <summary>What the shown version changed from the one before (empty for version 1).</summary>
    public IReadOnlyList<ActionChange> Changes { get; private set; } = [];

    public int CurrentVersion => Record.Versions.Count == 0 ? Record.Version : Record.Versions.Max(v => v.Version);

    public string Agency => User.AgencyCode() ?? "";

    public async Task<IActionResult> OnGetAsync(Guid id, int? version, CancellationToken cancellationToken)
    {
        var shown = await meetings.CirculatedRecordAsync(id, version, cancellationToken);
        if (shown.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Record = shown.Value!;
        if (Record.Version > 1)
        {
            var before = await meetings.CirculatedRecordAsync(id, Record.Version - 1, cancellationToken);
            if (before.Problem is { } failed)
            {
                return failed.PageResult("meetings API");
            }

            Changes = ActionChanges.Between(before.Value!.Actions, Record.Actions);
        }

        return Page();
    }

    public bool IsOwn(RecordedAction action) => string.Equals(action.OwnerAgencyCode, Agency, StringComparison.OrdinalIgnoreCase);

    public string AgencyName(string code) => Record.Attendance.FirstOrDefault(a => a.AgencyCode == code)?.AgencyName ?? code;

}
