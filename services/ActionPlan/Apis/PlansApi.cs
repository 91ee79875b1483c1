using System.Text;
using System.Text.RegularExpressions;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Import;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

public static partial class PlansApi
{
    private const int MaxCsvBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plans").WithTags("Plans");
        api.MapGet("/", ListPlans).RequireAuthorization(PlanPolicies.PlanReaders);
        api.MapGet("/{code}", GetPlan).RequireAuthorization(PlanPolicies.PlanReaders);
        api.MapPut("/{code}", ImportPlan).RequireAuthorization(JtaiPolicies.Administrator).Accepts<string>("text/csv");
        api.MapPost("/{code}/timescale-revisions", ImportRevisions).RequireAuthorization(JtaiPolicies.Administrator).Accepts<string>("text/csv");
        return app;
    }

    public static async Task<Ok<List<PlanSummary>>> ListPlans(ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plans = await db.Plans.AsNoTracking().Include(p => p.Themes).OrderBy(p => p.Code).ToListAsync(cancellationToken);
        var summaries = new List<PlanSummary>();
        foreach (var plan in plans)
        {
            summaries.Add(await SummariseAsync(db, plan, cancellationToken));
        }

        return TypedResults.Ok(summaries);
    }

    public static async Task<Results<Ok<PlanSummary>, ProblemHttpResult>> GetPlan(string code, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.Themes).SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        return plan is null ? ApiMapping.UnknownPlan(code) : TypedResults.Ok(await SummariseAsync(db, plan, cancellationToken));
    }

    /// <summary>Creates a plan from a plan CSV (text/csv body). A plan is imported once; its progress is then kept through the API.</summary>
    public static async Task<Results<Created<PlanSummary>, ValidationProblem, ProblemHttpResult>> ImportPlan(
        string code, string? title, HttpRequest request, System.Security.Claims.ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors()
            .When(!PlanCode().IsMatch(code), "code", "code must be 2-63 lower-case letters, digits or hyphens, e.g. durham-jtai-2018.")
            .Required("title", title);
        var (csv, unreadable) = await ReadCsvAsync(request, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var rows = PlanCsv.Read(new StringReader(csv), errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The plan CSV was not imported.");
        }

        if (await db.Plans.AnyAsync(p => p.Code == code, cancellationToken))
        {
            return Problems.Conflict("Plan already imported", $"A plan with code '{code}' exists; import under a new code.");
        }

        var plan = PlanImporter.Build(code, title!.Trim(), rows, user.ToActor(), clock.GetUtcNow());
        db.Plans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/plans/{code}", Summarise(plan, plan.Actions));
    }

    /// <summary>Records revisions the imported plan already shows (its timescale is the revised one) and marks those actions Yellow.</summary>
    public static async Task<Results<Ok<RevisionsImported>, ValidationProblem, ProblemHttpResult>> ImportRevisions(
        string code, HttpRequest request, System.Security.Claims.ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock, PlanCalendar calendar,
        CancellationToken cancellationToken)
    {
        var (csv, unreadable) = await ReadCsvAsync(request, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var errors = new ValidationErrors();
        var rows = RevisionsCsv.Read(new StringReader(csv), calendar.Today(), errors);
        var actions = await db.Actions.Include(a => a.Revisions).Where(a => a.PlanId == plan.Id).ToListAsync(cancellationToken);
        var revised = errors.Any ? [] : PlanImporter.ApplyEarlierRevisions(actions, rows, user.ToActor(), clock.GetUtcNow(), errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The revisions CSV was not applied (none of its rows were).");
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new RevisionsImported(code, revised.Select(a => a.Key).ToList()));
    }

    private static async Task<PlanSummary> SummariseAsync(ActionPlanDbContext db, Plan plan, CancellationToken cancellationToken) =>
        Summarise(plan, await db.Actions.AsNoTracking().Where(a => a.PlanId == plan.Id).ToListAsync(cancellationToken));

    private static PlanSummary Summarise(Plan plan, IReadOnlyCollection<PlanAction> actions) => new(
        plan.Code, plan.Title, plan.ImportedAt, plan.ImportedBy, actions.Count,
        plan.Themes.OrderBy(t => t.Number)
            .Select(t => new ThemeSummary(t.Number, t.Name, actions.Count(a => a.ThemeNumber == t.Number), actions.Count(a => a.ThemeNumber == t.Number && a.OriginalDueDate is null)))
            .ToList());

    /// <summary>The body as text when it is CSV (text/csv or text/plain, UTF-8) of at most 2 MB; otherwise the problem to answer with.</summary>
    internal static async Task<(string Csv, ProblemHttpResult? Problem)> ReadCsvAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var type = request.ContentType ?? string.Empty;
        if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return (string.Empty, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Send the file as CSV",
                "The body must be a CSV file with Content-Type: text/csv (UTF-8)."));
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[MaxCsvBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return read > MaxCsvBytes || request.ContentLength > MaxCsvBytes
            ? (string.Empty, Problems.Of(StatusCodes.Status413PayloadTooLarge, "File too large", $"A plan CSV may be at most {MaxCsvBytes / 1024 / 1024} MB."))
            : (new string(buffer, 0, read), null);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex PlanCode();
}
