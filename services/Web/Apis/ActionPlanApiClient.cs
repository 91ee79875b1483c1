namespace Jtai.Strategy.Web.Apis;

/// <summary>The action plan service's API, called with the signed-in MASDG member's token.</summary>
public sealed class ActionPlanApiClient(HttpClient http)
{
    /// <summary>Progress by theme of the actions originally due by today, in the shape of the progress report's Table 1.</summary>
    public Task<ApiResult<ProgressReport>> ProgressAsync(string plan, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<ProgressReport>(http, $"api/plans/{Uri.EscapeDataString(plan)}/reports/progress", cancellationToken);

    /// <summary>
    /// The plan's actions originally due by <paramref name="dueBy"/> (the ones the progress table counts), in plan order,
    /// each with its status and whether its latest metric evidence is below target.
    /// </summary>
    public Task<ApiResult<List<PlanAction>>> ActionsDueByAsync(string plan, DateOnly dueBy, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<List<PlanAction>>(http, $"api/plans/{Uri.EscapeDataString(plan)}/actions?dueBy={dueBy:yyyy-MM-dd}", cancellationToken);

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
