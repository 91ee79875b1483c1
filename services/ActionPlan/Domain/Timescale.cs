using System.Globalization;
using System.Text.RegularExpressions;

namespace Jtai.Strategy.ActionPlan.Domain;

/// <summary>
/// Reads a plan's timescale text as a due date: the last day of the (last) month it names.
/// "Mar.19" → 2019-03-31, "Sept. 19" → 2019-09-30, "Dec.18 - Mar.19" → 2019-03-31, "Dec 2018" →
/// 2018-12-31. "Ongoing", "TBC", … have no date. The same rules as SampleData/convert.py.
/// </summary>
public static partial class Timescale
{
    public enum Reading
    {
        Dated,
        OpenEnded,
        Unreadable,
    }

    public static (Reading Reading, DateOnly? DueDate) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || OpenEnded().IsMatch(text))
        {
            return (Reading.OpenEnded, null);
        }

        var tokens = MonthToken().Matches(text);
        if (tokens.Count == 0)
        {
            return (Reading.Unreadable, null);
        }

        var last = tokens[^1];
        var month = Array.IndexOf(Months, last.Groups["month"].Value[..3].ToLowerInvariant()) + 1;
        var year = int.Parse(last.Groups["year"].Value, CultureInfo.InvariantCulture);
        year = year < 100 ? year + 2000 : year;
        return (Reading.Dated, new DateOnly(year, month, DateTime.DaysInMonth(year, month)));
    }

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    // Whole month names or their usual abbreviations only, so a typo ("Marhc 19") is refused, not read as March.
    [GeneratedRegex(@"\b(?<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)[\s.\-/]*(?<year>(?:20)?\d{2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthToken();

    [GeneratedRegex(@"ongoing|on-going|continuous|\btbc\b|\btba\b|^n/?a$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenEnded();
}
