using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Projection;
using Jtai.Strategy.Metrics.Publishing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics.Apis;

/// <summary>A series of periods for a dashboard chart.</summary>
public sealed record TrendResponse(string Granularity, string? Metric, IReadOnlyList<MetricsReport> Periods);

/// <summary>The quarterly exception report to the board's executive: the quarter's breaches and the figures behind them.</summary>
public sealed record ExceptionReport(string Quarter, DateOnly PeriodStart, DateOnly PeriodEnd, IReadOnlyList<ExceptionRule> Rules, IReadOnlyList<MetricBreach> Breaches, MetricsReport Figures);

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/metrics").WithTags("Metrics");
        api.MapGet("/figures", GetFigures).RequireAuthorization(JtaiPolicies.Masdg);
        api.MapGet("/figures.csv", ExportFigures).RequireAuthorization(JtaiPolicies.Masdg);
        api.MapGet("/trends", GetTrends).RequireAuthorization(JtaiPolicies.Masdg);
        api.MapGet("/trends.csv", ExportTrends).RequireAuthorization(JtaiPolicies.Masdg);
        api.MapGet("/exception-report", GetExceptionReport).RequireAuthorization(JtaiPolicies.Masdg);
        api.MapPost("/rebuild", Rebuild).RequireAuthorization(JtaiPolicies.Administrator);
        return app;
    }

    /// <summary>Figures of one period, overall and by agency and/or team.</summary>
    public static async Task<Results<Ok<MetricsReport>, ValidationProblem>> GetFigures([AsParameters] FiguresRequest request, Publisher publisher, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var query = request.Validate(errors);
        return query is null ? TypedResults.ValidationProblem(errors.ToDictionary()) : TypedResults.Ok(await publisher.ReportAsync(query, cancellationToken));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportFigures([AsParameters] FiguresRequest request, Publisher publisher, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var query = request.Validate(errors);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var report = await publisher.ReportAsync(query, cancellationToken);
        return Csv([report], $"attendance-metrics-{report.PeriodLabel.Replace("..", "_to_", StringComparison.Ordinal)}.csv");
    }

    public static async Task<Results<Ok<TrendResponse>, ValidationProblem>> GetTrends([AsParameters] TrendsRequest request, Publisher publisher, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Validate(errors) is not { } trend)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var reports = await TrendAsync(trend.Queries, trend.Metric, publisher, cancellationToken);
        return TypedResults.Ok(new TrendResponse(trend.Queries[0].Period.Kind, trend.Metric, reports));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportTrends([AsParameters] TrendsRequest request, Publisher publisher, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Validate(errors) is not { } trend)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var reports = await TrendAsync(trend.Queries, trend.Metric, publisher, cancellationToken);
        return Csv(reports, $"attendance-metrics-trend-{trend.Queries[0].Period.Kind}.csv");
    }

    /// <summary>The quarterly exception report; without a quarter, the last closed one.</summary>
    public static async Task<Results<Ok<ExceptionReport>, ValidationProblem>> GetExceptionReport(
        string? quarter, Publisher publisher, ProjectionRules rules, IOptions<MetricsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        Period period;
        if (string.IsNullOrWhiteSpace(quarter))
        {
            var current = Period.Containing(PeriodKinds.Quarter, rules.LocalDate(clock.GetUtcNow()));
            period = Period.Containing(PeriodKinds.Quarter, current.Start.AddDays(-1));
        }
        else if (!Period.TryParse(quarter, out period) || period.Kind != PeriodKinds.Quarter)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quarter"] = ["quarter must look like 2026-Q1."] });
        }

        var report = await publisher.ReportAsync(new ReportQuery(period), cancellationToken);
        var quarterRules = options.Value.ExceptionRules.Where(r => r.AppliesTo(PeriodKinds.Quarter)).ToList();
        return TypedResults.Ok(new ExceptionReport(period.Label, period.Start, period.End, quarterRules, report.Breaches, report));
    }

    /// <summary>Rebuilds every figure from the event log (an administrator's repair tool; ingestion goes on, docs/metrics.md).</summary>
    public static async Task<Results<Ok<RebuildResult>, ProblemHttpResult>> Rebuild(ProjectionRebuilder rebuilder, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await rebuilder.RebuildAsync(cancellationToken));
        }
        catch (RebuildAlreadyRunningException ex)
        {
            return Problems.Conflict("Rebuild already running", ex.Message);
        }
    }

    private static async Task<IReadOnlyList<MetricsReport>> TrendAsync(IReadOnlyList<ReportQuery> queries, string? metric, Publisher publisher, CancellationToken cancellationToken)
    {
        var reports = await publisher.ReportsAsync(queries, cancellationToken);
        if (metric is null)
        {
            return reports;
        }

        return [.. reports.Select(r => r with
        {
            Figures = [.. r.Figures.Where(f => f.Key == metric)],
            Durations = [.. r.Durations.Where(d => d.Key == metric)],
            ReasonCounts = [.. r.ReasonCounts.Where(c => c.Key == metric)],
            Breaches = [.. r.Breaches.Where(b => b.MetricKey == metric)],
        })];
    }

    private static FileContentHttpResult Csv(IEnumerable<MetricsReport> reports, string fileName) =>
        TypedResults.File(System.Text.Encoding.UTF8.GetBytes(MetricsCsv.Write(reports)), MetricsCsv.ContentType, fileName);
}
