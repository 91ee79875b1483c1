using Jtai.Strategy.Meetings.Recording;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>The 24-hour circulation rule at its boundary, and its configurable numbers.</summary>
public sealed class CirculationClockTests
{
    private static readonly DateTimeOffset Ended = new(2026, 3, 2, 11, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("23:59:59", true)]
    [InlineData("1.00:00:00", true)] // the limit itself is within 24 hours
    [InlineData("1.00:00:00.0000001", false)]
    [InlineData("1.00:00:01", false)]
    [InlineData("3.00:00:00", false)]
    public void Circulation_within_24_hours_of_the_actual_end_is_on_time(string after, bool onTime)
    {
        var clock = CirculationClock.For(Ended, new RecordingOptions());
        var circulatedAt = Ended + TimeSpan.Parse(after, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(onTime, clock.IsOnTime(circulatedAt));
        Assert.Equal(onTime ? TimeSpan.Zero : circulatedAt - Ended - TimeSpan.FromHours(24), clock.LateBy(circulatedAt));
    }

    [Fact]
    public void The_warning_deadline_and_daily_repeats_follow_the_configured_numbers()
    {
        var durham = CirculationClock.For(Ended, new RecordingOptions());
        Assert.Equal(Ended.AddHours(20), durham.WarnAt);
        Assert.Equal(Ended.AddHours(24), durham.Deadline);
        Assert.Equal(Ended.AddHours(24), durham.OverdueNoticeAt(0));
        Assert.Equal(Ended.AddHours(72), durham.OverdueNoticeAt(2));

        var other = CirculationClock.For(Ended, new RecordingOptions
        {
            CirculateWithin = TimeSpan.FromHours(48),
            CirculationWarningAfter = TimeSpan.FromHours(36),
            OverdueRepeatEvery = TimeSpan.FromHours(12),
        });
        Assert.Equal(Ended.AddHours(36), other.WarnAt);
        Assert.Equal(Ended.AddHours(48), other.Deadline);
        Assert.Equal(Ended.AddHours(60), other.OverdueNoticeAt(1));
        Assert.True(other.IsOnTime(Ended.AddHours(47)));
    }

    [Fact]
    public void A_warning_at_or_after_the_deadline_is_refused_as_configuration()
    {
        var validator = new RecordingOptionsValidator();
        Assert.True(validator.Validate(null, new RecordingOptions()).Succeeded);
        Assert.True(validator.Validate(null, new RecordingOptions { CirculationWarningAfter = TimeSpan.FromHours(24) }).Failed);
        Assert.True(validator.Validate(null, new RecordingOptions { OverdueRepeatEvery = TimeSpan.Zero }).Failed);
        Assert.True(validator.Validate(null, new RecordingOptions { LocalTimeZone = "Mars/Olympus_Mons" }).Failed);
    }
}
