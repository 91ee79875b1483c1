using System.Globalization;

namespace Jtai.Strategy.Web.Apis;

/// <summary>The metrics service's API, called with the signed-in MASDG member's token.</summary>
public sealed class MetricsApiClient(HttpClient http)
{
    /// <summary>The figures of one period (a token such as 2026-03 or 2026-Q1), overall and by agency and team, optionally filtered.</summary>
    public Task<ApiResult<MetricsReport>> FiguresAsync(string period, string? agency, string? team, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<MetricsReport>(http, "api/metrics/figures" + Query(("period", period), ("by", "all"), ("agency", agency), ("team", team)), cancellationToken);

    /// <summary>
    /// One report per period of <paramref name="granularity"/> (day, week, month, quarter) from <paramref name="from"/> to
    /// <paramref name="to"/> (exclusive), overall figures only; every metric, or only <paramref name="metric"/>.
    /// </summary>
    public Task<ApiResult<TrendReport>> TrendAsync(string granularity, DateOnly from, DateOnly to, string? metric, string? agency, string? team, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<TrendReport>(http, "api/metrics/trends" + TrendQuery(granularity, from, to, metric, agency, team), cancellationToken);

    /// <summary>The quarterly exception report; without a quarter, the last closed one.</summary>
    public Task<ApiResult<MetricsExceptionReport>> ExceptionReportAsync(string? quarter, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<MetricsExceptionReport>(http, "api/metrics/exception-report" + Query(("quarter", quarter)), cancellationToken);

    /// <summary>One page of the open overdue circulations (every team's, or one team's), most overdue first.</summary>
    public Task<ApiResult<OverdueCirculationsPage>> OverdueCirculationsAsync(string? team, PageTrail page, CancellationToken cancellationToken) =>
        ApiGet.JsonAsync<OverdueCirculationsPage>(http, page.ApiQuery("api/metrics/overdue-circulations" + Query(("team", team))), cancellationToken);

    // The CSV downloads: the API's own files, passed on as they come (the browser holds no token to ask for them).
    public Task<HttpResponseMessage> FiguresCsvAsync(string period, string? agency, string? team, CancellationToken cancellationToken) =>
        ApiGet.StreamAsync(http, "api/metrics/figures.csv" + Query(("period", period), ("by", "all"), ("agency", agency), ("team", team)), cancellationToken);

    public Task<HttpResponseMessage> TrendCsvAsync(string granularity, DateOnly from, DateOnly to, string? metric, string? agency, string? team, CancellationToken cancellationToken) =>
        ApiGet.StreamAsync(http, "api/metrics/trends.csv" + TrendQuery(granularity, from, to, metric, agency, team), cancellationToken);

    public Task<HttpResponseMessage> OverdueCirculationsCsvAsync(string? team, CancellationToken cancellationToken) =>
        ApiGet.StreamAsync(http, "api/metrics/overdue-circulations.csv" + Query(("team", team)), cancellationToken);

    private static string TrendQuery(string granularity, DateOnly from, DateOnly to, string? metric, string? agency, string? team) =>
        Query(("granularity", granularity), ("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("metric", metric), ("by", "overall"), ("agency", agency), ("team", team));

    internal static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!.Trim())}").ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join('&', given);
    }
}

/// <summary>GETs shared by the MASDG's clients: JSON into a result, or a response to pass on (a CSV file).</summary>
internal static class ApiGet
{
    public static async Task<ApiResult<T>> JsonAsync<T>(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return response.IsSuccessStatusCode
            ? new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken), null)
            : new ApiResult<T>(default, await ApiProblem.ReadAsync(response, cancellationToken));
    }

    public static Task<HttpResponseMessage> StreamAsync(HttpClient http, string path, CancellationToken cancellationToken) =>
        http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}

/// <summary>A ratio as the API gives it: numerator and denominator, overall when neither agency nor team is set.</summary>
public sealed record MetricFigure(string Key, long Numerator, long Denominator, string? AgencyCode, string? TeamCode);

public sealed record DurationFigure(string Key, long Count, double? MedianMinutes, double? P90Minutes, string? AgencyCode, string? TeamCode);

public sealed record ReasonCount(string Key, string ReasonCode, long Count, string? TeamCode);

public sealed record MetricBreach(string RuleKey, string MetricKey, string Comparison, double Threshold, double Actual, string? AgencyCode, string? TeamCode, string Description);

public sealed record MetricsReport(
    string PeriodKind,
    string PeriodLabel,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    IReadOnlyList<MetricFigure> Figures,
    IReadOnlyList<DurationFigure> Durations,
    IReadOnlyList<ReasonCount> ReasonCounts,
    IReadOnlyList<MetricBreach> Breaches);

public sealed record TrendReport(string Granularity, string? Metric, IReadOnlyList<MetricsReport> Periods);

public sealed record ExceptionRuleView(string Key, string MetricKey, string Scope, string Comparison, double Threshold, string? Statistic, long MinimumDenominator, string? Description);

public sealed record MetricsExceptionReport(string Quarter, DateOnly PeriodStart, DateOnly PeriodEnd, IReadOnlyList<ExceptionRuleView> Rules, IReadOnlyList<MetricBreach> Breaches, MetricsReport Figures);

public sealed record OverdueCirculation(string MeetingReference, string TeamCode, DateTimeOffset Deadline, double HoursOverdue, int NoticesSent);

public sealed record OverdueCirculationsPage(DateTimeOffset AsOf, IReadOnlyList<OverdueCirculation> Items, bool HasMore, string? NextCursor);
