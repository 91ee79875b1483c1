using System.Globalization;
using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Recording;

/// <summary>
/// The record of a held meeting, for the team's manager: before it is recorded, the form (times, chair, what happened
/// for each invited agency, the decision, section 47, the child's views, the reason for going ahead below the national
/// minimum, and the agreed actions); once recorded, the record, the circulation deadline and how long is left, and the
/// button that circulates it to every invited agency. The meetings service checks everything; its field errors show
/// at the fields.
/// </summary>
public sealed class RecordPage(MeetingsApiClient meetings, LondonTime time, TimeProvider clock) : PageModel
{
    public const int ActionRows = 3;

    /// <summary>The meetings service's limit on agreed actions (RecordRules.MaxActions): "Add another action" stops there.</summary>
    public const int MaxActions = 100;

    public static readonly IReadOnlyList<(string Value, string Label)> AttendanceModes =
    [
        ("AttendedInPerson", "Attended in person"), ("AttendedByDialIn", "Attended by dial-in"),
        ("WrittenContributionOnly", "Written contribution only"), ("Absent", "Absent"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label)> BelowMinimumReasons =
    [
        ("PartnerDidNotAttend", "A partner did not attend"), ("UrgencyCouldNotWait", "Too urgent to wait"),
        ("WrittenContributionInstead", "A written contribution instead"), ("NoSpocReachable", "No SPOC could be reached"), ("Other", "Another reason"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label)> ActionStatuses =
        [("Open", "Open"), ("InProgress", "In progress"), ("Completed", "Completed"), ("Cancelled", "Cancelled")];

    public static readonly IReadOnlyList<(string Value, string Label)> Investigations = [("SingleAgency", "Single agency"), ("JointWithPolice", "Joint with the police")];

    public LondonTime Time { get; } = time;

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public Board? Board { get; private set; }

    public MeetingRecord? Record { get; private set; }

    [BindProperty] public string? StartDate { get; set; }
    [BindProperty] public string? StartTime { get; set; }
    [BindProperty] public string? EndDate { get; set; }
    [BindProperty] public string? EndTime { get; set; }
    [BindProperty] public string? ChairName { get; set; }
    [BindProperty] public string? ChairAgencyCode { get; set; }
    [BindProperty] public Dictionary<string, string?> Attendance { get; set; } = [];

    /// <summary>The agencies recorded as absent that sent apologies (the record API's <c>withApologies</c>).</summary>
    [BindProperty] public List<string> Apologies { get; set; } = [];
    [BindProperty] public string? BelowMinimumReason { get; set; }
    [BindProperty] public string? BelowMinimumReasonText { get; set; }
    [BindProperty] public string? SectionFortySeven { get; set; }
    [BindProperty] public string? Investigation { get; set; }
    [BindProperty] public string? ImmediateSafetyActions { get; set; }
    [BindProperty] public string? FamilyTold { get; set; }
    [BindProperty] public string? ChildViews { get; set; }
    [BindProperty] public string? ChildViewsText { get; set; }
    [BindProperty] public List<ActionRow> Actions { get; set; } = [];
    [BindProperty] public string? AmendmentReason { get; set; }
    [BindProperty] public string? EndCorrectionReason { get; set; }

    /// <summary>The saved record is shown as the form again, to correct it before it is circulated (<c>?correct=true</c>, or a correction posted).</summary>
    public bool Correcting { get; private set; }

    /// <summary>Set after a correction was saved (from the redirect), for the success banner.</summary>
    [BindProperty(SupportsGet = true)] public bool Corrected { get; set; }

    /// <summary>The version just circulated by an amendment (from the redirect), for the success banner.</summary>
    [BindProperty(SupportsGet = true)] public int? Amended { get; set; }

    // The form row of each action sent, by the API's list index.
    private readonly List<int> actionRows = [];

    public List<(string Field, string Message)> Errors { get; } = [];

    public ApiProblem? Refusal { get; private set; }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public async Task<IActionResult> OnGetAsync(Guid id, bool correct, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        if (correct && Record is { Circulations.Count: 0 } saved)
        {
            Correcting = true;
            FillFrom(saved);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        var correcting = Record is not null;
        Correcting = Record is { Circulations.Count: 0 };
        var start = Typed("startDate", StartDate, StartTime, "the meeting's start");
        var end = Typed("endDate", EndDate, EndTime, "the meeting's end");
        if (Record is { } current)
        {
            // The form shows times to the minute: a time left as it was keeps the saved instant (a record sent by the API
            // may have seconds), so an unchanged end never counts as a correction of the end.
            start = SameMinute(start, current.ActualStart) ? current.ActualStart : start;
            end = SameMinute(end, current.ActualEnd) ? current.ActualEnd : end;
        }
        var invited = Board!.Agencies.Where(a => a.Invited).ToList();
        var form = new RecordForm(
            start, end, ChairName, Blank(ChairAgencyCode),
            invited.Select(a => new AttendanceForm(a.AgencyCode, Blank(Attendance.GetValueOrDefault(a.AgencyCode)), Apologies.Contains(a.AgencyCode, StringComparer.Ordinal))).ToList(),
            Blank(BelowMinimumReason), BelowMinimumReasonText,
            SectionFortySeven switch { "yes" => true, "no" => false, _ => null }, Blank(Investigation),
            ImmediateSafetyActions?.ReplaceLineEndings("\n"), FamilyTold?.ReplaceLineEndings("\n"), Blank(ChildViews), ChildViewsText?.ReplaceLineEndings("\n"),
            Blank(EndCorrectionReason));
        var actions = ActionsFromForm();
        var saved = await meetings.SaveRecordAsync(id, form, cancellationToken);
        if (saved.Succeeded && Errors.Count == 0)
        {
            var withActions = await meetings.SaveActionsAsync(id, actions, cancellationToken);
            if (withActions.Succeeded)
            {
                return correcting ? RedirectToPage(new { id, corrected = true }) : RedirectToPage(new { id });
            }

            return Problem(withActions.Problem!, "action");
        }

        return saved.Problem is { } problem ? Problem(problem, "record") : Page();
    }

    /// <summary>
    /// "Add another action" (a submit button, so it works without JavaScript): the form comes back as typed with one
    /// more empty action row, up to the meetings service's limit; nothing is saved. Used by the record form (new or
    /// being corrected) and the amendment form alike: which one shows follows from the record's state, as on a GET.
    /// </summary>
    public async Task<IActionResult> OnPostAddActionAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        Correcting = Record is { Circulations.Count: 0 };
        if (Actions.Count < MaxActions)
        {
            Actions.Add(new ActionRow());
        }

        // The rows are rendered from the bound values; nothing here is validated until the form is saved.
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostCirculateAsync(Guid id, CancellationToken cancellationToken)
    {
        var circulated = await meetings.CirculateAsync(id, cancellationToken);
        if (circulated.Succeeded)
        {
            return RedirectToPage(new { id });
        }

        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        return Problem(circulated.Problem!, "circulate");
    }

    /// <summary>
    /// Amends the circulated actions: the complete list as the form now has it and why, which the meetings service
    /// circulates at once as the next version (earlier versions stay as they were).
    /// </summary>
    public async Task<IActionResult> OnPostAmendAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }

        var actions = ActionsFromForm();
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var amended = await meetings.AmendAsync(id, AmendmentReason?.ReplaceLineEndings("\n"), actions, cancellationToken);
        if (amended.Succeeded)
        {
            return RedirectToPage(new { id, amended = amended.Value!.Version });
        }

        return Problem(amended.Problem!, "amend");
    }

    /// <summary>How long is left to circulate, in words ("5 hours 20 minutes"), or how late it is.</summary>
    public string Countdown(DateTimeOffset deadline)
    {
        var left = deadline - Now;
        var span = left.Duration();
        var words = span.TotalHours >= 1 ? $"{(int)span.TotalHours} hours {span.Minutes} minutes" : $"{Math.Max(1, span.Minutes)} minutes";
        return left >= TimeSpan.Zero ? words + " left" : words + " overdue";
    }

    public static string DeliveryText(CirculationRecipient recipient) => recipient.Delivery switch
    {
        _ when recipient.NoRecipientLeft => "no SPOC left to send to",
        "Pending" => "sending",
        "Delivered" => "delivered",
        "Failed" => "not delivered",
        "NoRecipient" => "no SPOC to send to",
        _ => recipient.Delivery,
    };

    private IActionResult Problem(ApiProblem problem, string what)
    {
        if (problem.Status == HttpStatusCode.Forbidden)
        {
            return ApiProblemPages.Forbidden;
        }

        if ((int)problem.Status >= 500)
        {
            throw problem.Failure($"meetings API ({what})");
        }

        if (problem.Errors.Count == 0)
        {
            Refusal = problem;
        }

        var invited = Board!.Agencies.Where(a => a.Invited).ToList();
        foreach (var (key, messages) in problem.Errors)
        {
            var field = key switch
            {
                "actualStart" => "startDate",
                "actualEnd" => "endDate",
                "endCorrectionReason" => Record?.CirculationDeadlineFixedAt is null ? "endDate" : "endCorrectionReason",
                "sectionFortySevenEnquiry" => "sectionFortySeven",
                _ when key.StartsWith("attendance[", StringComparison.Ordinal) && int.TryParse(key.AsSpan(11, key.IndexOf(']', StringComparison.Ordinal) - 11), out var i) && i < invited.Count
                    => "attendance-" + invited[i].AgencyCode,
                _ when key.StartsWith("actions[", StringComparison.Ordinal) && int.TryParse(key.AsSpan(8, key.IndexOf(']', StringComparison.Ordinal) - 8), out var i)
                    => $"action-{(i < actionRows.Count ? actionRows[i] : i)}-" + (key.EndsWith(".dueDate", StringComparison.Ordinal) ? "due" : key.EndsWith(".ownerAgencyCode", StringComparison.Ordinal) ? "owner" : "description"),
                "reason" => "amendmentReason",
                "attendance" => "attendance-" + (invited.FirstOrDefault()?.AgencyCode ?? ""),
                "actions" => "action-0-description",
                _ => key,
            };
            if (Errors.All(e => e.Field != field))
            {
                // The amendment's reason in the page's words; other messages are the service's own.
                Errors.Add((field, key == "reason" && string.IsNullOrWhiteSpace(AmendmentReason) ? "Enter why the agreed actions are changing" : messages.FirstOrDefault() ?? key));
            }
        }

        Response.StatusCode = Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var board = await meetings.BoardAsync(id, cancellationToken);
        if (board.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Board = board.Value;
        var record = await meetings.RecordAsync(id, cancellationToken);
        if (record.Problem is { Status: not HttpStatusCode.NotFound } failed)
        {
            throw failed.Failure("meetings API (record)");
        }

        Record = record.Value;
        // The amendment form starts from the actions as last circulated (a post brings its own rows), with room to add.
        if (Record is { Circulations.Count: > 0 } && Actions.Count == 0)
        {
            Actions.AddRange(Record.Actions.Select(a => new ActionRow
            {
                Description = a.Description, Owner = a.OwnerAgencyCode, DueDate = a.DueDate.ToString("d/M/yyyy", CultureInfo.InvariantCulture), Status = a.Status,
            }));
            Actions.AddRange(Enumerable.Range(0, 2).Select(_ => new ActionRow()));
        }

        while (Actions.Count < ActionRows)
        {
            Actions.Add(new ActionRow());
        }

        return null;
    }

    /// <summary>The form's fields from the saved record, in the form's own terms (UK dates and times as typed).</summary>
    private void FillFrom(MeetingRecord saved)
    {
        var start = Time.Local(saved.ActualStart);
        var end = Time.Local(saved.ActualEnd);
        (StartDate, StartTime) = (start.ToString("d/M/yyyy", CultureInfo.InvariantCulture), start.ToString("HH:mm", CultureInfo.InvariantCulture));
        (EndDate, EndTime) = (end.ToString("d/M/yyyy", CultureInfo.InvariantCulture), end.ToString("HH:mm", CultureInfo.InvariantCulture));
        ChairName = saved.ChairName;
        ChairAgencyCode = saved.ChairAgencyCode;
        Attendance = saved.Attendance.ToDictionary(a => a.AgencyCode, a => (string?)a.Mode);
        Apologies = saved.Attendance.Where(a => a.WithApologies).Select(a => a.AgencyCode).ToList();
        BelowMinimumReason = saved.BelowMinimumReason;
        BelowMinimumReasonText = saved.BelowMinimumReasonText;
        SectionFortySeven = saved.SectionFortySevenEnquiry ? "yes" : "no";
        Investigation = saved.Investigation;
        ImmediateSafetyActions = saved.ImmediateSafetyActions;
        FamilyTold = saved.FamilyTold;
        ChildViews = saved.ChildViews;
        ChildViewsText = saved.ChildViewsText;
        Actions = saved.Actions.Select(a => new ActionRow { Description = a.Description, Owner = a.OwnerAgencyCode, DueDate = a.DueDate.ToString("d/M/yyyy", CultureInfo.InvariantCulture) }).ToList();
        while (Actions.Count < ActionRows)
        {
            Actions.Add(new ActionRow());
        }
    }

    /// <summary>
    /// The agreed actions as the form has them, empty rows left out; a due date that does not read as one is an error at
    /// its field. Remembers which form row each action came from, so the service's errors (by list index) land on it.
    /// </summary>
    private List<ActionForm> ActionsFromForm()
    {
        var actions = new List<ActionForm>();
        actionRows.Clear();
        for (var i = 0; i < Actions.Count; i++)
        {
            var row = Actions[i];
            if (string.IsNullOrWhiteSpace(row.Description) && string.IsNullOrWhiteSpace(row.Owner) && string.IsNullOrWhiteSpace(row.DueDate))
            {
                continue;
            }

            DateOnly? due = DateOnly.TryParseExact(row.DueDate?.Trim(), ["d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            if (due is null)
            {
                Errors.Add(($"action-{i}-due", $"Enter action {i + 1}'s due date like 17/12/2026"));
            }

            actionRows.Add(i);
            actions.Add(new ActionForm(row.Description, Blank(row.Owner), due, Blank(row.Status) ?? "Open"));
        }

        return actions;
    }

    private DateTimeOffset? Typed(string field, string? date, string? clockTime, string what)
    {
        if (string.IsNullOrWhiteSpace(date) && string.IsNullOrWhiteSpace(clockTime))
        {
            return null;
        }

        var at = Time.FromTyped(date, clockTime);
        if (at is null)
        {
            Errors.Add((field, $"Enter the date and time of {what} as a date like 3/12/2026 and a time like 14:30"));
        }

        return at;
    }

    private static bool SameMinute(DateTimeOffset? typed, DateTimeOffset saved) =>
        typed is { } at && at.UtcTicks == saved.UtcTicks - (saved.UtcTicks % TimeSpan.TicksPerMinute);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One agreed action on the form: what, which agency owns it, by when.</summary>
public sealed class ActionRow
{
    public string? Description { get; set; }
    public string? Owner { get; set; }
    public string? DueDate { get; set; }

    /// <summary>Open, in progress, completed or cancelled (the amendment form asks; a new record's actions are open).</summary>
    public string? Status { get; set; }
}
