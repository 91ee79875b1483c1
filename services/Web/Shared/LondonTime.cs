using System.Globalization;

namespace Jtai.Strategy.Web;

/// <summary>Shows instants in the partnership's time zone (Europe/London: GMT or BST), in GOV.UK's date style (English names: the invariant culture is English and the build is culture-invariant).</summary>
public sealed class LondonTime(string timeZone)
{
    private readonly TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>E.g. "Thursday 3 December 2026, 2:30pm".</summary>
    public string DateAndTime(DateTimeOffset instant)
    {
        var local = Local(instant);
        return local.ToString("dddd d MMMM yyyy", English) + ", " + Time(instant);
    }

    /// <summary>E.g. "Thu 3 Dec, 2:30pm": for a detail beside other text, where the full date would crowd it.</summary>
    public string ShortDateAndTime(DateTimeOffset instant) => Local(instant).ToString("ddd d MMM", English) + ", " + Time(instant);

    /// <summary>E.g. "2:30pm" (GOV.UK style: 12-hour clock, no leading zero; midday and midnight named).</summary>
    public string Time(DateTimeOffset instant)
    {
        var local = Local(instant);
        return (local.Hour, local.Minute) switch
        {
            (12, 0) => "midday",
            (0, 0) => "midnight",
            // "%h", not "h": a one-letter format string is read as a standard format, and "h" is none (FormatException on the hour).
            _ => local.ToString(local.Minute == 0 ? "%h" : "h:mm", English) + (local.Hour < 12 ? "am" : "pm"),
        };
    }

    /// <summary>
    /// The instant of a date and time typed as UK time ("3/12/2026", "14:30"), or null when either does not read as one.
    /// A time skipped by the clocks going forward reads as the hour after; one repeated going back, as the first (GMT+1).
    /// </summary>
    public DateTimeOffset? FromTyped(string? date, string? time)
    {
        if (!DateTime.TryParseExact(date?.Trim(), ["d/M/yyyy", "d M yyyy", "yyyy-MM-dd"], English, DateTimeStyles.None, out var day)
            || !TimeSpan.TryParseExact(time?.Trim().Replace('.', ':'), [@"h\:mm", @"hh\:mm"], English, out var clock)
            || clock >= TimeSpan.FromDays(1))
        {
            return null;
        }

        var local = DateTime.SpecifyKind(day + clock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The stamp for a &lt;time datetime&gt; attribute.</summary>
    public static string Machine(DateTimeOffset instant) => instant.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}
