using System.Globalization;
using System.Net;
using System.Text;

namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>Shared formatting for the renderers: times, links, HTML scaffolding.</summary>
internal static class RenderingText
{
    public const string Dash = "\u2013"; // en dash, as in "SM-2026-000123 – invitation"

    public static string Subject(string meetingReference, string what) => $"Strategy meeting {meetingReference} {Dash} {what}";

    public static string When(DateTimeOffset start, DateTimeOffset end, InvitationRenderingOptions options)
    {
        var s = TimeZoneInfo.ConvertTime(start, options.DisplayTimeZone);
        var e = TimeZoneInfo.ConvertTime(end, options.DisplayTimeZone);
        var endText = s.Date == e.Date ? Time(e) : Date(e) + ", " + Time(e);
        return $"{Date(s)}, {Time(s)} to {endText} ({options.TimeZoneLabel})";
    }

    public static string At(DateTimeOffset value, InvitationRenderingOptions options)
    {
        var local = TimeZoneInfo.ConvertTime(value, options.DisplayTimeZone);
        return $"{Date(local)}, {Time(local)} ({options.TimeZoneLabel})";
    }

    public static string ShortWhen(DateTimeOffset start, InvitationRenderingOptions options)
    {
        var local = TimeZoneInfo.ConvertTime(start, options.DisplayTimeZone);
        return local.ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Html(string value) => WebUtility.HtmlEncode(value);

    public static string Link(Uri uri) => uri.AbsoluteUri;

    public static string HtmlLink(Uri uri, string text) => $"<a href=\"{Html(Link(uri))}\">{Html(text)}</a>";

    /// <summary>A tel: URI for one-tap dialling (digits and a leading + only), or null when the number has none.</summary>
    public static string? TelUri(string number)
    {
        var sb = new StringBuilder("tel:");
        foreach (var c in number)
        {
            if (char.IsAsciiDigit(c) || (c == '+' && sb.Length == 4))
            {
                sb.Append(c);
            }
        }

        return sb.Length > 5 ? sb.ToString() : null;
    }

    public static string HtmlDocument(string title, string body) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + $"<title>{Html(title)}</title>\n</head>\n"
        + "<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c; max-width: 640px;\">\n"
        + body
        + "</body>\n</html>\n";

    public static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} is required.", name);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{name} must be a single line of text.", name);
            }
        }
    }

    public static void RequireLink(Uri? uri, string name)
    {
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"{name} must be an absolute http(s) URL.", name);
        }
    }

    private static string Date(DateTimeOffset value) => value.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.ToString("HH:mm", CultureInfo.InvariantCulture);
}
