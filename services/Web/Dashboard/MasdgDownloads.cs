using Jtai.Strategy.Web.Apis;
using Jtai.Strategy.Web.SignIn;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Web.Dashboard;

/// <summary>
/// The CSV downloads of the MASDG's pages. The browser holds no token, so the web service asks the API with the user's
/// token and passes the API's file on unchanged (its columns, its file name), streamed rather than buffered.
/// </summary>
public static class MasdgDownloads
{
    public static IEndpointRouteBuilder MapMasdgDownloads(this IEndpointRouteBuilder app)
    {
        var downloads = app.MapGroup("/masdg").RequireAuthorization(WebPolicies.Masdg);
        downloads.MapGet("/figures.csv", (string? period, string? agency, string? team, MetricsApiClient metrics, HttpContext http, CancellationToken cancellationToken) =>
            PassOnAsync(http, metrics.FiguresCsvAsync(period ?? string.Empty, agency, team, cancellationToken), cancellationToken));
        downloads.MapGet("/trends.csv", (string? agency, string? team, string? granularity, string? metric, MetricsApiClient metrics, LondonTime time, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        {
            var (from, to) = TrendsPage.LastTwelveMonths(Periods.Today(time, clock));
            return PassOnAsync(http, metrics.TrendCsvAsync(TrendsPage.GranularityOf(granularity), from, to, TrendsPage.MetricOf(metric), agency, team, cancellationToken), cancellationToken);
        });
        downloads.MapGet("/overdue-circulations.csv", (string? team, MetricsApiClient metrics, HttpContext http, CancellationToken cancellationToken) =>
            PassOnAsync(http, metrics.OverdueCirculationsCsvAsync(team, cancellationToken), cancellationToken));
        downloads.MapGet("/action-plan/progress.csv", (ActionPlanApiClient plans, IOptions<WebOptions> options, HttpContext http, CancellationToken cancellationToken) =>
            PassOnAsync(http, plans.ProgressCsvAsync(options.Value.ActionPlanCode, cancellationToken), cancellationToken));
        downloads.MapGet("/action-plan/exception-report.csv", (string? quarter, ActionPlanApiClient plans, IOptions<WebOptions> options, HttpContext http, CancellationToken cancellationToken) =>
            PassOnAsync(http, plans.ExceptionReportCsvAsync(options.Value.ActionPlanCode, string.IsNullOrWhiteSpace(quarter) ? null : quarter.Trim(), cancellationToken), cancellationToken));
        return app;
    }

    private static async Task PassOnAsync(HttpContext http, Task<HttpResponseMessage> call, CancellationToken cancellationToken)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            // The status alone: the status pages say it in words (a 400 for a period the API does not know, a 403).
            http.Response.StatusCode = (int)response.StatusCode;
            return;
        }

        http.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "text/csv; charset=utf-8";
        if (response.Content.Headers.ContentDisposition is { } disposition)
        {
            http.Response.Headers.ContentDisposition = disposition.ToString();
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(http.Response.Body, cancellationToken);
    }
}
