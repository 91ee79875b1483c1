using Jtai.Strategy.Meetings.Recording;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>The shipped bank holiday list and the working-day arithmetic over it (no servers).</summary>
public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.EnglandAndWales();

    [Fact]
    public void The_shipped_list_covers_2018_to_2030_with_eight_holidays_a_year_except_the_years_with_extra_ones()
    {
        Assert.True(Calendar.FirstYear <= 2018);
        Assert.True(Calendar.LastYear >= 2030);
        var perYear = Calendar.BankHolidays.Keys.GroupBy(d => d.Year).ToDictionary(g => g.Key, g => g.Count());
        foreach (var year in Enumerable.Range(2018, 13))
        {
            var expected = year switch { 2022 => 10, 2023 => 9, _ => 8 };
            Assert.True(expected == perYear[year], $"{year}: {perYear[year]} bank holidays, expected {expected}");
        }
    }

    // Checked one by one against GOV.UK's england-and-wales list: Easter, the moved and one-off
    // holidays, and the substitute days when Christmas, Boxing Day or New Year's Day fall at a weekend.
    [Theory]
    [InlineData("2018-03-30", "Good Friday")]
    [InlineData("2019-04-22", "Easter Monday")]
    [InlineData("2020-05-08", "Early May bank holiday (VE day)")]
    [InlineData("2020-12-28", "Boxing Day (substitute day)")]
    [InlineData("2021-12-27", "Christmas Day (substitute day)")]
    [InlineData("2021-12-28", "Boxing Day (substitute day)")]
    [InlineData("2022-01-03", "New Year's Day (substitute day)")]
    [InlineData("2022-06-02", "Spring bank holiday")]
    [InlineData("2022-06-03", "Platinum Jubilee bank holiday")]
    [InlineData("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II")]
    [InlineData("2022-12-27", "Christmas Day (substitute day)")]
    [InlineData("2023-01-02", "New Year's Day (substitute day)")]
    [InlineData("2023-05-08", "Bank holiday for the coronation of King Charles III")]
    [InlineData("2024-03-29", "Good Friday")]
    [InlineData("2024-04-01", "Easter Monday")]
    [InlineData("2025-04-18", "Good Friday")]
    [InlineData("2026-04-06", "Easter Monday")]
    [InlineData("2026-12-28", "Boxing Day (substitute day)")]
    [InlineData("2027-03-26", "Good Friday")]
    [InlineData("2027-12-27", "Christmas Day (substitute day)")]
    [InlineData("2028-01-03", "New Year's Day (substitute day)")]
    [InlineData("2029-03-30", "Good Friday")]
    [InlineData("2030-04-22", "Easter Monday")]
    public void Known_holidays_are_listed_by_date_and_name(string date, string name)
    {
        Assert.Equal(name, Calendar.BankHolidays[DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [Theory]
    [InlineData("2020-05-04")] // VE day moved the early May holiday to Friday 8 May
    [InlineData("2022-05-30")] // the spring holiday moved to Thursday 2 June for the jubilee
    [InlineData("2021-12-25")] // a Saturday: the holiday is the substitute day
    [InlineData("2026-12-26")] // a Saturday
    public void Moved_and_weekend_dates_are_not_holidays(string date)
    {
        Assert.False(Calendar.IsBankHoliday(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Every_year_has_Good_Friday_two_days_before_Easter_Sunday_and_Easter_Monday_the_day_after()
    {
        foreach (var year in Enumerable.Range(2018, 13))
        {
            var easter = EasterSunday(year);
            Assert.Equal("Good Friday", Calendar.BankHolidays[easter.AddDays(-2)]);
            Assert.Equal("Easter Monday", Calendar.BankHolidays[easter.AddDays(1)]);
        }
    }

    [Theory]
    [InlineData("date,weekday,name\n2026-01-02,Thu,New Year's Day\n", "is a Fri")]
    [InlineData("date,weekday,name\n2026-01-03,Sat,New Year's Day\n", "weekend")]
    [InlineData("date,weekday,name\n2026-01-01,Thu,A\n2026-01-01,Thu,B\n", "twice")]
    [InlineData("date,weekday,name\n2025-01-01,Wed,A\n2027-01-01,Fri,B\n", "skips 2026")]
    [InlineData("day,name\n2026-01-01,A\n", "header")]
    public void A_list_with_a_mistake_is_refused(string csv, string because)
    {
        var error = Assert.Throws<FormatException>(() => WorkingDayCalendar.Parse(new StringReader(csv)));
        Assert.Contains(because, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counting_into_a_year_the_list_does_not_cover_is_refused_rather_than_guessed()
    {
        var error = Assert.Throws<BankHolidaysNotCoveredException>(() => Calendar.AddWorkingDays(new DateOnly(Calendar.LastYear, 12, 20), 15));
        Assert.Equal(Calendar.LastYear + 1, error.Year);
    }

    [Theory]
    [InlineData("2026-03-06", 1, "2026-03-09")] // Friday: day 1 is Monday
    [InlineData("2026-03-07", 1, "2026-03-09")] // Saturday: day 1 is Monday
    [InlineData("2026-04-02", 1, "2026-04-07")] // Thursday before Easter: Good Friday and Easter Monday skipped
    [InlineData("2026-03-02", 5, "2026-03-09")]
    public void Working_days_start_counting_the_day_after(string from, int days, string expected)
    {
        var parse = (string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(parse(expected), Calendar.AddWorkingDays(parse(from), days));
    }

    /// <summary>Meeus/Jones/Butcher: an independent check of the Easter rows, not the way they were written.</summary>
    private static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
