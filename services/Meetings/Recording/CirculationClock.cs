namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// The 24-hour circulation rule for one meeting, from its actual end. The limit itself is on time:
/// circulated at exactly <see cref="Deadline"/> counts as within 24 hours, a tick later is late.
/// </summary>
public sealed record CirculationClock(DateTimeOffset MeetingEndedAt, DateTimeOffset WarnAt, DateTimeOffset Deadline, TimeSpan RepeatEvery)
{
    public static CirculationClock For(DateTimeOffset meetingEndedAt, RecordingOptions options) => new(
        meetingEndedAt,
        meetingEndedAt + options.CirculationWarningAfter,
        meetingEndedAt + options.CirculateWithin,
        options.OverdueRepeatEvery);

    /// <summary>
    /// The clock as the record holds it: its stored warning time and deadline, which stop following the end time once a
    /// notice fired (<see cref="MeetingRecord.CirculationDeadlineFixedAt"/>).
    /// </summary>
    public static CirculationClock Of(MeetingRecord record, TimeSpan repeatEvery) =>
        new(record.ActualEnd, record.CirculationWarnAt, record.CirculationDeadline, repeatEvery);

    public bool IsOnTime(DateTimeOffset circulatedAt) => circulatedAt <= Deadline;

    /// <summary>How late a circulation at <paramref name="circulatedAt"/> is (zero when on time).</summary>
    public TimeSpan LateBy(DateTimeOffset circulatedAt) => IsOnTime(circulatedAt) ? TimeSpan.Zero : circulatedAt - Deadline;

    /// <summary>When the overdue notice number <paramref name="repeat"/> (0 the first, at the deadline) is due.</summary>
    public DateTimeOffset OverdueNoticeAt(int repeat)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        return Deadline + (RepeatEvery * repeat);
    }
}
