using System.Security.Cryptography;
using System.Text;

namespace Jtai.Strategy.Notifications.Delivery.Mime;

/// <summary>
/// Builds an RFC 5322/MIME message (7-bit clean, CRLF line endings) from an <see cref="EmailMessage"/>:
/// <list type="bullet">
/// <item>text only → <c>text/plain</c>;</item>
/// <item>text + HTML (+ calendar) → <c>multipart/alternative</c> (text, HTML, <c>text/calendar; method=...</c>);</item>
/// <item>with attachments or a calendar → <c>multipart/mixed</c> wrapping that, plus the files (the calendar again as <c>application/ics</c>).</item>
/// </list>
/// Text parts are quoted-printable UTF-8, calendar and attachments base64; non-ASCII header text uses RFC 2047 encoded-words.
/// Headers: Date, From, To, Reply-To, Subject, Message-ID (<c>&lt;{id}@jtai-strategy&gt;</c>), X-Jtai-Message-Id, MIME-Version.
/// The output is deterministic for a given message and date. Stateless and thread-safe.
/// </summary>
public sealed class MimeMessageBuilder
{
    public const string MessageIdDomain = "jtai-strategy";
    public const string CallerMessageIdHeader = "X-Jtai-Message-Id";

    private readonly TimeProvider _timeProvider;

    public MimeMessageBuilder(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The Message-ID header value for a caller id: <c>&lt;{id}@jtai-strategy&gt;</c>.</summary>
    public static string FormatMessageId(string callerId)
    {
        ValidateCallerId(callerId);
        return "<" + callerId + "@" + MessageIdDomain + ">";
    }

    /// <exception cref="ArgumentException">An address, the message id or a required field is invalid.</exception>
    public byte[] Build(EmailMessage message) => Encoding.ASCII.GetBytes(BuildString(message));

    /// <summary>As <see cref="Build"/>, as a string (ASCII only).</summary>
    public string BuildString(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ValidateCallerId(message.MessageId);
        ArgumentNullException.ThrowIfNull(message.From);
        if (message.To is null || message.To.Count == 0)
        {
            throw new ArgumentException("At least one To address is required.", nameof(message));
        }

        ArgumentNullException.ThrowIfNull(message.Subject);
        ArgumentNullException.ThrowIfNull(message.TextBody);

        var sb = new StringBuilder(4096);
        Header(sb, "Date: " + MimeEncoding.FormatDate(message.Date ?? _timeProvider.GetUtcNow()));
        Header(sb, MimeEncoding.FormatAddressHeader("From", [message.From]));
        Header(sb, MimeEncoding.FormatAddressHeader("To", message.To));
        if (message.ReplyTo is not null)
        {
            Header(sb, MimeEncoding.FormatAddressHeader("Reply-To", [message.ReplyTo]));
        }

        Header(sb, MimeEncoding.FormatUnstructuredHeader("Subject", message.Subject));
        Header(sb, "Message-ID: " + FormatMessageId(message.MessageId));
        Header(sb, CallerMessageIdHeader + ": " + message.MessageId);
        Header(sb, "MIME-Version: 1.0");

        var boundarySeed = BoundarySeed(message.MessageId);
        var body = BuildBody(message, boundarySeed);
        var attachments = new List<MimePart>();
        if (message.Calendar is not null)
        {
            attachments.Add(AttachmentPart(
                message.Calendar.FileName,
                "application/ics",
                Encoding.UTF8.GetBytes(message.Calendar.Content)));
        }

        foreach (var attachment in message.Attachments ?? [])
        {
            attachments.Add(AttachmentPart(attachment.FileName, attachment.MediaType, attachment.Content.Span));
        }

        var root = attachments.Count == 0
            ? body
            : Multipart("mixed", boundarySeed, [body, .. attachments]);

        root.WriteTo(sb);
        if (sb.Length < 2 || sb[^1] != '\n')
        {
            sb.Append(MimeEncoding.Crlf);
        }

        return sb.ToString();
    }

    private static MimePart BuildBody(EmailMessage message, string boundarySeed)
    {
        var text = TextPart("text/plain", message.TextBody);
        if (message.HtmlBody is null && message.Calendar is null)
        {
            return text;
        }

        var alternatives = new List<MimePart> { text };
        if (message.HtmlBody is not null)
        {
            alternatives.Add(TextPart("text/html", message.HtmlBody));
        }

        if (message.Calendar is not null)
        {
            var calendar = message.Calendar;
            ArgumentException.ThrowIfNullOrEmpty(calendar.Content);
            if (!calendar.Content.Contains("METHOD:" + calendar.MethodName + "\r\n", StringComparison.Ordinal))
            {
                throw new ArgumentException($"The calendar object does not carry METHOD:{calendar.MethodName}.", nameof(message));
            }

            alternatives.Add(new MimePart(
                [
                    "Content-Type: text/calendar; charset=utf-8; method=" + calendar.MethodName,
                    "Content-Transfer-Encoding: base64",
                ],
                MimeEncoding.EncodeBase64Lines(Encoding.UTF8.GetBytes(calendar.Content)),
                null));
        }

        return Multipart("alternative", boundarySeed, alternatives);
    }

    private static MimePart TextPart(string mediaType, string content) => new(
        [
            "Content-Type: " + mediaType + "; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ],
        MimeEncoding.EncodeQuotedPrintable(content),
        null);

    private static MimePart AttachmentPart(string fileName, string mediaType, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaType);
        if (!IsMediaType(mediaType))
        {
            throw new ArgumentException($"'{mediaType}' is not a bare media type (type/subtype).", nameof(mediaType));
        }

        return new MimePart(
            [
                "Content-Type: " + mediaType + ";\r\n " + MimeEncoding.FormatParameter("name", fileName),
                "Content-Disposition: attachment;\r\n " + MimeEncoding.FormatParameter("filename", fileName),
                "Content-Transfer-Encoding: base64",
            ],
            MimeEncoding.EncodeBase64Lines(content),
            null);
    }

    private static MimePart Multipart(string subtype, string boundarySeed, IReadOnlyList<MimePart> children)
    {
        // "=_" never occurs in quoted-printable or base64 output, so the boundary cannot collide with a body.
        var boundary = "=_jtai_" + subtype + "_" + boundarySeed;
        return new MimePart(
            ["Content-Type: multipart/" + subtype + ";\r\n boundary=\"" + boundary + "\""],
            null,
            (boundary, children));
    }

    private static bool IsMediaType(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string BoundarySeed(string messageId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)))[..24];

    private static void Header(StringBuilder sb, string header) => sb.Append(header).Append(MimeEncoding.Crlf);

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

    private sealed record MimePart(IReadOnlyList<string> Headers, string? Content, (string Boundary, IReadOnlyList<MimePart> Children)? Multipart)
    {
        public void WriteTo(StringBuilder sb)
        {
            foreach (var header in Headers)
            {
                Header(sb, header);
            }

            sb.Append(MimeEncoding.Crlf);
            if (Multipart is { } multipart)
            {
                sb.Append("This is a multi-part message in MIME format.").Append(MimeEncoding.Crlf);
                foreach (var child in multipart.Children)
                {
                    sb.Append(MimeEncoding.Crlf).Append("--").Append(multipart.Boundary).Append(MimeEncoding.Crlf);
                    child.WriteTo(sb);
                }

                sb.Append(MimeEncoding.Crlf).Append("--").Append(multipart.Boundary).Append("--").Append(MimeEncoding.Crlf);
            }
            else
            {
                // The CRLF before the next boundary belongs to the delimiter, not to the content.
                sb.Append(Content);
            }
        }
    }
}
