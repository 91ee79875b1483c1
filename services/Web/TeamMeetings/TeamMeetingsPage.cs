using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Web.Apis;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.TeamMeetings;

/// <summary>
/// A team manager's meetings, from the meetings API with the manager's token, in two views each paged by cursor:
/// upcoming (from yesterday on, soonest first) and past (latest first), so a meeting held long ago and still not
/// circulated is in the list with its overdue countdown, not only on the notices.
/// </summary>
public sealed class TeamMeetingsPage(MeetingsApiClient meetings, LondonTime time, TimeProvider clock) : PageModel
{
    private readonly DateTimeOffset now = clock.GetUtcNow();

    public LondonTime Time { get; } = time;

    public IReadOnlyList<MeetingListItem> Meetings { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    /// <summary>Previous and next, as the API pages the list.</summary>
    public Pagination Pages { get; private set; } = new(null, null, 1, "");

    public string Team => User.TeamCode() ?? "";

    /// <summary>"past" for the meetings that started before yesterday; anything else, the upcoming ones.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Show { get; set; }

    public bool Past => Show == "past";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var page = PageTrail.From(Request);
        var result = await meetings.TeamMeetingsAsync(Past, page, cancellationToken);
        Meetings = result.Value?.Items ?? [];
        Problem = result.Problem;
        var path = Past ? "/team/meetings?show=past" : "/team/meetings";
        Pages = new Pagination(page.PreviousHref(path), page.NextHref(path, result.Value?.NextCursor), page.Number,
            Past ? "Pages of the team's past meetings" : "Pages of the team's upcoming meetings");
    }

    /// <summary>
    /// The circulation countdown of a held meeting not yet circulated, e.g. "Circulate by Tue 4 Dec 14:00 (in 5 hours)";
    /// overdue says so in words ("Overdue: …, 3 hours ago"), not by its colour only. Null before the record or once circulated.
    /// </summary>
    public string? Countdown(MeetingListItem meeting)
    {
        if (meeting.CirculationDeadline is not { } deadline || meeting.Circulation is not ("Due" or "Overdue"))
        {
            return null;
        }

        var by = Time.Local(deadline).ToString("ddd d MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var left = deadline - now;
        return left > TimeSpan.Zero
            ? $"Circulate by {by} (in {Span(left)})"
            : $"Overdue: circulate by {by} ({Span(-left)} ago)";
    }

    public static string? CirculatedText(MeetingListItem meeting) => meeting.Circulation switch
    {
        "CirculatedOnTime" => "Circulated on time",
        "CirculatedLate" => "Circulated late",
        _ => null,
    };

    private static string Span(TimeSpan span) => span switch
    {
        { TotalDays: >= 2 } => $"{(int)span.TotalDays} days",
        { TotalHours: >= 2 } => $"{(int)span.TotalHours} hours",
        { TotalHours: >= 1 } => "1 hour",
        { TotalMinutes: >= 2 } => $"{(int)span.TotalMinutes} minutes",
        _ => "1 minute",
    };

    public static string StatusText(string status) => status switch
    {
        "Scheduled" => "Scheduled",
        "Cancelled" => "Cancelled",
        _ => status,
    };
}
