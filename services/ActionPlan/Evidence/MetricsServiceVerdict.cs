using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.Contracts.Metrics;

namespace Jtai.Strategy.ActionPlan.Evidence;

/// <summary>
/// The metrics service owns the thresholds (docs/metrics.md, "One source of thresholds"). A publication carries the
/// rules it judged its figures by and the breaches it found; a link's evidence takes both, so the action plan's
/// exception report gives the metrics service's verdict for the same figure, never one of its own.
/// </summary>
public static class MetricsServiceVerdict
{
    public static void Judge(MetricEvidence evidence, MetricLink link, MetricFigure figure, AttendanceMetricsPublished publication)
    {
        var rules = (publication.Rules ?? []).Where(r => Covers(r, link, figure)).ToList();
        if (rules.Count == 0)
        {
            // No threshold for this figure: recorded, not judged. The link's own target is shown, judging nothing.
            evidence.Comparison = link.Comparison;
            evidence.Target = link.Target;
            evidence.Met = null;
            return;
        }

        // The metrics service's own verdict: breached when it published a breach of the rule for this figure.
        var judged = rules.Where(r => figure.Denominator > 0 && figure.Denominator >= r.MinimumDenominator).ToList();
        var breached = judged.Where(r => publication.Breaches.Any(b =>
            b.RuleKey == r.Key && string.Equals(b.AgencyCode, figure.AgencyCode, StringComparison.Ordinal) && b.TeamCode is null)).ToList();
        var shown = breached.FirstOrDefault() ?? judged.FirstOrDefault() ?? rules[0];
        evidence.Comparison = shown.Comparison is "lt" or "le" ? TargetComparison.AtLeast : TargetComparison.AtMost;
        evidence.Target = decimal.Round((decimal)shown.Threshold, 4);
        evidence.Met = judged.Count == 0 ? null : breached.Count == 0;
    }

    /// <summary>A ratio rule of the link's metric whose scope is the figure's: overall for an overall figure, agency for an agency's.</summary>
    private static bool Covers(ExceptionRuleApplied rule, MetricLink link, MetricFigure figure) =>
        string.Equals(rule.MetricKey, link.MetricKey, StringComparison.Ordinal)
        && rule.Statistic is null
        && figure.TeamCode is null
        && rule.Scope == (figure.AgencyCode is null ? "overall" : "agency");
}
