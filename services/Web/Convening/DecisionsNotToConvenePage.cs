using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Web.Convening;

/// <summary>
/// The team's decisions not to convene a strategy meeting (latest first, paged through the API), and the form to record one: the case
/// reference, the category of concern, the coded reason (with words for "another reason") and when it was decided, in
/// UK time. The meetings service checks and keeps it (coded, so the MASDG can compare thresholds across teams).
/// </summary>
public sealed class DecisionsNotToConvenePage(MeetingsApiClient meetings, LondonTime time) : MeetingForm
{
    public static readonly IReadOnlyList<(string Value, string Label)> Reasons =
    [
        ("ThresholdNotMet", "The threshold for a strategy meeting is not met"), ("SingleAgencyAssessment", "A single-agency assessment instead"),
        ("EarlyHelpOffered", "Early help offered"), ("ExistingPlanAddressesRisk", "An existing plan addresses the risk"),
        ("FurtherInformationNeeded", "Further information is needed first"), ("Other", "Another reason"),
    ];

    public LondonTime Time { get; } = time;

    public IReadOnlyList<DecisionNotToConvene> Decisions { get; private set; } = [];

    /// <summary>Previous and next, as the API pages the list (latest decision first).</summary>
    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    public string Team => User.TeamCode() ?? "";

    [BindProperty] public string? CaseReference { get; set; }
    [BindProperty] public string? ConcernCategory { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ReasonText { get; set; }
    [BindProperty] public string? DecidedDate { get; set; }
    [BindProperty] public string? DecidedTime { get; set; }

    /// <summary>The case reference just recorded (after the redirect), for the success banner.</summary>
    [BindProperty(SupportsGet = true)] public string? Recorded { get; set; }

    protected override IReadOnlyList<(string Id, string ApiName, string Missing)> Fields =>
    [
        ("caseReference", "caseReference", "Enter the case reference"),
        ("concernCategory", "concernCategory", "Select the category of concern"),
        ("reason", "reason", "Select why no meeting is convened"),
        ("reasonText", "reasonText", "Enter why no meeting is convened"),
        ("decidedDate", "decidedAt", "Enter the date and time of the decision"),
    ];

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var decidedAt = Typed(Time, "decidedDate", DecidedDate, DecidedTime, "the date and time of the decision");
        var form = new DecisionNotToConveneForm(Blank(CaseReference), Blank(ConcernCategory), Blank(Reason), ReasonText?.ReplaceLineEndings("\n"), decidedAt);
        var result = await meetings.RecordDecisionNotToConveneAsync(form, cancellationToken);
        if (result.Succeeded)
        {
            return Redirect("/team/decisions-not-to-convene?recorded=" + Uri.EscapeDataString(result.Value!.CaseReference));
        }

        if (!Show(result.Problem!))
        {
            return ApiProblemPages.Forbidden;
        }

        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var decisions = await meetings.DecisionsNotToConveneAsync(page, cancellationToken);
        if (decisions.Problem is { } problem)
        {
            return problem.PageResult("meetings API");
        }

        Decisions = decisions.Value!.Items;
        const string path = "/team/decisions-not-to-convene";
        Pages = new Pagination(page.PreviousHref(path), page.NextHref(path, decisions.Value.NextCursor), page.Number, "Pages of the team's decisions not to convene");
        return Page();
    }

    public static string Label(IReadOnlyList<(string Value, string Label)> options, string value) =>
        options.FirstOrDefault(o => o.Value == value).Label ?? value;
}
