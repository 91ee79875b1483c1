using System.Globalization;
using System.Text;
using static Jtai.Strategy.Notifications.Delivery.Rendering.RenderingText;

namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>
/// What a notice to a team manager renders from: the meeting reference, the sign-in link and the notice's codes and
/// times. Nothing about the child; SPOCs appear only as ranks (the primary, deputy 1, ...), their names are behind sign-in.
/// </summary>
public sealed record ManagerNoticeDetails
{
    /// <summary>One of the meetings service's manager notice kinds (circulation-warning, circulation-overdue, ...).</summary>
    public required string Kind { get; init; }

    public required string MeetingReference { get; init; }

    public required Uri SignInLink { get; init; }

    public string? RecipientName { get; init; }

    public string? TeamName { get; init; }

    public DateTimeOffset? CirculationDeadline { get; init; }

    public int? HoursOverdue { get; init; }

    public string? AgencyName { get; init; }

    public IReadOnlyList<int> RanksTried { get; init; } = [];

    public IReadOnlyList<string> MinimumNotCovered { get; init; } = [];

    public DateTimeOffset? ScheduledEnd { get; init; }
}

/// <summary>
/// Renders the notices to a team's managers (plain text and HTML, no calendar): the 20-hour circulation warning, each
/// overdue notice, an agency with no recipient left, a meeting convened below the national minimum, and a meeting not
/// recorded. Each says what happened, what to do, and links to the meeting behind sign-in. Stateless and thread-safe.
/// </summary>
public sealed class ManagerNoticeEmailRenderer(InvitationRenderingOptions? options = null)
{
    private readonly InvitationRenderingOptions settings = options ?? new InvitationRenderingOptions();

    public RenderedEmail Render(ManagerNoticeDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Require(details.MeetingReference, nameof(details.MeetingReference));
        RequireLink(details.SignInLink, nameof(details.SignInLink));
        var reference = details.MeetingReference.Trim();
        var (what, paragraphs) = Content(details, reference);

        var subject = Subject(reference, what);
        var greeting = string.IsNullOrWhiteSpace(details.RecipientName) ? "Hello" : "Dear " + details.RecipientName.Trim();
        var team = string.IsNullOrWhiteSpace(details.TeamName) ? null : details.TeamName.Trim();
        const string Privacy = "To protect the family's privacy, this e-mail contains no case details. Please do not reply to it with case information.";

        var text = new StringBuilder().Append(greeting).Append(",\n\n").Append("Meeting reference: ").Append(reference).Append("\n\n");
        var html = new StringBuilder()
            .Append("<p>").Append(Html(greeting)).Append(",</p>\n")
            .Append("<p>Meeting reference: <strong>").Append(Html(reference)).Append("</strong></p>\n");
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
            html.Append("<p>").Append(Html(paragraph)).Append("</p>\n");
        }

        // "To see ..., sign in" rather than a label: the line carries a link, not a field.
        text.Append("To see the meeting and act on it, sign in at ").Append(Link(details.SignInLink)).Append("\n\n").Append(Privacy).Append('\n');
        html.Append("<p>").Append(HtmlLink(details.SignInLink, "Sign in to see the meeting")).Append(".</p>\n")
            .Append("<p>").Append(Html(Privacy)).Append("</p>\n");
        if (team is not null)
        {
            text.Append('\n').Append(team).Append('\n');
            html.Append("<p>").Append(Html(team)).Append("</p>\n");
        }

        return new RenderedEmail(subject, text.ToString(), HtmlDocument(subject, html.ToString()), $"{subject}. Sign in: {Link(details.SignInLink)}");
    }

    private (string What, List<string> Paragraphs) Content(ManagerNoticeDetails d, string reference)
    {
        switch (d.Kind)
        {
            case "circulation-warning":
                var due = Required(d.CirculationDeadline, nameof(d.CirculationDeadline));
                return ("agreed actions not yet circulated",
                [
                    $"The agreed actions of strategy meeting {reference} have not been circulated yet. They are due by {At(due, settings)}.",
                    "Please circulate them to every invited agency before then, so that no child waits for them.",
                ]);
            case "circulation-overdue":
                var deadline = Required(d.CirculationDeadline, nameof(d.CirculationDeadline));
                var hours = Required(d.HoursOverdue, nameof(d.HoursOverdue));
                // Whole hours past the deadline; the first notice, sent at the deadline itself, says only "overdue".
                var late = hours > 0 ? string.Create(CultureInfo.InvariantCulture, $"they are {hours} hours overdue") : "the deadline has passed";
                return (hours > 0 ? string.Create(CultureInfo.InvariantCulture, $"agreed actions overdue ({hours} h)") : "agreed actions overdue",
                [
                    $"The agreed actions of strategy meeting {reference} were due by {At(deadline, settings)} and have not been circulated: {late}.",
                    "Please circulate them now. The delay is reported to the MASDG as an exception, and a late circulation is still recorded, as late.",
                ]);
            case "no-recipient-left":
                var agency = string.IsNullOrWhiteSpace(d.AgencyName) ? "An invited agency" : d.AgencyName.Trim();
                Require(agency, nameof(d.AgencyName));
                return ($"no recipient left at {agency}",
                [
                    $"The invitation to strategy meeting {reference} has not reached anyone at {agency}: it went to {Tried(d.RanksTried)}, and no further deputy is available.",
                    "Please contact the agency another way, or record its information when the meeting is held.",
                ]);
            case "below-minimum-at-convening":
                if (d.MinimumNotCovered.Count == 0)
                {
                    throw new ArgumentException("MinimumNotCovered is required for a below-minimum notice.", nameof(d.MinimumNotCovered));
                }

                foreach (var part in d.MinimumNotCovered)
                {
                    Require(part, nameof(d.MinimumNotCovered));
                }

                return ("below the national minimum",
                [
                    $"Strategy meeting {reference} was convened without the national minimum of agencies (social care, health and police). Not covered now: {string.Join(", ", d.MinimumNotCovered.Select(Words))}.",
                    "Please invite an agency for each part not covered, or make sure the reason is recorded when the meeting is held.",
                ]);
            case "record-due":
                var end = Required(d.ScheduledEnd, nameof(d.ScheduledEnd));
                return ("meeting not recorded",
                [
                    $"Strategy meeting {reference} was scheduled to end {At(end, settings)} and has not been recorded as held, or cancelled.",
                    "Please record it (who attended, the decision and the agreed actions) or cancel it. Until then it counts as not recorded, and its agreed actions as not circulated on time.",
                ]);
            default:
                throw new ArgumentException($"Unknown manager notice kind '{d.Kind}'.", nameof(d));
        }
    }

    /// <summary>"the primary SPOC and deputies 1 and 2": ranks only, never names.</summary>
    private static string Tried(IReadOnlyList<int> ranks)
    {
        if (ranks.Count == 0)
        {
            return "every SPOC available";
        }

        var parts = new List<string>();
        if (ranks.Contains(0))
        {
            parts.Add("the primary SPOC");
        }

        var deputies = ranks.Where(r => r > 0).Order().Select(r => r.ToString(CultureInfo.InvariantCulture)).ToList();
        if (deputies.Count > 0)
        {
            parts.Add((deputies.Count == 1 ? "deputy " : "deputies ") + string.Join(", ", deputies));
        }

        return string.Join(" and ", parts);
    }

    /// <summary>A configured requirement name such as "SocialCare" as words: "social care".</summary>
    private static string Words(string code)
    {
        var text = new StringBuilder();
        foreach (var c in code.Trim())
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private static T Required<T>(T? value, string name)
        where T : struct =>
        value ?? throw new ArgumentException($"{name} is required for this notice.", name);
}
