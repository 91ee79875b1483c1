using System.Security.Claims;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jtai.Strategy.ActionPlan.Apis;

public sealed record ThemeSummary(int Number, string Name, int Actions, int Undated);

public sealed record PlanSummary(string Code, string Title, DateTimeOffset ImportedAt, string ImportedBy, int Actions, IReadOnlyList<ThemeSummary> Themes);

public sealed record ActionSummary(
    string Key,
    string Ref,
    int ThemeNumber,
    string Intent,
    string Lead,
    string? OriginalTimescaleText,
    DateOnly? OriginalDueDate,
    DateOnly? RevisedDueDate,
    DateOnly? DueDate,
    ActionStatus Status,
    bool Overdue,
    bool EvidenceBelowTarget,
    DateTimeOffset? StatusChangedAt);

/// <summary>One history entry; <see cref="Source"/> says whether a user recorded it or it came from a document.</summary>
public sealed record StatusChangeView(
    ActionStatus From, ActionStatus To, string Reason, string ChangedBy, string ChangedByName, DateTimeOffset ChangedAt, Guid? TimescaleRevisionId, Provenance Source);

/// <summary>
/// A revision; <see cref="ExecutiveDecision"/> is the recorded decision it rests on, or null where the approval is only the
/// free text <see cref="ApprovedBy"/> / <see cref="ApprovedOn"/> (<see cref="ApprovalRecord"/> says which).
/// </summary>
public sealed record TimescaleRevisionView(
    Guid Id, DateOnly? PreviousDueDate, string? PreviousTimescaleText, DateOnly RevisedDueDate, string ApprovedBy, DateOnly ApprovedOn, string Reason, string RecordedBy,
    DateTimeOffset RecordedAt, Provenance Source, string ApprovalRecord, ExecutiveDecisionView? ExecutiveDecision);

public sealed record MetricLinkView(
    Guid Id, string ActionKey, string MetricKey, TargetComparison Comparison, decimal Target, AgencyScope AgencyScope, string? AgencyCode, string PeriodKind,
    int MinimumDenominator, string Description, string UpdatedBy, DateTimeOffset UpdatedAt);

public sealed record EvidenceView(
    string MetricKey, string? AgencyCode, string PeriodKind, DateOnly PeriodStart, DateOnly PeriodEnd, long Numerator, long Denominator, decimal? Value,
    TargetComparison Comparison, decimal Target, bool? Met, Guid PublicationId, DateTimeOffset PublishedAt);

public sealed record ActionDetail(
    ActionSummary Action,
    string AreaForImprovement,
    string OversightGroup,
    string ExpectedImpact,
    string EvidenceOfImpact,
    DateOnly? LatestEvidencePeriodEnd,
    IReadOnlyList<StatusChangeView> StatusHistory,
    IReadOnlyList<TimescaleRevisionView> TimescaleRevisions,
    IReadOnlyList<MetricLinkView> MetricLinks,
    IReadOnlyList<EvidenceView> Evidence);

/// <summary>
/// An action with its evidence (<c>GET /api/plans/{code}/action-evidence</c>): the plan's expected impact and evidence of
/// impact text, and the latest published figures of each current metric link.
/// </summary>
public sealed record ActionEvidence(
    ActionSummary Action, string ExpectedImpact, string EvidenceOfImpact, DateOnly? LatestEvidencePeriodEnd, IReadOnlyList<EvidenceView> LatestEvidence);

/// <summary>Yellow needs <see cref="TimescaleRevision"/>: the revised timescale and who in the executive approved it, when.</summary>
public sealed record ChangeStatusRequest(ActionStatus? Status, string? Reason, TimescaleRevisionRequest? TimescaleRevision);

/// <summary>
/// The revised timescale and its approval: <see cref="ExecutiveDecisionId"/>, a decision recorded through
/// /executive-decisions (who, role or meeting, when, document reference); or, as before, free-text approvedBy and approvedOn.
/// </summary>
public sealed record TimescaleRevisionRequest(DateOnly? RevisedDueDate, string? ApprovedBy, DateOnly? ApprovedOn, Guid? ExecutiveDecisionId = null);

public sealed record MetricLinkRequest(
    string? ActionKey, string? MetricKey, TargetComparison? Comparison, decimal? Target, AgencyScope? AgencyScope, string? AgencyCode, string? PeriodKind,
    int? MinimumDenominator, string? Description);

public sealed record RevisionsImported(string PlanCode, IReadOnlyList<string> RevisedActions);

/// <summary>The authorization policies of the plan's endpoints beyond the shared roles.</summary>
public static class PlanPolicies
{
    /// <summary>Who may read the plan itself (not the reports): the MASDG, and administrators who keep the plan and its links.</summary>
    public const string PlanReaders = nameof(PlanReaders);
}

internal static class ApiMapping
{
    public static Actor ToActor(this ClaimsPrincipal user) => new(user.SubjectId(), user.Identity?.Name ?? user.SubjectId());

    public static ActionSummary ToSummary(this PlanAction a, DateOnly today) => new(
        a.Key, a.Ref, a.ThemeNumber, a.Intent, a.Lead, a.OriginalTimescaleText, a.OriginalDueDate, a.RevisedDueDate, a.DueDate, a.Status, a.IsOverdue(today),
        a.EvidenceBelowTarget, a.StatusChangedAt);

    public static MetricLinkView ToView(this MetricLink l, string actionKey) => new(
        l.Id, actionKey, l.MetricKey, l.Comparison, l.Target, l.AgencyScope, l.AgencyCode, l.PeriodKind, l.MinimumDenominator, l.Description, l.UpdatedBy, l.UpdatedAt);

    public static EvidenceView ToView(this MetricEvidence e) => new(
        e.MetricKey, e.AgencyCode, e.PeriodKind, e.PeriodStart, e.PeriodEnd, e.Numerator, e.Denominator, e.Value, e.Comparison, e.Target, e.Met, e.PublicationId, e.PublishedAt);

    /// <summary>How a revision's approval is recorded: a decision record, or only the free text typed with it.</summary>
    public static string ApprovalRecord(Guid? decisionId) => decisionId is null ? "FreeText" : "ExecutiveDecision";

    public static ProblemHttpResult UnknownPlan(string code) => Problems.NotFound("Unknown plan", $"No plan has code '{code}'.");

    public static ProblemHttpResult UnknownAction(string code, string key) => Problems.NotFound("Unknown action", $"Plan '{code}' has no action '{key}'.");
}
