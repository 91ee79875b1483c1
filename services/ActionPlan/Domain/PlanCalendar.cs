using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.ActionPlan.Domain;

public sealed class ActionPlanOptions
{
    /// <summary>The partnership's time zone: decides what "today" is for overdue actions (configurable).</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>
    /// Load Durham's JTAI plan (code durham-jtai-2018), its reconstructed revisions, metric links and Table 1 of
    /// its progress report once at start-up. Off unless asked for (scripts/run.sh asks), and refused in Production:
    /// sample data must never sit beside a partnership's real plan as if it were fact.
    /// </summary>
    public bool SeedDurhamSamplePlan { get; set; }
}

/// <summary>Dates as the partnership counts them: today in its time zone, and calendar quarters.</summary>
public sealed partial class PlanCalendar(TimeProvider clock, IOptions<ActionPlanOptions> options)
{
    private readonly TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

    /// <summary>The first instant after <paramref name="day"/> in the partnership's time zone: "as at" a day means recorded before this.</summary>
    public DateTimeOffset EndOf(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);

    public static Quarter QuarterOf(DateOnly date) => new(date.Year, ((date.Month - 1) / 3) + 1);

    /// <summary>Reads "2019-Q1" (case-insensitive).</summary>
    public static bool TryParseQuarter(string? text, out Quarter quarter)
    {
        quarter = default;
        var match = text is null ? Match.Empty : QuarterPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        quarter = new Quarter(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value[0] - '0');
        return true;
    }

    [GeneratedRegex(@"^(\d{4})-[Qq]([1-4])$")]
    private static partial Regex QuarterPattern();
}

/// <summary>A calendar quarter: 2019-Q1 is 1 January to 31 March 2019.</summary>
public readonly record struct Quarter(int Year, int Number)
{
    public DateOnly FirstDay => new(Year, ((Number - 1) * 3) + 1, 1);

    public DateOnly LastDay => FirstDay.AddMonths(3).AddDays(-1);

    public override string ToString() => $"{Year}-Q{Number}";
}
