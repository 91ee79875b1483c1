using System.Text;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using MimeKit;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>
/// Builds the MIME message of one notification with MimeKit:
/// <list type="bullet">
/// <item>text only → <c>text/plain</c>;</item>
/// <item>text + HTML (+ calendar) → <c>multipart/alternative</c> (text, HTML, <c>text/calendar; method=...</c>);</item>
/// <item>with a calendar → <c>multipart/mixed</c> wrapping that, plus the calendar again as an <c>application/ics</c> file.</item>
/// </list>
/// Text parts are quoted-printable UTF-8, the calendar base64, so the message is 7-bit clean; MimeKit encodes non-ASCII
/// header text (RFC 2047). Headers, in this order: Date, From, To, Subject, Message-ID (<c>&lt;{id}@jtai-strategy&gt;</c>),
/// X-Jtai-Message-Id, MIME-Version. Stateless and thread-safe.
/// </summary>
public sealed class EmailComposer(TimeProvider? clock = null)
{
    public const string MessageIdDomain = "jtai-strategy";
    public const string CallerMessageIdHeader = "X-Jtai-Message-Id";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The Message-ID header value for a caller id: <c>&lt;{id}@jtai-strategy&gt;</c>, the same on every resend.</summary>
    public static string FormatMessageId(string callerId)
    {
        ValidateCallerId(callerId);
        return "<" + callerId + "@" + MessageIdDomain + ">";
    }

    /// <exception cref="ArgumentException">An address, the id or the calendar object is invalid (sending again cannot help).</exception>
    public MimeMessage Compose(string notificationId, MailboxAddress from, MailboxAddress to, NotificationContent content)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(content.Subject);
        ArgumentNullException.ThrowIfNull(content.TextBody);
        var messageId = FormatMessageId(notificationId);
        ValidateAddress(from.Address);
        ValidateAddress(to.Address);

        // MimeKit starts a message with headers of its own (and a random Message-Id); ours, in our order, replace them.
        var message = new MimeMessage();
        message.Headers.Clear();
        message.Date = _clock.GetUtcNow();
        message.From.Add(from);
        message.To.Add(to);
        message.Subject = content.Subject;
        message.Headers.Add("Message-ID", messageId);
        message.Headers.Add(CallerMessageIdHeader, notificationId);
        message.Headers.Add("MIME-Version", "1.0");
        message.Body = Body(content);
        return message;
    }

    /// <summary>Throws unless <paramref name="address"/> is a plain ASCII addr-spec (no SMTPUTF8, no quoting, nothing that could smuggle a command).</summary>
    public static void ValidateAddress(string? address)
    {
        var trimmed = address?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new ArgumentException("An e-mail address is required.");
        }

        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            throw new ArgumentException($"'{trimmed}' is not an e-mail address.");
        }

        foreach (var c in trimmed)
        {
            if (c <= ' ' || c > '~' || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '\\' or '"' or '[' or ']')
            {
                throw new ArgumentException($"'{trimmed}' contains a character not supported in an e-mail address here (ASCII only, no quoting).");
            }
        }
    }

    private static MimeEntity Body(NotificationContent content)
    {
        var text = Text("plain", content.TextBody);
        if (content.HtmlBody is null && content.Calendar is null)
        {
            return text;
        }

        var alternative = new MultipartAlternative { text };
        if (content.HtmlBody is not null)
        {
            alternative.Add(Text("html", content.HtmlBody));
        }

        if (content.Calendar is not { } calendar)
        {
            return alternative;
        }

        ArgumentException.ThrowIfNullOrEmpty(calendar.Content);
        if (!calendar.Content.Contains("METHOD:" + calendar.MethodName + "\r\n", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The calendar object does not carry METHOD:{calendar.MethodName}.", nameof(content));
        }

        // What Outlook, Thunderbird and Gmail turn into a meeting request: text/calendar with the iTIP method.
        var calendarPart = new TextPart("calendar") { ContentTransferEncoding = ContentEncoding.Base64 };
        calendarPart.SetText(Encoding.UTF8, calendar.Content);
        calendarPart.ContentType.Parameters.Add("method", calendar.MethodName);
        alternative.Add(calendarPart);

        // The same object as a file, for clients that only offer attachments.
        var file = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(calendar.Content))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = calendar.FileName,
        };
        return new Multipart("mixed") { alternative, file };
    }

    private static TextPart Text(string subtype, string body)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, body);
        return part;
    }

    /// <summary>dot-atom-text (RFC 5322 §3.2.3) so that <c>&lt;{id}@jtai-strategy&gt;</c> is a valid msg-id.</summary>
    private static void ValidateCallerId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException("A message id is required.", nameof(id));
        }

        if (id.Length > 200)
        {
            throw new ArgumentException("The message id is longer than 200 characters.", nameof(id));
        }

        if (id[0] == '.' || id[^1] == '.' || id.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException("The message id must not start or end with a dot or contain two dots in a row.", nameof(id));
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"The message id contains '{c}', which is not allowed in a Message-ID (use letters, digits, '-', '_', '.').", nameof(id));
            }
        }
    }
}
