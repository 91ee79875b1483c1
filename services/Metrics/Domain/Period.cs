using System.Globalization;
using System.Text.RegularExpressions;
using Jtai.Strategy.Contracts.Metrics;

namespace Jtai.Strategy.Metrics.Domain;

/// <summary>A range of local dates, end exclusive: a day, an ISO week (Monday first), a month, a quarter or any range.</summary>
public sealed partial record Period(string Kind, DateOnly Start, DateOnly End)
{
    public const string Day = "day";

    public static Period Containing(string kind, DateOnly date) => kind switch
    {
        Day => new(Day, date, date.AddDays(1)),
        PeriodKinds.Week => Week(date.AddDays(-(((int)date.DayOfWeek + 6) % 7))),
        PeriodKinds.Month => Month(new DateOnly(date.Year, date.Month, 1)),
        PeriodKinds.Quarter => Quarter(new DateOnly(date.Year, ((date.Month - 1) / 3 * 3) + 1, 1)),
        _ => throw new ArgumentException($"'{kind}' is not a period kind (day, week, month, quarter).", nameof(kind)),
    };

    public static bool IsCalendarKind(string kind) => kind is Day or PeriodKinds.Week or PeriodKinds.Month or PeriodKinds.Quarter;

    /// <summary>The period that follows this one (same kind).</summary>
    public Period Next() => Containing(Kind, End);

    /// <summary>A human label: 2026-Q1, 2026-03, 2026-W10, 2026-03-02, or 2026-03-02..2026-03-20.</summary>
    public string Label => Kind switch
    {
        Day => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodKinds.Week => $"{ISOWeek.GetYear(Start.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(Start.ToDateTime(TimeOnly.MinValue)):00}",
        PeriodKinds.Month => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        PeriodKinds.Quarter => $"{Start.Year}-Q{((Start.Month - 1) / 3) + 1}",
        _ => $"{Start:yyyy-MM-dd}..{End:yyyy-MM-dd}",
    };

    /// <summary>Reads 2026-Q1, 2026-03, 2026-W10 or 2026-03-02.</summary>
    public static bool TryParse(string? token, out Period period)
    {
        period = null!;
        if (string.IsNullOrWhiteSpace(token))
        {
            return false;
        }

        var match = TokenPattern().Match(token.Trim());
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (year is < 2000 or > 2999)
        {
            return false;
        }

        if (match.Groups["quarter"].Success)
        {
            period = Quarter(new DateOnly(year, ((int.Parse(match.Groups["quarter"].Value, CultureInfo.InvariantCulture) - 1) * 3) + 1, 1));
            return true;
        }

        if (match.Groups["week"].Success)
        {
            var week = int.Parse(match.Groups["week"].Value, CultureInfo.InvariantCulture);
            if (week < 1 || week > ISOWeek.GetWeeksInYear(year))
            {
                return false;
            }

            period = Week(DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday)));
            return true;
        }

        var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return false;
        }

        if (!match.Groups["day"].Success)
        {
            period = Month(new DateOnly(year, month, 1));
            return true;
        }

        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        period = Containing(Day, new DateOnly(year, month, day));
        return true;
    }

    /// <summary>Consecutive periods of a kind covering [from, to): from aligned down, to aligned up.</summary>
    public static IReadOnlyList<Period> Series(string kind, DateOnly from, DateOnly to)
    {
        var periods = new List<Period>();
        for (var p = Containing(kind, from); p.Start < to; p = p.Next())
        {
            periods.Add(p);
        }

        return periods;
    }

    private static Period Week(DateOnly monday) => new(PeriodKinds.Week, monday, monday.AddDays(7));

    private static Period Month(DateOnly first) => new(PeriodKinds.Month, first, first.AddMonths(1));

    private static Period Quarter(DateOnly first) => new(PeriodKinds.Quarter, first, first.AddMonths(3));

    [GeneratedRegex(@"^(?<year>\d{4})-(?:Q(?<quarter>[1-4])|W(?<week>\d{2})|(?<month>\d{2})(?:-(?<day>\d{2}))?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TokenPattern();
}
