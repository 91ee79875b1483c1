using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.ActionPlan.Reports;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

/// <summary>Issue a report: which one, as at which day (default today), and why when it was issued before.</summary>
public sealed record IssueReportRequest(IssuedReportKind? Kind, DateOnly? DueBy, string? Quarter, DateOnly? AsAt, string? Reason);

/// <summary>One issued version; <see cref="Report"/> is the content exactly as issued, <see cref="Intact"/> that it still matches its hash.</summary>
public sealed record IssuedReportView(
    Guid Id, string PlanCode, IssuedReportKind Kind, string Period, int Version, DateOnly AsAt, string ContentSha256, bool Intact, string? Reason, string IssuedBy,
    string IssuedByName, DateTimeOffset IssuedAt, JsonElement? Report);

/// <summary>
/// Reports as issued: the figures that went to the executive are stored with a SHA-256 of their canonical content, and a
/// re-issue is a new version with a reason, so what was issued can always be shown and checked.
/// </summary>
public static class IssuedReportsApi
{
    /// <summary>The canonical form hashed and stored: web JSON names, enums as names, declaration order, no whitespace.</summary>
    public static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() }, WriteIndented = false };

    public static IEndpointRouteBuilder MapIssuedReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plans/{code}/reports/issued").WithTags("Reports").RequireAuthorization(JtaiPolicies.Masdg);
        api.MapPost("/", Issue);
        api.MapGet("/", List);
        api.MapGet("/{id:guid}", Get);
        api.MapGet("/{id:guid}/content", Content).Produces<string>(200, "application/json");
        return app;
    }

    public static async Task<Results<Created<IssuedReportView>, ValidationProblem, ProblemHttpResult>> Issue(
        string code, IssueReportRequest request, ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock, PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var asAt = request.AsAt ?? today;
        var quarter = default(Quarter);
        var errors = new ValidationErrors()
            .When(request.Kind is null, "kind", "kind is required: Progress or Exceptions.")
            .When(request.Kind == IssuedReportKind.Progress && request.DueBy is null, "dueBy", "dueBy is required for a progress table.")
            .When(request.Kind == IssuedReportKind.Exceptions && !PlanCalendar.TryParseQuarter(request.Quarter, out quarter), "quarter",
                "quarter is required for an exception report and must look like 2019-Q1.")
            .When(asAt > today, "asAt", ReportsApi.AsAtInFuture)
            .MaxLength("reason", request.Reason, 2000);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var plan = await db.Plans.AsNoTracking().Include(p => p.Themes).SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var kind = request.Kind!.Value;
        var period = kind == IssuedReportKind.Progress ? request.DueBy!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : quarter.ToString();
        var before = calendar.EndOf(asAt);
        var content = kind == IssuedReportKind.Progress
            ? JsonSerializer.Serialize(await PlanReports.ProgressAsync(db, plan, request.DueBy!.Value, asAt, before, cancellationToken), Canonical)
            : JsonSerializer.Serialize(await PlanReports.ExceptionsAsync(db, plan, quarter, asAt, before, cancellationToken), Canonical);

        var latest = await db.IssuedReports.Where(r => r.PlanId == plan.Id && r.Kind == kind && r.Period == period).MaxAsync(r => (int?)r.Version, cancellationToken);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (latest is { } issued && reason is null)
        {
            return TypedResults.ValidationProblem(new ValidationErrors().Add("reason",
                $"This report was issued before (version {issued}); it is kept as issued. Re-issue it as a new version by giving the reason.").ToDictionary());
        }

        var actor = user.ToActor();
        var now = clock.GetUtcNow();
        var report = new IssuedReport
        {
            Id = Guid.CreateVersion7(now),
            PlanId = plan.Id,
            Kind = kind,
            Period = period,
            Version = (latest ?? 0) + 1,
            AsAt = asAt,
            Content = content,
            ContentSha256 = Sha256(content),
            Reason = reason,
            IssuedBySubject = actor.Subject,
            IssuedByName = actor.Name,
            IssuedAt = now,
        };
        db.IssuedReports.Add(report);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Conflict("Issued meanwhile", "Someone issued this report just now; reload the versions and re-issue with a reason if needed.");
        }

        return TypedResults.Created($"/api/plans/{code}/reports/issued/{report.Id}", View(plan.Code, report, withContent: true));
    }

    /// <summary>Every issued version, newest first within each report; <paramref name="kind"/> and <paramref name="period"/> narrow the list.</summary>
    public static async Task<Results<Ok<List<IssuedReportView>>, ProblemHttpResult>> List(
        string code, IssuedReportKind? kind, string? period, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var query = db.IssuedReports.AsNoTracking().Where(r => r.PlanId == plan.Id);
        query = kind is { } k ? query.Where(r => r.Kind == k) : query;
        query = period is { } p ? query.Where(r => r.Period == p) : query;
        var reports = await query.OrderBy(r => r.Kind).ThenBy(r => r.Period).ThenByDescending(r => r.Version).ToListAsync(cancellationToken);
        return TypedResults.Ok(reports.Select(r => View(plan.Code, r, withContent: false)).ToList());
    }

    public static async Task<Results<Ok<IssuedReportView>, ProblemHttpResult>> Get(string code, Guid id, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        var report = plan is null ? null : await db.IssuedReports.AsNoTracking().SingleOrDefaultAsync(r => r.PlanId == plan.Id && r.Id == id, cancellationToken);
        return report is null
            ? Problems.NotFound("Unknown issued report", $"Plan '{code}' has no issued report {id}.")
            : TypedResults.Ok(View(plan!.Code, report, withContent: true));
    }

    /// <summary>The content exactly as stored, byte for byte, so anyone can check it against its SHA-256 (e.g. with sha256sum).</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Content(string code, Guid id, HttpContext http, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        var report = plan is null ? null : await db.IssuedReports.AsNoTracking().SingleOrDefaultAsync(r => r.PlanId == plan.Id && r.Id == id, cancellationToken);
        if (report is null)
        {
            return Problems.NotFound("Unknown issued report", $"Plan '{code}' has no issued report {id}.");
        }

        http.Response.Headers["X-Content-SHA256"] = report.ContentSha256;
        return ReportsApi.Download(http, report.Content, "application/json",
            $"{code}-{report.Kind.ToString().ToLowerInvariant()}-{report.Period}-v{report.Version}.json");
    }

    public static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static IssuedReportView View(string planCode, IssuedReport r, bool withContent)
    {
        JsonElement? content = null;
        if (withContent)
        {
            using var document = JsonDocument.Parse(r.Content);
            content = document.RootElement.Clone();
        }

        return new IssuedReportView(r.Id, planCode, r.Kind, r.Period, r.Version, r.AsAt, r.ContentSha256, Sha256(r.Content) == r.ContentSha256, r.Reason,
            r.IssuedBySubject, r.IssuedByName, r.IssuedAt, content);
    }
}
