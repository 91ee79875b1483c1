using System.Globalization;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Infrastructure;

namespace Jtai.Strategy.Metrics.Domain;

/// <summary>
/// A configured exception rule, e.g. "an agency's attendance below 80% in a quarter". Ratio metrics
/// compare numerator/denominator (0..1); duration metrics compare the median or p90 in minutes.
/// </summary>
public sealed class ExceptionRule
{
    public const string Overall = "overall";
    public const string PerAgency = "agency";
    public const string PerTeam = "team";

    public string Key { get; set; } = string.Empty;

    public string MetricKey { get; set; } = string.Empty;

    /// <summary>overall, agency (each agency separately) or team (each team separately).</summary>
    public string Scope { get; set; } = Overall;

    /// <summary>lt, le, gt or ge: the figure breaches the rule when "actual Comparison Threshold" holds.</summary>
    public string Comparison { get; set; } = "lt";

    public double Threshold { get; set; }

    /// <summary>For duration metrics: median or p90.</summary>
    public string? Statistic { get; set; }

    /// <summary>Figures with a smaller denominator (or count) are not judged: one missed meeting is not a trend.</summary>
    public long MinimumDenominator { get; set; } = 1;

    /// <summary>Period kinds the rule applies to; empty means every kind, including custom ranges.</summary>
    public string[] PeriodKinds { get; set; } = [];

    public string? Description { get; set; }

    public bool IsDuration => MetricKey is MetricKeys.DecisionToMeeting or MetricKeys.IncidentToMeeting;

    public bool AppliesTo(string periodKind) => PeriodKinds.Length == 0 || PeriodKinds.Contains(periodKind, StringComparer.Ordinal);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Key))
        {
            yield return "Key is required.";
        }

        if (!KnownMetrics.Contains(MetricKey))
        {
            yield return $"MetricKey '{MetricKey}' is not a published metric key.";
        }

        if (Scope is not (Overall or PerAgency or PerTeam))
        {
            yield return $"Scope '{Scope}' must be overall, agency or team.";
        }

        if (Comparison is not ("lt" or "le" or "gt" or "ge"))
        {
            yield return $"Comparison '{Comparison}' must be lt, le, gt or ge.";
        }

        if (IsDuration && Statistic is not ("median" or "p90"))
        {
            yield return "Statistic must be median or p90 for a duration metric.";
        }

        if (IsDuration && Scope == PerAgency)
        {
            yield return "Duration metrics are per meeting: use scope overall or team.";
        }

        if (!IsDuration && Threshold is < 0 or > 1)
        {
            yield return "Threshold of a ratio metric is a fraction between 0 and 1 (0.8 for 80%).";
        }

        if (MinimumDenominator < 1)
        {
            yield return "MinimumDenominator must be at least 1.";
        }
    }

    /// <summary>The rule as it travels with a publication.</summary>
    public ExceptionRuleApplied Applied() => new(Key, MetricKey, Scope, Comparison, Threshold, IsDuration ? Statistic : null, MinimumDenominator, Description);

    public bool Breached(double actual) => Comparison switch
    {
        "lt" => actual < Threshold,
        "le" => actual <= Threshold,
        "gt" => actual > Threshold,
        _ => actual >= Threshold,
    };

    public string Describe(double actual, string? agency, string? team)
    {
        var scope = agency ?? team ?? "overall";
        var shown = IsDuration ? $"{actual.ToString("0.#", CultureInfo.InvariantCulture)} min" : actual.ToString("0.0%", CultureInfo.InvariantCulture);
        var threshold = IsDuration ? $"{Threshold.ToString("0.#", CultureInfo.InvariantCulture)} min" : Threshold.ToString("0.0%", CultureInfo.InvariantCulture);
        return $"{Description ?? Key} ({scope}: {shown}, rule {Comparison} {threshold})";
    }

    private static readonly HashSet<string> KnownMetrics = typeof(MetricKeys)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);
}

/// <summary>Judges a period's figures against the configured rules.</summary>
public static class ExceptionRuleEvaluator
{
    public static IReadOnlyList<MetricBreach> Evaluate(IEnumerable<ExceptionRule> rules, string periodKind, MetricsReport report)
    {
        var breaches = new List<MetricBreach>();
        foreach (var rule in rules.Where(r => r.AppliesTo(periodKind)))
        {
            if (rule.IsDuration)
            {
                foreach (var figure in report.Durations.Where(d => d.Key == rule.MetricKey && InScope(rule, d.AgencyCode, d.TeamCode) && d.Count >= rule.MinimumDenominator))
                {
                    var actual = rule.Statistic == "p90" ? figure.P90Minutes : figure.MedianMinutes;
                    if (actual is { } value && rule.Breached(value))
                    {
                        breaches.Add(new(rule.Key, rule.MetricKey, rule.Comparison, rule.Threshold, value, figure.AgencyCode, figure.TeamCode, rule.Describe(value, figure.AgencyCode, figure.TeamCode)));
                    }
                }

                continue;
            }

            foreach (var figure in report.Figures.Where(f => f.Key == rule.MetricKey && InScope(rule, f.AgencyCode, f.TeamCode) && f.Denominator >= rule.MinimumDenominator))
            {
                var actual = (double)figure.Numerator / figure.Denominator;
                if (rule.Breached(actual))
                {
                    breaches.Add(new(rule.Key, rule.MetricKey, rule.Comparison, rule.Threshold, actual, figure.AgencyCode, figure.TeamCode, rule.Describe(actual, figure.AgencyCode, figure.TeamCode)));
                }
            }
        }

        return breaches;
    }

    private static bool InScope(ExceptionRule rule, string? agency, string? team) => rule.Scope switch
    {
        ExceptionRule.PerAgency => agency is not null && team is null,
        ExceptionRule.PerTeam => team is not null && agency is null,
        _ => agency is null && team is null,
    };
}
