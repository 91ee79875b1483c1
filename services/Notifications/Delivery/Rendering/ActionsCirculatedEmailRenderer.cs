using System.Text;
using static Jtai.Strategy.Notifications.Delivery.Rendering.RenderingText;

namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>
/// Renders the "agreed actions circulated" notice: the meeting reference and the sign-in link only — the actions
/// themselves are available after signing in. Stateless and thread-safe.
/// </summary>
public sealed class ActionsCirculatedEmailRenderer
{
    public RenderedEmail Render(ActionsCirculatedDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Require(details.MeetingReference, nameof(details.MeetingReference));
        RequireLink(details.SignInLink, nameof(details.SignInLink));

        var reference = details.MeetingReference.Trim();
        var subject = Subject(reference, "agreed actions circulated");
        var greeting = string.IsNullOrWhiteSpace(details.RecipientName) ? "Hello" : "Dear " + details.RecipientName.Trim();
        var team = string.IsNullOrWhiteSpace(details.TeamName) ? null : details.TeamName.Trim();

        var text = new StringBuilder()
            .Append(greeting).Append(",\n\n")
            .Append("The agreed actions from strategy meeting ").Append(reference).Append(" have been circulated.\n\n")
            .Append("Sign in to read them, including any actions for your agency, and their deadlines: ")
            .Append(Link(details.SignInLink)).Append("\n\n")
            .Append("To protect the family's privacy, this e-mail contains no case details. Please do not reply to it with case information.\n");
        if (team is not null)
        {
            text.Append('\n').Append(team).Append('\n');
        }

        var html = new StringBuilder()
            .Append("<p>").Append(Html(greeting)).Append(",</p>\n")
            .Append("<p>The agreed actions from strategy meeting <strong>").Append(Html(reference)).Append("</strong> have been circulated.</p>\n")
            .Append("<p>Sign in to read them, including any actions for your agency, and their deadlines: ")
            .Append(HtmlLink(details.SignInLink, "Sign in to see the agreed actions")).Append(".</p>\n")
            .Append("<p>To protect the family's privacy, this e-mail contains no case details. Please do not reply to it with case information.</p>\n");
        if (team is not null)
        {
            html.Append("<p>").Append(Html(team)).Append("</p>\n");
        }

        return new RenderedEmail(
            subject,
            text.ToString(),
            HtmlDocument(subject, html.ToString()),
            $"{subject}. Sign in to read them: {Link(details.SignInLink)}");
    }
}
