using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.TeamMeetings;

/// <summary>
/// Cancel a meeting (its team's manager), with the reason the meetings service requires; it withdraws every standing
/// invitation and each invited agency is told. A held (recorded) or already cancelled meeting is refused by the service.
/// </summary>
public sealed class CancelPage(MeetingsApiClient meetings, LondonTime time) : MeetingChangeForm(meetings)
{
    public static readonly IReadOnlyList<(string Value, string Label)> Reasons =
    [
        ("ThresholdNoLongerMet", "The threshold is no longer met"), ("DuplicateMeeting", "It duplicates another meeting"),
        ("EnteredInError", "Convened in error"), ("ChildProtectionConferenceInstead", "A child protection conference instead"), ("Other", "Another reason"),
    ];

    public LondonTime Time { get; } = time;

    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ReasonText { get; set; }

    protected override IReadOnlyList<(string Id, string ApiName, string Missing)> Fields =>
    [
        ("reason", "reason", "Select why the meeting is cancelled"),
        ("reasonText", "reasonText", "Enter why the meeting is cancelled"),
    ];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken) =>
        await AfterPostAsync(id, await Meetings.CancelAsync(id, new CancelForm(Blank(Reason), Blank(ReasonText)), cancellationToken), "cancelled", cancellationToken);
}
