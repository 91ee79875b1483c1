using System.Globalization;
using System.Text;

namespace Jtai.Strategy.Notifications.Delivery.Mime;

/// <summary>MIME encodings: quoted-printable (RFC 2045 §6.7), base64 (RFC 2045 §6.8), encoded-words (RFC 2047), header folding (RFC 5322).</summary>
public static class MimeEncoding
{
    public const string Crlf = "\r\n";

    /// <summary>Maximum length of an encoded-word (RFC 2047 §2).</summary>
    public const int MaxEncodedWordLength = 75;

    /// <summary>Recommended maximum header line length (RFC 5322 §2.1.1) — also the RFC 2047 limit of 76 for lines with encoded-words.</summary>
    public const int MaxHeaderLineLength = 76;

    private const int MaxQuotedPrintableLineLength = 76;

    /// <summary>
    /// Quoted-printable encoding of <paramref name="text"/> as UTF-8. Any line break in the text becomes a CRLF hard
    /// line break; encoded lines are at most 76 characters (soft breaks <c>=</c>); trailing white space, <c>=</c>, non-ASCII
    /// and control characters are escaped, as are a dot at the start of a line and "From " (robust through relays and mbox).
    /// </summary>
    public static string EncodeQuotedPrintable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + (text.Length / 8));
        var lines = NormalizeLineBreaks(text).Split('\n');
        for (var li = 0; li < lines.Length; li++)
        {
            if (li > 0)
            {
                sb.Append(Crlf);
            }

            var bytes = Encoding.UTF8.GetBytes(lines[li]);
            var lineLength = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                var isLast = i == bytes.Length - 1;
                string token;
                if ((b == (byte)' ' || b == (byte)'\t') && !isLast)
                {
                    token = ((char)b).ToString();
                }
                else if (b >= 33 && b <= 126 && b != (byte)'=')
                {
                    token = ((char)b).ToString();
                }
                else
                {
                    token = "=" + b.ToString("X2", CultureInfo.InvariantCulture);
                }

                if (lineLength == 0 && token.Length == 1 && (b == (byte)'.' || (b == (byte)'F' && StartsWithFromSpace(bytes, i))))
                {
                    token = "=" + b.ToString("X2", CultureInfo.InvariantCulture);
                }

                // Keep room for the soft line break "=" unless this is the last token of the hard line.
                var limit = isLast ? MaxQuotedPrintableLineLength : MaxQuotedPrintableLineLength - 1;
                if (lineLength + token.Length > limit)
                {
                    sb.Append('=').Append(Crlf);
                    lineLength = 0;
                    if (token.Length == 1 && (b == (byte)'.' || (b == (byte)'F' && StartsWithFromSpace(bytes, i))))
                    {
                        token = "=" + b.ToString("X2", CultureInfo.InvariantCulture);
                    }
                }

                sb.Append(token);
                lineLength += token.Length;
            }
        }

        return sb.ToString();
    }

    /// <summary>Base64 in lines of 76 characters separated by CRLF.</summary>
    public static string EncodeBase64Lines(ReadOnlySpan<byte> content) =>
        Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks);

    /// <summary>True when every character is printable ASCII (space through tilde).</summary>
    public static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c < ' ' || c > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Writes an unstructured header (e.g. Subject) as folded lines: printable ASCII is folded at white space;
    /// anything else is written as UTF-8 "B" encoded-words (RFC 2047), each at most 75 characters, never splitting a character.
    /// Line breaks in <paramref name="value"/> are replaced by spaces. Returns "Name: value" with CRLF folds, no trailing CRLF.
    /// </summary>
    public static string FormatUnstructuredHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        value = FlattenLineBreaks(value);
        var writer = new HeaderWriter(name);
        if (IsPrintableAscii(value) && !LooksLikeEncodedWord(value))
        {
            writer.AppendFoldableText(value);
        }
        else
        {
            writer.AppendEncodedWords(value);
        }

        return writer.ToString();
    }

    /// <summary>Formats an address-list header (From, To, Reply-To) with RFC 2047 display names when needed.</summary>
    public static string FormatAddressHeader(string name, IEnumerable<MailboxAddress> addresses)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var writer = new HeaderWriter(name);
        var first = true;
        foreach (var address in addresses)
        {
            ValidateAddress(address.Address);
            if (!first)
            {
                writer.AppendRaw(",");
            }

            var displayName = string.IsNullOrWhiteSpace(address.DisplayName) ? null : FlattenLineBreaks(address.DisplayName.Trim());
            if (displayName is null)
            {
                writer.AppendToken(address.Address.Trim(), leadingSpace: true);
            }
            else
            {
                if (IsPrintableAscii(displayName) && !LooksLikeEncodedWord(displayName))
                {
                    writer.AppendToken(QuotePhrase(displayName), leadingSpace: true);
                }
                else
                {
                    writer.AppendEncodedWords(displayName, phrase: true);
                }

                writer.AppendToken("<" + address.Address.Trim() + ">", leadingSpace: true);
            }

            first = false;
        }

        if (first)
        {
            throw new ArgumentException($"The {name} header needs at least one address.", nameof(addresses));
        }

        return writer.ToString();
    }

    /// <summary>Encodes <paramref name="value"/> as UTF-8 "B" encoded-words joined by folding white space (for tests and callers).</summary>
    public static string EncodeWords(string value)
    {
        var writer = new HeaderWriter(string.Empty, startLength: 0);
        writer.AppendEncodedWords(value);
        return writer.ToString().TrimStart();
    }

    /// <summary>RFC 5322 date-time, e.g. <c>Sun, 22 Nov 2026 10:00:00 +0000</c>.</summary>
    public static string FormatDate(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return value.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>A Content-Type/Content-Disposition parameter: <c>name="value"</c>, or RFC 2231 <c>name*=utf-8''...</c> when non-ASCII.</summary>
    public static string FormatParameter(string name, string value)
    {
        value = FlattenLineBreaks(value);
        if (IsPrintableAscii(value))
        {
            return name + "=\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        var sb = new StringBuilder(name).Append("*=utf-8''");
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 128 && (char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '&' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Throws unless <paramref name="address"/> is a plausible ASCII addr-spec usable in headers and SMTP commands.</summary>
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

    internal static string NormalizeLineBreaks(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string FlattenLineBreaks(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c is '\r' or '\n' or '\t' ? ' ' : char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }

    private static bool StartsWithFromSpace(byte[] bytes, int i) =>
        i + 4 < bytes.Length && bytes[i] == 'F' && bytes[i + 1] == 'r' && bytes[i + 2] == 'o' && bytes[i + 3] == 'm' && bytes[i + 4] == ' ';

    // Plain text that itself looks like "=?...?=" would be decoded by readers: encode it instead.
    private static bool LooksLikeEncodedWord(string value) => value.Contains("=?", StringComparison.Ordinal);

    private static string QuotePhrase(string phrase)
    {
        var isAtomText = true;
        foreach (var c in phrase)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == ' ' || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal)))
            {
                isAtomText = false;
                break;
            }
        }

        if (isAtomText && !phrase.Contains("  ", StringComparison.Ordinal))
        {
            return phrase;
        }

        return "\"" + phrase.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Builds one header field, folding with CRLF + space so lines stay within <see cref="MaxHeaderLineLength"/> where possible.</summary>
    private sealed class HeaderWriter
    {
        private readonly StringBuilder _sb = new();
        private int _lineLength;
        private bool _hasTokenOnLine;

        public HeaderWriter(string name, int? startLength = null)
        {
            if (name.Length > 0)
            {
                _sb.Append(name).Append(':');
            }

            _lineLength = startLength ?? (name.Length + 1);
        }

        public void AppendRaw(string text)
        {
            _sb.Append(text);
            _lineLength += text.Length;
            _hasTokenOnLine = true;
        }

        /// <summary>Appends a token that must not be split, preceded by a space or a fold.</summary>
        public void AppendToken(string token, bool leadingSpace)
        {
            if (leadingSpace)
            {
                if (_hasTokenOnLine && token.Length > 0 && _lineLength + 1 + token.Length > MaxHeaderLineLength)
                {
                    _sb.Append(Crlf);
                    _lineLength = 0;
                    _hasTokenOnLine = false;
                }

                _sb.Append(' ');
                _lineLength++;
            }

            _sb.Append(token);
            _lineLength += token.Length;
            _hasTokenOnLine = true;
        }

        /// <summary>Appends ASCII text, folding at existing white space (the white space is kept, as RFC 5322 requires).</summary>
        public void AppendFoldableText(string text)
        {
            if (text.Length == 0)
            {
                AppendRaw(" ");
                return;
            }

            var words = text.Split(' ');
            for (var i = 0; i < words.Length; i++)
            {
                // Each word (possibly empty when spaces repeat) is preceded by exactly one space, as in the original.
                AppendToken(words[i], leadingSpace: true);
            }
        }

        public void AppendEncodedWords(string text, bool phrase = false)
        {
            const string prefix = "=?utf-8?B?";
            const string suffix = "?=";
            const int overhead = 12; // prefix + suffix
            _ = phrase; // "B" encoding is valid in phrases and unstructured text alike.
            var pending = new List<byte>();
            var runes = text.EnumerateRunes().ToList();
            var index = 0;
            Span<byte> runeBytes = stackalloc byte[4];
            while (index < runes.Count)
            {
                var available = MaxHeaderLineLength - _lineLength - 1 - overhead;
                if (available < 8)
                {
                    _sb.Append(Crlf);
                    _lineLength = 0;
                    _hasTokenOnLine = false;
                    available = MaxHeaderLineLength - 1 - overhead;
                }

                var maxEncoded = Math.Min(available, MaxEncodedWordLength - overhead) / 4 * 4;
                var maxBytes = maxEncoded / 4 * 3;
                pending.Clear();
                while (index < runes.Count)
                {
                    var n = runes[index].EncodeToUtf8(runeBytes);
                    if (pending.Count + n > maxBytes)
                    {
                        break;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        pending.Add(runeBytes[k]);
                    }

                    index++;
                }

                var word = prefix + Convert.ToBase64String(pending.ToArray()) + suffix;
                AppendToken(word, leadingSpace: true);
            }
        }

        public override string ToString() => _sb.ToString();
    }
}
