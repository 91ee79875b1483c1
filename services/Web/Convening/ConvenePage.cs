using System.Net;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Convening;

/// <summary>
/// Convening a strategy meeting, for a team manager: the case's coded facts, the decision, the time; then the
/// agencies the suggestion rules name (each with its rule, the national minimum marked), which the manager may
/// leave out with a reason or add to. The meetings service decides everything (validation, rules, the bridge): this
/// page posts the form to it and shows its field errors next to the fields, and a refusal (no free bridge) as it
/// explains it. Without JavaScript: "Show suggested invitees" is a second submit button on the same form.
/// </summary>
public sealed class ConvenePage(MeetingsApiClient meetings, LondonTime time) : PageModel
{
    public static readonly IReadOnlyList<(string Value, string Label)> ConcernCategories =
    [
        ("DomesticAbuse", "Domestic abuse"), ("PhysicalAbuse", "Physical abuse"), ("SexualAbuse", "Sexual abuse"),
        ("EmotionalAbuse", "Emotional abuse"), ("Neglect", "Neglect"), ("Exploitation", "Exploitation"), ("Other", "Other"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label)> ThresholdReasons =
    [
        ("InjuryOrHarmObserved", "Injury or harm observed"), ("DisclosureByChild", "Disclosure by the child"),
        ("RepeatIncidentsCumulativeRisk", "Repeat incidents: cumulative risk"), ("RiskToUnbornChild", "Risk to an unborn child"),
        ("ParentalCapacityToProtect", "Parents' capacity to protect"), ("ExploitationRisk", "Risk of exploitation"), ("Other", "Other"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label)> AgeBands =
    [
        ("Unborn", "Unborn"), ("UnderFive", "Under 5"), ("FiveToTen", "5 to 10"), ("ElevenToFifteen", "11 to 15"), ("SixteenToSeventeen", "16 or 17"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label)> DelayReasons =
    [
        ("PartnerAvailability", "Partners' availability"), ("AwaitingInformation", "Awaiting information"),
        ("WeekendOrBankHoliday", "Weekend or bank holiday"), ("FamilyCircumstances", "The family's circumstances"), ("Other", "Other"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label)> RemovalReasons =
    [
        ("NoInvolvementWithFamily", "No involvement with the family"), ("InformationAlreadyShared", "Information already shared"),
        ("RepresentedByAnotherAgency", "Represented by another agency"), ("Other", "Another reason"),
    ];

    /// <summary>The form's fields in page order: their ids, and the meetings API's names for them (its error keys).</summary>
    public static readonly IReadOnlyList<(string Id, string ApiName)> Fields =
    [
        ("caseReference", "caseReference"), ("concernCategory", "concernCategory"), ("incidentDate", "incidentAt"),
        ("decisionDate", "decisionAt"), ("thresholdReason", "thresholdReason"), ("thresholdReasonText", "thresholdReasonText"),
        ("startDate", "scheduledStart"), ("lengthMinutes", "lengthMinutes"), ("delayReason", "delayReason"),
        ("delayReasonText", "delayReasonText"), ("ageBand", "caseFacts.ageBand"), ("referrerAgencyCode", "caseFacts.referrerAgencyCode"),
        ("addAgencies", "addAgencies"),
    ];

    [BindProperty] public string? CaseReference { get; set; }
    [BindProperty] public string? ConcernCategory { get; set; }
    [BindProperty] public string? IncidentDate { get; set; }
    [BindProperty] public string? IncidentTime { get; set; }
    [BindProperty] public string? DecisionDate { get; set; }
    [BindProperty] public string? DecisionTime { get; set; }
    [BindProperty] public string? ThresholdReason { get; set; }
    [BindProperty] public string? ThresholdReasonText { get; set; }
    [BindProperty] public string? StartDate { get; set; }
    [BindProperty] public string? StartTime { get; set; }
    [BindProperty] public int? LengthMinutes { get; set; } = 60;
    [BindProperty] public string? DelayReason { get; set; }
    [BindProperty] public string? DelayReasonText { get; set; }
    [BindProperty] public string? AgeBand { get; set; }
    [BindProperty] public bool UnbornChild { get; set; }
    [BindProperty] public bool AdultKnownToProbation { get; set; }
    [BindProperty] public bool KnownToYos { get; set; }
    [BindProperty] public string? ReferrerAgencyCode { get; set; }

    /// <summary>Agency codes to invite beyond the suggestions, separated by commas or spaces.</summary>
    [BindProperty] public string? AddAgencies { get; set; }

    /// <summary>The suggested agencies as last shown, with the manager's choice for each.</summary>
    [BindProperty] public List<InviteeChoice> Choices { get; set; } = [];

    public List<(string Field, string Message)> Errors { get; } = [];

    /// <summary>A refusal that is not about one field (no free dial-in bridge, team not registered), in the service's words.</summary>
    public ApiProblem? Refusal { get; private set; }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    public void OnGet()
    {
    }

    /// <summary>"Show suggested invitees": asks the rules for the case facts as they are on the form.</summary>
    public async Task<IActionResult> OnPostSuggestAsync(CancellationToken cancellationToken)
    {
        var result = await meetings.SuggestAsync(Facts(), cancellationToken);
        if (result.Succeeded)
        {
            // Keep the manager's choices for agencies still suggested; new suggestions start as invited.
            var before = Choices.ToDictionary(c => c.AgencyCode, StringComparer.OrdinalIgnoreCase);
            Choices = result.Value!.Select(s => before.TryGetValue(s.AgencyCode, out var was)
                ? was with { AgencyName = s.AgencyName, Reason = s.Reason, Minimum = s.Minimum }
                : new InviteeChoice { AgencyCode = s.AgencyCode, AgencyName = s.AgencyName, Reason = s.Reason, Minimum = s.Minimum, Invite = true }).ToList();
            ModelState.Clear();
            return Page();
        }

        return Refused(result.Problem!);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var incidentAt = Typed("incidentDate", IncidentDate, IncidentTime, "the incident", required: true);
        var decisionAt = Typed("decisionDate", DecisionDate, DecisionTime, "the decision to convene", required: true);
        var start = Typed("startDate", StartDate, StartTime, "the meeting", required: true);
        // The dates and times are read here (UK time); the rest is the meetings service's to check, so it is asked
        // even when a date did not read, and every error shows at once.
        var form = new ConveneForm(
            CaseReference, Blank(ConcernCategory), incidentAt, decisionAt, Blank(ThresholdReason), ThresholdReasonText?.ReplaceLineEndings("\n"),
            start, LengthMinutes, Blank(DelayReason), DelayReasonText, Facts(),
            (AddAgencies ?? "").Split([',', ' ', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToUpperInvariant()).ToList(),
            Choices.Where(c => !c.Invite).Select(c => new RemovalForm(c.AgencyCode, Blank(c.RemovalReason), c.RemovalReasonText)).ToList());
        var result = await meetings.ConveneAsync(form, cancellationToken);
        if (result.Succeeded)
        {
            return RedirectToPage("/Convening/Convened", new { id = result.Value!.Id });
        }

        return Refused(result.Problem!);
    }

    private IActionResult Refused(ApiProblem problem)
    {
        if (problem.Status == HttpStatusCode.Forbidden)
        {
            return ApiProblemPages.Forbidden;
        }

        if (problem.Errors.Count == 0 && Errors.Count == 0)
        {
            if ((int)problem.Status >= 500)
            {
                throw problem.Failure("meetings API");
            }

            Refusal = problem;
        }

        foreach (var (key, messages) in problem.Errors)
        {
            // A date this page could not read went as null: its own message says more than "required".
            if (Errors.All(e => e.Field != FieldOf(key)))
            {
                Errors.Add((FieldOf(key), Friendly(key, messages.FirstOrDefault() ?? key)));
            }
        }

        // The summary lists the errors in the order of the form.
        var order = Fields.Select(f => f.Id).Concat(Choices.Select(c => c.ReasonId)).ToList();
        Errors.Sort((a, b) => Rank(a.Field).CompareTo(Rank(b.Field)));
        Response.StatusCode = Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        return Page();

        int Rank(string field) => order.IndexOf(field) is var i and >= 0 ? i : int.MaxValue;
    }

    /// <summary>The form field an API error key belongs to (a removal's errors go to that agency's reason).</summary>
    private string FieldOf(string key)
    {
        if (key.StartsWith("removeAgencies[", StringComparison.Ordinal) && int.TryParse(key.AsSpan(15, key.IndexOf(']', StringComparison.Ordinal) - 15), out var index))
        {
            var removed = Choices.Where(c => !c.Invite).ElementAtOrDefault(index);
            return removed?.ReasonId ?? "addAgencies";
        }

        if (key.StartsWith("addAgencies", StringComparison.Ordinal))
        {
            return "addAgencies";
        }

        return key == "caseFacts" ? "ageBand" : Fields.FirstOrDefault(f => f.ApiName == key).Id ?? "caseReference";
    }

    /// <summary>GOV.UK wording ("Enter…", "Select…") for a missing answer; the service's own message otherwise.</summary>
    private static string Friendly(string key, string message)
    {
        if (!message.Contains("is required", StringComparison.Ordinal))
        {
            return message;
        }

        return key switch
        {
            "caseReference" => "Enter the case reference",
            "concernCategory" => "Select the category of concern",
            "thresholdReason" => "Select why the threshold for a strategy meeting is met",
            "thresholdReasonText" => "Enter why the threshold is met",
            "lengthMinutes" => "Enter the meeting's length in minutes",
            "caseFacts" or "caseFacts.ageBand" => "Select the child's age",
            "delayReasonText" => "Enter the reason for the delay",
            _ when key.EndsWith(".reasonText", StringComparison.Ordinal) => "Enter the reason for not inviting this agency",
            _ => message,
        };
    }

    private DateTimeOffset? Typed(string field, string? date, string? clock, string what, bool required)
    {
        if (string.IsNullOrWhiteSpace(date) && string.IsNullOrWhiteSpace(clock))
        {
            if (required)
            {
                Errors.Add((field, $"Enter the date and time of {what}"));
            }

            return null;
        }

        var at = time.FromTyped(date, clock);
        if (at is null)
        {
            Errors.Add((field, $"Enter the date and time of {what} as a date like 3/12/2026 and a time like 14:30"));
        }

        return at;
    }

    private CaseFactsForm Facts() => new(Blank(AgeBand), UnbornChild, AdultKnownToProbation, KnownToYos, Blank(ReferrerAgencyCode)?.ToUpperInvariant(), Blank(ConcernCategory));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One suggested agency on the form: shown with its rule; unticked, it is left out with a reason.</summary>
public sealed record InviteeChoice
{
    public string AgencyCode { get; set; } = "";
    public string AgencyName { get; set; } = "";
    public string Reason { get; set; } = "";
    public bool Minimum { get; set; }
    public bool Invite { get; set; }
    public string? RemovalReason { get; set; }
    public string? RemovalReasonText { get; set; }

    public string ReasonId => "remove-" + AgencyCode + "-reason";
}
