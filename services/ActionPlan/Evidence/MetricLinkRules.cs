using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.Contracts.Metrics;

namespace Jtai.Strategy.ActionPlan.Evidence;

/// <summary>What a metric link may say, for the API and the sample-data seeder alike.</summary>
public static class MetricLinkRules
{
    /// <summary>
    /// The published keys that are proportions (numerator / denominator of different things) and so can
    /// carry a target. Counts (invitations.issued, circulation.overdue-open) and durations cannot.
    /// </summary>
    public static readonly IReadOnlySet<string> RatioKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        MetricKeys.AnsweredWithinLimit,
        MetricKeys.Attended,
        MetricKeys.AttendedInPerson,
        MetricKeys.AttendedByDialIn,
        MetricKeys.WrittenContributionOnly,
        MetricKeys.Absent,
        MetricKeys.NoAnswer,
        MetricKeys.MeetingsOver24HoursFromDecision,
        MetricKeys.CirculatedOnTime,
        MetricKeys.BelowNationalMinimum,
        MetricKeys.GpContributions,
    };

    public static readonly IReadOnlySet<string> LinkablePeriodKinds = new HashSet<string>(StringComparer.Ordinal) { PeriodKinds.Week, PeriodKinds.Month, PeriodKinds.Quarter };

    public static ValidationErrors Validate(
        string? metricKey, TargetComparison? comparison, decimal? target, AgencyScope? scope, string? agencyCode, string? periodKind, int? minimumDenominator, string? description)
    {
        return new ValidationErrors()
            .When(metricKey is null || !RatioKeys.Contains(metricKey), "metricKey",
                $"metricKey must be a published proportion: {string.Join(", ", RatioKeys.Order(StringComparer.Ordinal))}.")
            .When(comparison is null, "comparison", "comparison is required: AtLeast or AtMost.")
            .When(target is null or < 0m or > 1m, "target", "target is a proportion from 0 to 1 (0.80 means 80%).")
            .When(target is { } t && decimal.Round(t, 4) != t, "target", "target has at most 4 decimal places.")
            .When(scope is null, "agencyScope", "agencyScope is required: Overall, EachAgency or Agency.")
            .When(scope == AgencyScope.Agency && string.IsNullOrWhiteSpace(agencyCode), "agencyCode", "agencyCode is required when agencyScope is Agency.")
            .When(scope is not null and not AgencyScope.Agency && !string.IsNullOrWhiteSpace(agencyCode), "agencyCode", "agencyCode is only for agencyScope Agency.")
            .MaxLength("agencyCode", agencyCode, 32)
            .When(periodKind is null || !LinkablePeriodKinds.Contains(periodKind), "periodKind", "periodKind must be week, month or quarter.")
            .When(minimumDenominator is < 1 or > 100000, "minimumDenominator", "minimumDenominator must be between 1 and 100000.")
            .Required("description", description, 500);
    }
}
