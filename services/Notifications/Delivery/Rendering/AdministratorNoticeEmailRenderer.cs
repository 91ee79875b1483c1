using System.Text;
using static Jtai.Strategy.Notifications.Delivery.Rendering.RenderingText;

namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>Inputs for a notice to the partnership's administrators: the meetings service's subject and warning, nothing else.</summary>
public sealed record AdministratorNoticeDetails
{
    public required string Subject { get; init; }

    /// <summary>What is wrong and what to do, as the meetings service words it (one paragraph).</summary>
    public required string Text { get; init; }
}

/// <summary>
/// Renders a notice to the partnership's administrators about the service's upkeep (the bank holiday list running
/// out), in plain text and HTML, as plainly as the other notices: a greeting, the warning, where it is also shown, and
/// the line that the e-mail holds no case details. Stateless and thread-safe.
/// </summary>
public sealed class AdministratorNoticeEmailRenderer
{
    public RenderedEmail Render(AdministratorNoticeDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Require(details.Subject, nameof(details.Subject));
        Require(details.Text, nameof(details.Text));
        var subject = details.Subject.Trim();
        var warning = details.Text.Trim();
        const string Shown = "The meetings service's health endpoint (/health/ready) shows the same warning until it is resolved, and this notice is sent each day until then.";
        const string Privacy = "This e-mail is about the service's upkeep and contains no case details.";

        var text = new StringBuilder()
            .Append("Dear administrator,\n\n")
            .Append(warning).Append("\n\n")
            .Append(Shown).Append("\n\n")
            .Append(Privacy).Append('\n');
        var html = new StringBuilder()
            .Append("<p>Dear administrator,</p>\n")
            .Append("<p>").Append(Html(warning)).Append("</p>\n")
            .Append("<p>").Append(Html(Shown)).Append("</p>\n")
            .Append("<p>").Append(Html(Privacy)).Append("</p>\n");
        return new RenderedEmail(subject, text.ToString(), HtmlDocument(subject, html.ToString()), subject);
    }
}
