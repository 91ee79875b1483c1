using System.Text.RegularExpressions;
using MimeKit;

namespace Jtai.Strategy.Web.Tests;

/// <summary>The messages the SMTP sink of scripts/infra.sh stored (a Maildir: one file per message under <c>new/</c>).</summary>
public static partial class SmtpMailbox
{
    public static IReadOnlyList<MimeMessage> To(string mailDir, string address)
    {
        var folder = Path.Combine(mailDir, "new");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder)
            .Select(file => MimeMessage.Load(file))
            .Where(m => m.To.Mailboxes.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>The invitations to one meeting that reached this address (the subject names the meeting's reference).</summary>
    public static IReadOnlyList<MimeMessage> Invitations(string mailDir, string address, string meetingReference) =>
        To(mailDir, address).Where(m => (m.Subject ?? "").Contains(meetingReference, StringComparison.Ordinal)).ToList();

    /// <summary>The answer link of an invitation e-mail, as the recipient would click it (from the plain-text part).</summary>
    public static Uri AnswerLink(MimeMessage message)
    {
        var text = message.TextBody ?? message.HtmlBody ?? "";
        var match = ResponseLink().Match(text);
        Assert.True(match.Success, "no answer link in the e-mail:\n" + text);
        return new Uri(match.Value);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/respond/[A-Za-z0-9_\-\.~%]+")]
    private static partial Regex ResponseLink();
}
