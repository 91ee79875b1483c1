using System.Text;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>A message as the SMTP server stored it, parsed by Python's email package and (its calendar) by ical.js.</summary>
internal sealed class ReceivedMail
{
    private ReceivedMail(string file, string raw, InspectedMail parsed)
    {
        File = file;
        Raw = raw;
        Parsed = parsed;
    }

    public string File { get; }

    public string Raw { get; }

    public InspectedMail Parsed { get; }

    public string? Header(string name) => Parsed.Header(name);

    public string Text => Parsed.Part("text/plain").Text!;

    public string Html => Parsed.Part("text/html").Text!;

    public bool HasCalendar => Parsed.Parts.Any(p => p.ContentType == "text/calendar");

    /// <summary>The calendar object offered inline (<c>text/calendar; method=...</c>).</summary>
    public string CalendarPart => Encoding.UTF8.GetString(Parsed.Part("text/calendar").Bytes);

    public string? CalendarMethodParameter => Parsed.Part("text/calendar").Param("method");

    /// <summary>The same calendar object as the attached <c>.ics</c> file.</summary>
    public InspectedPart IcsAttachment => Parsed.Part("application/ics", "attachment");

    public static async Task<ReceivedMail> ReadAsync(string file) =>
        new(file, await System.IO.File.ReadAllTextAsync(file), await MailInspector.InspectFileAsync(file));

    /// <summary>iCalendar content lines with folding undone (RFC 5545 §3.1).</summary>
    public static IReadOnlyList<string> Unfolded(string ics) =>
        ics.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Replace("\r\n\t", string.Empty, StringComparison.Ordinal)
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
}
