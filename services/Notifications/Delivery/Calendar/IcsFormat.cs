using System.Globalization;
using System.Text;

namespace Jtai.Strategy.Notifications.Delivery.Calendar;

/// <summary>RFC 5545 lexical helpers: TEXT escaping, parameter values, UTC DATE-TIME, content-line folding.</summary>
public static class IcsFormat
{
    /// <summary>A content line is folded so that no physical line exceeds this many octets, CRLF excluded (RFC 5545 §3.1).</summary>
    public const int MaxLineOctets = 75;

    public const string Crlf = "\r\n";

    /// <summary>Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma; any line break becomes <c>\n</c>.
    /// Other control characters (except TAB), which TEXT does not allow, are dropped.</summary>
    public static string EscapeText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case ';': sb.Append(@"\;"); break;
                case ',': sb.Append(@"\,"); break;
                case '\r':
                    sb.Append(@"\n");
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case '\n': sb.Append(@"\n"); break;
                case '\t': sb.Append(c); break;
                default:
                    if (!char.IsControl(c))
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Formats a parameter value (RFC 5545 §3.2): quoted when it contains <c>:</c>, <c>;</c> or <c>,</c>.
    /// A double quote cannot appear in a parameter value at all; it, a line break and <c>^</c> are written with
    /// RFC 6868 caret encoding (<c>^'</c>, <c>^n</c>, <c>^^</c>). Other control characters are dropped.
    /// </summary>
    public static string ParameterValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 4);
        var needsQuotes = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '^': sb.Append("^^"); break;
                case '"': sb.Append("^'"); break;
                case '\r':
                    sb.Append("^n");
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                case '\n': sb.Append("^n"); break;
                case ':' or ';' or ',':
                    needsQuotes = true;
                    sb.Append(c);
                    break;
                default:
                    if (c == '\t' || !char.IsControl(c))
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return needsQuotes ? $"\"{sb}\"" : sb.ToString();
    }

    /// <summary>DATE-TIME in UTC form <c>YYYYMMDDTHHMMSSZ</c> (RFC 5545 §3.3.5, form #2).</summary>
    public static string FormatUtc(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string MethodName(CalendarMethod method) => method switch
    {
        CalendarMethod.Request => "REQUEST",
        CalendarMethod.Cancel => "CANCEL",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static string StatusName(CalendarEventStatus status) => status switch
    {
        CalendarEventStatus.Confirmed => "CONFIRMED",
        CalendarEventStatus.Cancelled => "CANCELLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>
    /// Folds one unfolded content line (RFC 5545 §3.1): physical lines of at most 75 octets of UTF-8, CRLF excluded,
    /// each continuation starting with a single space; a multi-byte character is never split. The result has no trailing CRLF.
    /// </summary>
    public static string Fold(string contentLine)
    {
        ArgumentNullException.ThrowIfNull(contentLine);
        if (contentLine.Contains('\r') || contentLine.Contains('\n'))
        {
            throw new ArgumentException("A content line must not contain CR or LF; escape TEXT values first.", nameof(contentLine));
        }

        if (Encoding.UTF8.GetByteCount(contentLine) <= MaxLineOctets)
        {
            return contentLine;
        }

        var sb = new StringBuilder(contentLine.Length + (contentLine.Length / 40 * 3));
        var lineOctets = 0;
        foreach (var rune in contentLine.EnumerateRunes())
        {
            var runeOctets = rune.Utf8SequenceLength;
            if (lineOctets + runeOctets > MaxLineOctets)
            {
                sb.Append(Crlf).Append(' ');
                lineOctets = 1;
            }

            sb.Append(rune.ToString());
            lineOctets += runeOctets;
        }

        return sb.ToString();
    }

    /// <summary>Undoes <see cref="Fold"/>: removes every CRLF followed by a single space or tab (RFC 5545 §3.1).</summary>
    public static string Unfold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("\r\n ", string.Empty, StringComparison.Ordinal)
            .Replace("\r\n\t", string.Empty, StringComparison.Ordinal);
    }
}
