using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.ActionPlan.Reports;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Text;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

/// <summary>The MASDG's reports, each as JSON (default), CSV (?format=csv) or a printable HTML page (?format=html).</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plans/{code}/reports").WithTags("Reports").RequireAuthorization(JtaiPolicies.Masdg);
        api.MapGet("/progress", Progress).Produces<ProgressReport>().Produces<string>(200, "text/csv", "text/html");
        api.MapGet("/exceptions", Exceptions).Produces<ExceptionReport>().Produces<string>(200, "text/csv", "text/html");
        return app;
    }

    /// <summary>
    /// Progress by theme for the actions originally due by <paramref name="dueBy"/> (default: today) — the shape of Table 1 —
    /// with statuses as the tracker had recorded them by the end of <paramref name="asAt"/> (default: today).
    /// </summary>
    public static async Task<Results<Ok<ProgressReport>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> Progress(
        string code, DateOnly? dueBy, DateOnly? asAt, string? format, HttpContext http, ActionPlanDbContext db, PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var wanted = ReportRendering.Negotiate(format, http.Request.Headers.Accept.ToString());
        var errors = new ValidationErrors()
            .When(wanted is null, "format", "format must be json, csv or html.")
            .When(asAt > today, "asAt", AsAtInFuture);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var plan = await db.Plans.AsNoTracking().Include(p => p.Themes).SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var day = asAt ?? today;
        var report = await PlanReports.ProgressAsync(db, plan, dueBy ?? today, day, calendar.EndOf(day), cancellationToken);
        return wanted switch
        {
            ReportFormat.Csv => Download(http, ReportRendering.ProgressCsv(report), CsvWriter.MediaType, $"{code}-progress-{report.DueBy:yyyy-MM-dd}.csv"),
            ReportFormat.Html => TypedResults.Text(ReportRendering.ProgressHtml(report), "text/html; charset=utf-8"),
            _ => TypedResults.Ok(report),
        };
    }

    /// <summary>
    /// The quarterly exception report for the executive; <paramref name="quarter"/> as 2019-Q1 (default: the last complete quarter),
    /// from what the tracker had recorded by the end of <paramref name="asAt"/> (default: today).
    /// </summary>
    public static async Task<Results<Ok<ExceptionReport>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> Exceptions(
        string code, string? quarter, DateOnly? asAt, string? format, HttpContext http, ActionPlanDbContext db, PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var errors = new ValidationErrors().When(asAt > today, "asAt", AsAtInFuture);
        var wanted = ReportRendering.Negotiate(format, http.Request.Headers.Accept.ToString());
        errors.When(wanted is null, "format", "format must be json, csv or html.");
        Quarter period;
        if (quarter is null)
        {
            period = PlanCalendar.QuarterOf(PlanCalendar.QuarterOf(today).FirstDay.AddDays(-1));
        }
        else if (!PlanCalendar.TryParseQuarter(quarter, out period))
        {
            errors.Add("quarter", "quarter must look like 2019-Q1.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var day = asAt ?? today;
        var report = await PlanReports.ExceptionsAsync(db, plan, period, day, calendar.EndOf(day), cancellationToken);
        return wanted switch
        {
            ReportFormat.Csv => Download(http, ReportRendering.ExceptionsCsv(report), CsvWriter.MediaType, $"{code}-exceptions-{report.Quarter}.csv"),
            ReportFormat.Html => TypedResults.Text(ReportRendering.ExceptionsHtml(report), "text/html; charset=utf-8"),
            _ => TypedResults.Ok(report),
        };
    }

    internal const string AsAtInFuture = "asAt cannot be in the future: a report reads the history as it was recorded by the end of that day.";

    internal static ContentHttpResult Download(HttpContext http, string content, string contentType, string fileName)
    {
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        return TypedResults.Text(content, contentType + "; charset=utf-8");
    }
}
