using System.Globalization;
using Jtai.Strategy.BuildingBlocks.Text;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// Working days in England: Monday to Friday, except bank holidays. The holidays are data
/// (<c>england-and-wales-bank-holidays.csv</c>, embedded; or a file named by
/// <c>Meetings:BankHolidaysFile</c>), because governments add one-off holidays (a coronation, a
/// state funeral) and move others (VE day 2020) at a few months' notice.
/// </summary>
public sealed class WorkingDayCalendar
{
    public const string EmbeddedFileName = "england-and-wales-bank-holidays.csv";

    private readonly Dictionary<DateOnly, string> holidays;

    private WorkingDayCalendar(Dictionary<DateOnly, string> holidays)
    {
        this.holidays = holidays;
        FirstYear = holidays.Keys.Min().Year;
        LastYear = holidays.Keys.Max().Year;
    }

    /// <summary>The first calendar year the holiday list covers.</summary>
    public int FirstYear { get; }

    /// <summary>The last calendar year the holiday list covers; a working-day sum reaching beyond it is refused.</summary>
    public int LastYear { get; }

    public IReadOnlyDictionary<DateOnly, string> BankHolidays => holidays;

    /// <summary>England and Wales, from the list shipped with the service.</summary>
    public static WorkingDayCalendar EnglandAndWales()
    {
        var assembly = typeof(WorkingDayCalendar).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + EmbeddedFileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }

    public static WorkingDayCalendar FromFile(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader);
    }

    /// <summary>
    /// Reads <c>date,weekday,name</c> rows (lines starting with <c>#</c> are comments). Refuses a
    /// row whose weekday does not match its date, a weekend date, a duplicate and a year with no
    /// holiday at all inside the covered range: a typo here would move a child protection deadline.
    /// </summary>
    public static WorkingDayCalendar Parse(TextReader reader)
    {
        var text = string.Join('\n', ReadLines(reader).Where(l => !l.TrimStart().StartsWith('#')));
        var records = Csv.Parse(new StringReader(text));
        if (records.Count < 2 || !records[0].SequenceEqual(["date", "weekday", "name"]))
        {
            throw new FormatException("The bank holiday list must start with the header 'date,weekday,name' and hold at least one holiday.");
        }

        var holidays = new Dictionary<DateOnly, string>();
        foreach (var (record, line) in records.Skip(1).Select((r, i) => (r, i + 2)))
        {
            if (record.Count != 3
                || !DateOnly.TryParseExact(record[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || string.IsNullOrWhiteSpace(record[2]))
            {
                throw new FormatException($"Bank holiday row {line}: expected 'yyyy-MM-dd,Ddd,name'.");
            }

            var weekday = date.ToString("ddd", CultureInfo.InvariantCulture);
            if (!string.Equals(weekday, record[1].Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"Bank holiday row {line}: {record[0]} is a {weekday}, not a {record[1].Trim()}.");
            }

            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                throw new FormatException($"Bank holiday row {line}: {record[0]} falls on a weekend; list the substitute day instead.");
            }

            if (!holidays.TryAdd(date, record[2].Trim()))
            {
                throw new FormatException($"Bank holiday row {line}: {record[0]} is listed twice.");
            }
        }

        var years = holidays.Keys.Select(d => d.Year).ToHashSet();
        var missing = Enumerable.Range(years.Min(), years.Max() - years.Min() + 1).Where(y => !years.Contains(y)).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"The bank holiday list skips {string.Join(", ", missing)}.");
        }

        return new WorkingDayCalendar(holidays);
    }

    public bool IsBankHoliday(DateOnly date) => holidays.ContainsKey(date);

    public bool IsWorkingDay(DateOnly date)
    {
        EnsureCovered(date);
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.ContainsKey(date);
    }

    /// <summary>
    /// The <paramref name="workingDays"/>-th working day after <paramref name="from"/>: day 1 is the
    /// first working day strictly after it, whatever kind of day <paramref name="from"/> itself is.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workingDays);
        var day = from;
        var counted = 0;
        while (counted < workingDays)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    private void EnsureCovered(DateOnly date)
    {
        if (date.Year < FirstYear || date.Year > LastYear)
        {
            throw new BankHolidaysNotCoveredException(date.Year, FirstYear, LastYear);
        }
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}

/// <summary>A working-day sum reached a year the bank holiday list does not cover: the list needs its next years.</summary>
public sealed class BankHolidaysNotCoveredException(int year, int firstYear, int lastYear)
    : Exception($"The bank holiday list covers {firstYear}-{lastYear}, not {year}. An administrator must add {year}'s bank holidays before working days in it can be counted.")
{
    public int Year { get; } = year;
}
