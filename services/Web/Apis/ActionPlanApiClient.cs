namespace Jtai.Strategy.Web.Apis;

/// <summary>The action plan service's API, called with the signed-in MASDG member's token.</summary>
public sealed class ActionPlanApiClient(HttpClient http)
{
    /// <summary>Progress by theme of the actions originally due by today, in the shape of the progress report's Table 1.</summary>
    public Task<ApiResult<ProgressReport>> ProgressAsync(string plan, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<ProgressReport>(http, $"api/plans/{Uri.EscapeDataString(plan)}/reports/progress", cancellationToken);

    /// <summary>
    /// The plan's actions originally due by <paramref name="dueBy"/> (the ones the progress table counts), in plan order,
    /// each with its status, the plan's evidence of impact text and its latest published figures: the API's paged list
    /// read to the end (a plan has tens of actions; Durham's 62).
    /// </summary>
    public Task<ApiResult<List<ActionWithEvidence>>> ActionsDueByAsync(string plan, DateOnly dueBy, CancellationToken cancellationToken) =>
        ApiCalls.GetAllPagesAsync<ActionWithEvidence>(http, $"api/plans/{Uri.EscapeDataString(plan)}/action-evidence?dueBy={dueBy:yyyy-MM-dd}", cancellationToken);

    /// <summary>One action with its texts and its status history.</summary>
    public Task<ApiResult<PlanActionDetail>> ActionAsync(string plan, string key, CancellationToken cancellationToken) =>
        ApiCalls.GetAsync<PlanActionDetail>(http, $"api/plans/{Uri.EscapeDataString(plan)}/actions/{Uri.EscapeDataString(key)}", cancellationToken);

    /// <summary>Records a new status with why (Yellow with the revised timescale and its approval); the API checks it all.</summary>
    public Task<ApiResult<PlanActionDetail>> ChangeStatusAsync(string plan, string key, StatusChangeForm form, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<PlanActionDetail>(http, HttpMethod.Post, $"api/plans/{Uri.EscapeDataString(plan)}/actions/{Uri.EscapeDataString(key)}/status", form, cancellationToken);

    /// <summary>The plan's quarterly exception report; without a quarter, the last complete one.</summary>
    public Task<ApiResult<PlanExceptionReport>> ExceptionReportAsync(string plan, string? quarter, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<PlanExceptionReport>(http, $"api/plans/{Uri.EscapeDataString(plan)}/reports/exceptions" + MetricsApiClient.Query(("quarter", quarter)), cancellationToken);

    /// <summary>The exception report as the API's CSV file.</summary>
    public Task<HttpResponseMessage> ExceptionReportCsvAsync(string plan, string? quarter, CancellationToken cancellationToken) =>
        ApiGet.StreamAsync(http, $"api/plans/{Uri.EscapeDataString(plan)}/reports/exceptions" + MetricsApiClient.Query(("quarter", quarter), ("format", "csv")), cancellationToken);

    /// <summary>The progress table as the API's CSV file.</summary>
    public Task<HttpResponseMessage> ProgressCsvAsync(string plan, CancellationToken cancellationToken) =>
        ApiGet.StreamAsync(http, $"api/plans/{Uri.EscapeDataString(plan)}/reports/progress?format=csv", cancellationToken);
}

public sealed record ProgressLine(int? ThemeNumber, string Theme, int Green, int Amber, int Yellow, int NotStarted, int Total, int Overdue);

public sealed record ProgressReport(string PlanCode, string PlanTitle, DateOnly DueBy, DateOnly JudgedOn, IReadOnlyList<ProgressLine> Themes, ProgressLine Totals);

public sealed record PlanAction(
    string Key,
    string Ref,
    int ThemeNumber,
    string Intent,
    string Lead,
    string? OriginalTimescaleText,
    DateOnly? OriginalDueDate,
    DateOnly? RevisedDueDate,
    DateOnly? DueDate,
    string Status,
    bool Overdue,
    bool EvidenceBelowTarget,
    DateTimeOffset? StatusChangedAt);

/// <summary>A published figure an action's evidence is judged on: the ratio, its target, and whether it was met (null: not judged, too few cases).</summary>
public sealed record EvidenceFigure(
    string MetricKey, string? AgencyCode, string PeriodKind, DateOnly PeriodStart, DateOnly PeriodEnd, long Numerator, long Denominator, decimal? Value,
    string Comparison, decimal Target, bool? Met);

public sealed record ActionWithEvidence(PlanAction Action, string ExpectedImpact, string EvidenceOfImpact, DateOnly? LatestEvidencePeriodEnd, IReadOnlyList<EvidenceFigure> LatestEvidence);

public sealed record StatusChange(string From, string To, string Reason, string ChangedByName, DateTimeOffset ChangedAt);

public sealed record PlanActionDetail(PlanAction Action, string AreaForImprovement, string ExpectedImpact, string EvidenceOfImpact, IReadOnlyList<StatusChange> StatusHistory);

/// <summary>The body of the status change: Yellow carries the revised timescale and who approved it, when.</summary>
public sealed record StatusChangeForm(string? Status, string? Reason, TimescaleRevisionForm? TimescaleRevision);

public sealed record TimescaleRevisionForm(DateOnly? RevisedDueDate, string? ApprovedBy, DateOnly? ApprovedOn);

public sealed record OverdueAction(string Key, int ThemeNumber, string Ref, string Intent, string Lead, DateOnly? OriginalDueDate, DateOnly? RevisedDueDate, DateOnly DueDate, string Status, int DaysOverdue);

public sealed record ExecutiveApproval(string Approver, string RoleOrMeeting, DateOnly ApprovedOn, string DocumentReference);

public sealed record RevisedTimescale(
    string Key, int ThemeNumber, string Intent, string Lead, DateOnly? PreviousDueDate, DateOnly RevisedDueDate, string ApprovedBy, DateOnly ApprovedOn, string Reason, string Status,
    ExecutiveApproval? Approval);

public sealed record MissedTarget(
    string Key, int ThemeNumber, string Intent, string Lead, string MetricKey, string? AgencyCode, string PeriodKind, DateOnly PeriodStart, DateOnly PeriodEnd,
    long Numerator, long Denominator, decimal? Value, string Comparison, decimal Target);

public sealed record AgencyConcerned(string Agency, int OverdueActions, int RevisedTimescales, int MissedTargets);

public sealed record PlanExceptionReport(
    string PlanCode, string PlanTitle, string Quarter, DateOnly From, DateOnly To, DateOnly JudgedOn,
    IReadOnlyList<OverdueAction> Overdue, IReadOnlyList<RevisedTimescale> RevisedTimescales, IReadOnlyList<MissedTarget> MissedTargets, IReadOnlyList<AgencyConcerned> AgenciesConcerned);
