using System.Globalization;
using Jtai.Strategy.Web.Apis;
using Jtai.Strategy.Web.Convening;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.TeamMeetings;

/// <summary>
/// Reschedule a meeting (its team's manager): the new start as UK time, the length, why, and a delay's reason when the
/// new start is later than the convening limit after the decision. The meetings service decides (a free bridge, the
/// limits, not held, not cancelled) and asks every invitee again; success returns to the meeting with a banner.
/// </summary>
public sealed class ReschedulePage(MeetingsApiClient meetings, LondonTime time) : MeetingChangeForm(meetings)
{
    public static readonly IReadOnlyList<(string Value, string Label)> Reasons =
    [
        ("PartnerAvailability", "Partners' availability"), ("NewInformation", "New information"),
        ("BridgeUnavailable", "The dial-in bridge is not available"), ("Other", "Another reason"),
    ];

    public LondonTime Time { get; } = time;

    [BindProperty] public string? StartDate { get; set; }
    [BindProperty] public string? StartTime { get; set; }
    [BindProperty] public string? LengthMinutes { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ReasonText { get; set; }
    [BindProperty] public string? DelayReason { get; set; }
    [BindProperty] public string? DelayReasonText { get; set; }

    protected override IReadOnlyList<(string Id, string ApiName, string Missing)> Fields =>
    [
        ("startDate", "scheduledStart", "Enter the new date and time of the meeting"),
        ("lengthMinutes", "lengthMinutes", "Enter the meeting's length in minutes"),
        ("reason", "reason", "Select why the meeting is rescheduled"),
        ("reasonText", "reasonText", "Enter why the meeting is rescheduled"),
        ("delayReason", "delayReason", "Select the reason for the delay"),
        ("delayReasonText", "delayReasonText", "Enter the reason for the delay"),
    ];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        LengthMinutes = ((int)(Meeting!.ScheduledEnd - Meeting.ScheduledStart).TotalMinutes).ToString(CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var start = Typed(Time, "startDate", StartDate, StartTime, "the new date and time of the meeting");
        int? length = int.TryParse(LengthMinutes, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? minutes : null;
        if (length is null && !string.IsNullOrWhiteSpace(LengthMinutes))
        {
            Errors.Add(("lengthMinutes", "Enter the meeting's length as a whole number of minutes, like 60"));
        }

        // Everything else is the meetings service's to check: it is asked even when a field did not read, so every error shows at once.
        var form = new RescheduleForm(start, length, Blank(Reason), Blank(ReasonText), Blank(DelayReason), Blank(DelayReasonText));
        return await AfterPostAsync(id, await Meetings.RescheduleAsync(id, form, cancellationToken), "rescheduled", cancellationToken);
    }

    public static IReadOnlyList<(string Value, string Label)> DelayReasons => ConvenePage.DelayReasons;
}
