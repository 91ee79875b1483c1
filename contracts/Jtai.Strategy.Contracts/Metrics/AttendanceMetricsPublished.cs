using MassTransit;

namespace Jtai.Strategy.Contracts.Metrics;

/// <summary>
/// A ratio always travels as numerator and denominator, never as a bare percentage. Null
/// <see cref="AgencyCode"/> and <see cref="TeamCode"/> mean overall; one of them set scopes the figure.
/// </summary>
public sealed record MetricFigure(string Key, long Numerator, long Denominator, string? AgencyCode = null, string? TeamCode = null);

/// <summary>A distribution of durations in minutes (e.g. decision to meeting).</summary>
public sealed record DurationFigure(string Key, long Count, double? MedianMinutes, double? P90Minutes, string? AgencyCode = null, string? TeamCode = null);

/// <summary>A count of things by a coded reason (e.g. decisions not to convene).</summary>
public sealed record ReasonCount(string Key, string ReasonCode, long Count, string? TeamCode = null);

/// <summary>An exception rule that a figure broke in the period.</summary>
public sealed record MetricBreach(
    string RuleKey,
    string MetricKey,
    string Comparison,
    double Threshold,
    double Actual,
    string? AgencyCode,
    string? TeamCode,
    string Description);

/// <summary>
/// An exception rule the metrics service judged the period's figures by: the one source of thresholds (docs/metrics.md).
/// <see cref="Scope"/> is overall, agency or team; <see cref="Comparison"/> lt, le, gt or ge (a figure breaches when
/// "actual Comparison Threshold"); ratios compare a fraction, durations the <see cref="Statistic"/> in minutes; figures
/// with a denominator (or count) under <see cref="MinimumDenominator"/> are not judged.
/// </summary>
public sealed record ExceptionRuleApplied(
    string Key,
    string MetricKey,
    string Scope,
    string Comparison,
    double Threshold,
    string? Statistic,
    long MinimumDenominator,
    string? Description);

/// <summary>
/// The attendance metrics of one period (period end exclusive). Consumed by the action-plan tracker
/// as evidence of impact. Versioned by adding members; keys are in <see cref="MetricKeys"/>.
/// </summary>
[MessageUrn("jtai-strategy:metrics:attendance-metrics-published:v1")]
[EntityName("jtai-strategy.metrics.attendance-metrics-published")]
public sealed record AttendanceMetricsPublished(
    Guid PublicationId,
    string PeriodKind,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    DateTimeOffset PublishedAt,
    IReadOnlyList<MetricFigure> Figures,
    IReadOnlyList<DurationFigure> Durations,
    IReadOnlyList<ReasonCount> ReasonCounts,
    IReadOnlyList<MetricBreach> Breaches,
    IReadOnlyList<ExceptionRuleApplied>? Rules = null)
{
    /// <summary>
    /// (Added, issue 13.) Every rule the figures were judged by, breached or not, so a consumer shows the metrics
    /// service's thresholds and verdicts instead of its own. Null in publications from before it was added.
    /// </summary>
    public IReadOnlyList<ExceptionRuleApplied>? Rules { get; init; } = Rules;
}

public static class PeriodKinds
{
    public const string Week = "week";
    public const string Month = "month";
    public const string Quarter = "quarter";
    public const string Custom = "custom";
}

/// <summary>The published metric keys. Add keys; never change what an existing key means.</summary>
public static class MetricKeys
{
    /// <summary>Invitations issued (numerator = denominator = count).</summary>
    public const string InvitationsIssued = "invitations.issued";

    /// <summary>Answered within the response limit / invitations issued.</summary>
    public const string AnsweredWithinLimit = "invitations.answered-within-limit";

    /// <summary>Attended in person or by dial-in / agencies invited to meetings held.</summary>
    public const string Attended = "attendance.attended";

    public const string AttendedInPerson = "attendance.in-person";

    public const string AttendedByDialIn = "attendance.dial-in";

    public const string WrittenContributionOnly = "attendance.written-only";

    public const string Absent = "attendance.absent";

    /// <summary>Invitations never answered / invitations issued.</summary>
    public const string NoAnswer = "invitations.no-answer";

    /// <summary>Meetings held more than 24 hours after the decision / meetings held.</summary>
    public const string MeetingsOver24HoursFromDecision = "convening.over-24h-from-decision";

    /// <summary>Circulations on time / meetings whose circulation fell due.</summary>
    public const string CirculatedOnTime = "circulation.on-time";

    /// <summary>Circulations overdue and still open at publication (numerator = denominator = count).</summary>
    public const string OverdueCirculationsOpen = "circulation.overdue-open";

    /// <summary>Meetings below the national minimum (social care, health, police) / meetings held.</summary>
    public const string BelowNationalMinimum = "attendance.below-national-minimum";

    /// <summary>GP invitations with a contribution (attended or written) / GP invitations.</summary>
    public const string GpContributions = "gp.contributions";

    public const string DecisionToMeeting = "convening.decision-to-meeting";

    public const string IncidentToMeeting = "convening.incident-to-meeting";

    public const string DecisionsNotToConvene = "convening.decisions-not-to-convene";

    /// <summary>Invitations delivered to at least one recipient of the agency / invitations issued.</summary>
    public const string Delivered = "invitations.delivered";

    /// <summary>Invitations whose answer came from a deputy SPOC / invitations issued.</summary>
    public const string AnsweredByDeputy = "invitations.answered-by-deputy";

    /// <summary>Meetings held (numerator = denominator = count).</summary>
    public const string MeetingsHeld = "meetings.held";

    /// <summary>Meetings past their record-due time (scheduled end + RecordDueAfter) with no record: held but not recorded, or not held.</summary>
    public const string MeetingsNotRecorded = "meetings.not-recorded";

    /// <summary>Meetings held that started a section 47 enquiry / meetings held.</summary>
    public const string SectionFortySevenStarted = "outcomes.section-47-started";
}
