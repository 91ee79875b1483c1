using System.Text.RegularExpressions;

namespace Jtai.Strategy.BuildingBlocks.Telemetry;

/// <summary>
/// URL paths whose last segment is a bearer secret: the meetings service's answer-by-link endpoint
/// (<c>/respond/{token}</c>) and the web service's answer page (<c>/answer/{token}</c>), which carry the same signed
/// token. Whoever holds the token may answer for an agency, so it must never reach a log line, a log scope or a span:
/// every service redacts it here, once, to <c>/respond/[redacted]</c>.
/// </summary>
public static partial class SecretPaths
{
    public const string Redacted = "[redacted]";

    /// <summary>The segments after which the next path segment is a secret.</summary>
    public static readonly string[] SecretSegments = ["/respond/", "/answer/"];

    /// <summary>Whether <paramref name="text"/> may hold a secret path (cheap: no regular expression).</summary>
    public static bool MayContainSecret(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var segment in SecretSegments)
        {
            if (text.Contains(segment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text with every secret segment replaced (a path, a full URL or a message that quotes one).</summary>
    public static string Redact(string text) => MayContainSecret(text) ? SecretSegment().Replace(text, "${prefix}" + Redacted) : text;

    /// <summary>As <see cref="Redact(string)"/>, for a value that may be null.</summary>
    public static string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    // The token runs to the next '/', '?', '#', whitespace or quote; an already redacted segment stays as it is.
    [GeneratedRegex(@"(?<prefix>/(?:respond|answer)/)(?!\[redacted\])[^/?#\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretSegment();
}
