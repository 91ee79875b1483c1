using System.Globalization;
using Jtai.Strategy.BuildingBlocks.Text;
using Jtai.Strategy.Metrics.Infrastructure;

namespace Jtai.Strategy.Metrics.Apis;

/// <summary>
/// RFC 4180 CSV of one or more reports, one row per figure: ratios with numerator and denominator,
/// durations with count, median and p90, reasons with their count, and breaches with the rule.
/// </summary>
public static class MetricsCsv
{
    public const string ContentType = CsvWriter.ContentType;

    private static readonly string[] Header =
        ["period", "period_start", "period_end", "kind", "metric", "agency_code", "team_code", "reason_code", "numerator", "denominator", "ratio", "count", "median_minutes", "p90_minutes"];

    public static string Write(IEnumerable<MetricsReport> reports)
    {
        var csv = new CsvWriter(Header);
        foreach (var r in reports)
        {
            string[] period = [r.PeriodLabel, Date(r.PeriodStart), Date(r.PeriodEnd)];
            foreach (var f in r.Figures)
            {
                csv.Row([.. period, "ratio", f.Key, f.AgencyCode, f.TeamCode, null, Number(f.Numerator), Number(f.Denominator), Ratio(f.Numerator, f.Denominator), null, null, null]);
            }

            foreach (var d in r.Durations)
            {
                csv.Row([.. period, "duration", d.Key, d.AgencyCode, d.TeamCode, null, null, null, null, Number(d.Count), Minutes(d.MedianMinutes), Minutes(d.P90Minutes)]);
            }

            foreach (var c in r.ReasonCounts)
            {
                csv.Row([.. period, "reason", c.Key, null, c.TeamCode, c.ReasonCode, null, null, null, Number(c.Count), null, null]);
            }

            foreach (var b in r.Breaches)
            {
                csv.Row([.. period, "breach", b.MetricKey, b.AgencyCode, b.TeamCode, b.RuleKey, null, null, b.Actual.ToString("0.####", CultureInfo.InvariantCulture), null, null, null]);
            }
        }

        return csv.ToString();
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Ratio(long numerator, long denominator) =>
        denominator == 0 ? null : ((double)numerator / denominator).ToString("0.####", CultureInfo.InvariantCulture);

    private static string? Minutes(double? minutes) => minutes?.ToString("0.##", CultureInfo.InvariantCulture);
}
