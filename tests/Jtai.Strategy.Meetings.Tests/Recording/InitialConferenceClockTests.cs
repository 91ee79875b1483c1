using System.Globalization;
using Jtai.Strategy.Meetings.Recording;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>
/// The section 47 clock: an initial child protection conference within 15 working days of the
/// strategy discussion, day 1 being the first working day after it. Every expected date below was
/// counted by hand on a calendar (the comment shows the skipped days).
/// </summary>
public sealed class InitialConferenceClockTests
{
    private static readonly InitialConferenceClock Clock = new(WorkingDayCalendar.EnglandAndWales(), TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    [Theory]
    [InlineData("2026-03-02", "2026-03-23")] // Monday, no holidays: three weeks later
    [InlineData("2026-04-01", "2026-04-24")] // Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr skipped
    [InlineData("2025-04-17", "2025-05-13")] // Maundy Thursday 2025: Good Friday, Easter Monday and the early May holiday
    [InlineData("2026-12-21", "2027-01-14")] // Christmas 2026: 25 Dec (Fri), 28 Dec (Boxing Day substitute), 1 Jan
    [InlineData("2027-12-23", "2028-01-18")] // Christmas 2027 at a weekend: 27 and 28 Dec substitutes, 3 Jan 2028 substitute
    [InlineData("2024-12-24", "2025-01-17")] // Christmas Eve 2024: 25, 26 Dec and 1 Jan midweek
    [InlineData("2026-05-23", "2026-06-15")] // Saturday of the spring bank holiday weekend: day 1 is Tuesday 26 May
    [InlineData("2026-08-28", "2026-09-21")] // Friday before the summer bank holiday Monday
    [InlineData("2022-06-01", "2022-06-24")] // Platinum Jubilee: Thursday 2 and Friday 3 June 2022
    public void The_conference_is_due_on_the_fifteenth_working_day_after_the_strategy_discussion(string discussed, string dueBy)
    {
        Assert.Equal(Date(dueBy), Clock.DueBy(Date(discussed)));
    }

    [Theory]
    [InlineData("2026-06-30T23:30:00Z", "2026-07-01", "2026-07-22")] // 00:30 BST on 1 July: the discussion was on the 1st
    [InlineData("2026-01-15T23:30:00Z", "2026-01-15", "2026-02-05")] // GMT in winter: still the 15th
    public void The_strategy_discussion_date_is_the_local_date_in_England(string startedAt, string discussed, string dueBy)
    {
        var (date, due) = Clock.For(DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture));
        Assert.Equal(Date(discussed), date);
        Assert.Equal(Date(dueBy), due);
    }

    private static DateOnly Date(string value) => DateOnly.Parse(value, CultureInfo.InvariantCulture);
}
