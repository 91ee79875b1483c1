using Jtai.Strategy.Contracts.Metrics;

namespace Jtai.Strategy.ActionPlan.Domain;

public enum TargetComparison
{
    /// <summary>The figure must be at least the target (e.g. attendance ≥ 0.80).</summary>
    AtLeast,

    /// <summary>The figure must be at most the target (e.g. unanswered invitations ≤ 0.05).</summary>
    AtMost,
}

public enum AgencyScope
{
    /// <summary>The partnership-wide figure (no agency, no team).</summary>
    Overall,

    /// <summary>Every per-agency figure, each judged on its own.</summary>
    EachAgency,

    /// <summary>One agency's figure (<see cref="MetricLink.AgencyCode"/>).</summary>
    Agency,
}

/// <summary>
/// Data, not code: a published attendance metric that is evidence of impact for an action, with the
/// target it must meet. Administrators edit links; each period's figures are judged against them.
/// </summary>
public sealed class MetricLink
{
    public Guid Id { get; init; }

    public Guid PlanId { get; init; }

    public Guid ActionId { get; set; }

    /// <summary>A key of <see cref="MetricKeys"/> (ratios only: a figure with numerator and denominator).</summary>
    public required string MetricKey { get; set; }

    public TargetComparison Comparison { get; set; }

    /// <summary>A proportion between 0 and 1 (0.80 = 80%).</summary>
    public decimal Target { get; set; }

    public AgencyScope AgencyScope { get; set; }

    public string? AgencyCode { get; set; }

    /// <summary>Which publications count (week, month, quarter): one granularity, so evidence does not flap between them.</summary>
    public required string PeriodKind { get; set; }

    /// <summary>Figures over fewer cases than this are recorded but not judged (3 of 4 is not a trend).</summary>
    public int MinimumDenominator { get; set; } = 1;

    public required string Description { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Version { get; set; } = 1;

    /// <summary>Does this figure of a publication speak to this link? Team figures never do (the plan is judged by agency).</summary>
    public bool Covers(MetricFigure figure) =>
        string.Equals(figure.Key, MetricKey, StringComparison.Ordinal)
        && figure.TeamCode is null
        && AgencyScope switch
        {
            AgencyScope.Overall => figure.AgencyCode is null,
            AgencyScope.EachAgency => figure.AgencyCode is not null,
            AgencyScope.Agency => string.Equals(figure.AgencyCode, AgencyCode, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

    public bool IsMetBy(decimal value) => Comparison == TargetComparison.AtLeast ? value >= Target : value <= Target;
}

/// <summary>One period's figure for a linked metric, recorded against the action with the target it was judged by.</summary>
public sealed class MetricEvidence
{
    public Guid Id { get; init; }

    public Guid ActionId { get; init; }

    /// <summary>Null once the link is deleted: the evidence stays as history but no longer decides the action's flag.</summary>
    public Guid? LinkId { get; set; }

    public Guid PublicationId { get; set; }

    public required string PeriodKind { get; init; }

    public DateOnly PeriodStart { get; init; }

    /// <summary>Exclusive, as published.</summary>
    public DateOnly PeriodEnd { get; init; }

    public DateTimeOffset PublishedAt { get; set; }

    public required string MetricKey { get; init; }

    /// <summary>Null for the overall figure.</summary>
    public string? AgencyCode { get; init; }

    public long Numerator { get; set; }

    public long Denominator { get; set; }

    /// <summary>Numerator / denominator; null when the denominator is 0.</summary>
    public decimal? Value { get; set; }

    public TargetComparison Comparison { get; set; }

    public decimal Target { get; set; }

    /// <summary>Null when not judged (no cases, or fewer than the link's minimum).</summary>
    public bool? Met { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}
