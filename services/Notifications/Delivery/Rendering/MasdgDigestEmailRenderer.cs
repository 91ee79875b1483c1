using System.Globalization;
using System.Text;
using static Jtai.Strategy.Notifications.Delivery.Rendering.RenderingText;

namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>One open overdue circulation as the digest lists it.</summary>
public sealed record DigestOverdueRow(string MeetingReference, string TeamCode, DateTimeOffset Deadline, double HoursOverdue, int NoticesSent);

/// <summary>One meeting held below the national minimum as the digest lists it.</summary>
public sealed record DigestBelowMinimumRow(string MeetingReference, string TeamCode, DateTimeOffset ActualStart, DateTimeOffset ActualEnd);

/// <summary>Inputs for the MASDG's daily digest: references, team codes, times and counts only.</summary>
public sealed record MasdgDigestDetails
{
    /// <summary>The local day whose meetings below the national minimum are listed.</summary>
    public required DateOnly Day { get; init; }

    public required IReadOnlyList<DigestOverdueRow> Overdue { get; init; }

    public required IReadOnlyList<DigestBelowMinimumRow> HeldBelowMinimum { get; init; }

    public Uri? SignInLink { get; init; }
}

/// <summary>
/// Renders the MASDG's daily digest: a table of open overdue circulations (reference, team, deadline, hours overdue,
/// notices sent) and one of the meetings held below the national minimum on the day, in plain text and HTML. Nothing
/// about a child: the lists carry references, team codes, times and counts. Stateless and thread-safe.
/// </summary>
public sealed class MasdgDigestEmailRenderer(InvitationRenderingOptions? options = null)
{
    private readonly InvitationRenderingOptions options = options ?? new InvitationRenderingOptions();

    public RenderedEmail Render(MasdgDigestDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (details.SignInLink is { } link)
        {
            RequireLink(link, nameof(details.SignInLink));
        }

        var day = details.Day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        var subject = $"Strategy meetings daily digest {Dash} {details.Day:yyyy-MM-dd}: {Count(details.Overdue.Count, "overdue circulation")}, {Count(details.HeldBelowMinimum.Count, "meeting")} below the national minimum";

        var text = new StringBuilder()
            .Append("Daily digest for the MASDG.\n\n")
            .Append("Open overdue circulations (agreed actions not circulated within the deadline): ").Append(details.Overdue.Count).Append('\n');
        var html = new StringBuilder()
            .Append("<p>Daily digest for the MASDG.</p>\n")
            .Append("<h2>Open overdue circulations: ").Append(details.Overdue.Count).Append("</h2>\n");
        if (details.Overdue.Count == 0)
        {
            text.Append("None.\n");
            html.Append("<p>None.</p>\n");
        }
        else
        {
            html.Append("<table>\n<thead><tr><th scope=\"col\">Meeting</th><th scope=\"col\">Team</th><th scope=\"col\">Deadline</th><th scope=\"col\">Hours overdue</th><th scope=\"col\">Notices sent</th></tr></thead>\n<tbody>\n");
            foreach (var o in details.Overdue)
            {
                var hours = o.HoursOverdue.ToString("0.0", CultureInfo.InvariantCulture);
                text.Append("- ").Append(o.MeetingReference).Append(" (team ").Append(o.TeamCode).Append("): deadline ").Append(At(o.Deadline, options))
                    .Append(", ").Append(hours).Append(" hours overdue, ").Append(Count(o.NoticesSent, "notice")).Append(" sent\n");
                html.Append("<tr><td>").Append(Html(o.MeetingReference)).Append("</td><td>").Append(Html(o.TeamCode)).Append("</td><td>").Append(Html(At(o.Deadline, options)))
                    .Append("</td><td>").Append(hours).Append("</td><td>").Append(o.NoticesSent).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        text.Append("\nMeetings held below the national minimum on ").Append(day).Append(": ").Append(details.HeldBelowMinimum.Count).Append('\n');
        html.Append("<h2>Meetings held below the national minimum on ").Append(Html(day)).Append(": ").Append(details.HeldBelowMinimum.Count).Append("</h2>\n");
        if (details.HeldBelowMinimum.Count == 0)
        {
            text.Append("None.\n");
            html.Append("<p>None.</p>\n");
        }
        else
        {
            html.Append("<table>\n<thead><tr><th scope=\"col\">Meeting</th><th scope=\"col\">Team</th><th scope=\"col\">Held</th></tr></thead>\n<tbody>\n");
            foreach (var m in details.HeldBelowMinimum)
            {
                text.Append("- ").Append(m.MeetingReference).Append(" (team ").Append(m.TeamCode).Append("): ").Append(When(m.ActualStart, m.ActualEnd, options)).Append('\n');
                html.Append("<tr><td>").Append(Html(m.MeetingReference)).Append("</td><td>").Append(Html(m.TeamCode)).Append("</td><td>")
                    .Append(Html(When(m.ActualStart, m.ActualEnd, options))).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        if (details.SignInLink is { } signIn)
        {
            text.Append("\nSign in to see the figures and the full lists: ").Append(Link(signIn)).Append('\n');
            html.Append("<p>").Append(HtmlLink(signIn, "Sign in to see the figures and the full lists")).Append(".</p>\n");
        }

        text.Append("\nThis e-mail contains no case details. Please do not reply to it with case information.\n");
        html.Append("<p>This e-mail contains no case details. Please do not reply to it with case information.</p>\n");
        return new RenderedEmail(
            subject,
            text.ToString(),
            HtmlDocument(subject, html.ToString()),
            $"MASDG digest {details.Day:yyyy-MM-dd}: {Count(details.Overdue.Count, "overdue circulation")}, {details.HeldBelowMinimum.Count} below the national minimum");
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
