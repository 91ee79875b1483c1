namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// The national clock a section 47 enquiry starts (Working Together): an initial child protection
/// conference within 15 working days of the strategy discussion.
/// <para>
/// Read precisely: the strategy discussion date is the calendar date, in the partnership's time
/// zone, on which the meeting actually started; day 1 is the first working day after that date
/// (a Saturday meeting's day 1 is Monday, or Tuesday after a bank holiday Monday); the conference
/// is due by the end of working day 15. Working days are Monday to Friday other than England and
/// Wales bank holidays.
/// </para>
/// </summary>
public sealed class InitialConferenceClock(WorkingDayCalendar calendar, TimeZoneInfo timeZone)
{
    public const int WorkingDays = 15;

    /// <summary>The local calendar date of a moment (a meeting at 23:30 UTC in summer happened the next day in England).</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, timeZone).DateTime);

    /// <summary>The date by which the initial child protection conference is due.</summary>
    public DateOnly DueBy(DateOnly strategyDiscussionDate) => calendar.AddWorkingDays(strategyDiscussionDate, WorkingDays);

    public (DateOnly StrategyDiscussionDate, DateOnly DueBy) For(DateTimeOffset meetingStartedAt)
    {
        var discussed = LocalDate(meetingStartedAt);
        return (discussed, DueBy(discussed));
    }
}
