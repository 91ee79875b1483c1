using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Import;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.ActionPlan.Reports;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

public sealed record PublishedLineView(int? ThemeNumber, string Theme, int Green, int Amber, int Yellow, int NotStarted, int Total);

public sealed record PublishedTableView(
    Guid Id, string PlanCode, string SourceDocument, DateOnly PublishedOn, DateOnly DueBy, string ContentSha256, string ImportedBy, string ImportedByName,
    DateTimeOffset ImportedAt, IReadOnlyList<PublishedLineView> Lines);

/// <summary>
/// Progress tables as published documents gave them (imported as issued, never edited), and each one beside the
/// tracker's own table for the same date: where the two differ and why.
/// </summary>
public static class PublishedTablesApi
{
    public static IEndpointRouteBuilder MapPublishedTablesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plans/{code}/published-progress-tables").WithTags("Published progress tables");
        api.MapGet("/", List).RequireAuthorization(PlanPolicies.PlanReaders);
        api.MapPost("/", Import).RequireAuthorization(JtaiPolicies.Administrator).Accepts<string>("text/csv");
        api.MapGet("/{id:guid}/comparison", Compare).RequireAuthorization(JtaiPolicies.Masdg);
        return app;
    }

    public static async Task<Results<Ok<List<PublishedTableView>>, ProblemHttpResult>> List(string code, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var tables = await db.PublishedProgressTables.AsNoTracking().Include(t => t.Lines).Where(t => t.PlanId == plan.Id)
            .OrderBy(t => t.PublishedOn).ThenBy(t => t.ImportedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(tables.Select(t => View(plan, t)).ToList());
    }

    /// <summary>
    /// Imports a published table (text/csv body) with the document it is in (<paramref name="sourceDocument"/>), its date
    /// and the due-by date it counts. Stored as given, with a SHA-256 of the file; the database refuses later changes.
    /// </summary>
    public static async Task<Results<Created<PublishedTableView>, ValidationProblem, ProblemHttpResult>> Import(
        string code, string? sourceDocument, DateOnly? publishedOn, DateOnly? dueBy, HttpRequest request, ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock,
        PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var (csv, unreadable) = await PlansApi.ReadCsvAsync(request, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var plan = await db.Plans.AsNoTracking().Include(p => p.Themes).SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var errors = new ValidationErrors()
            .Required("sourceDocument", sourceDocument?.Trim(), 500)
            .When(publishedOn is null, "publishedOn", "publishedOn is required: the date of the document.")
            .When(publishedOn > calendar.Today(), "publishedOn", "publishedOn cannot be in the future.")
            .When(dueBy is null, "dueBy", "dueBy is required: the table counts the actions originally due by this date.");
        var lines = PublishedTableCsv.Read(new StringReader(csv), plan.Themes.Select(t => t.Number).ToHashSet(), errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The published table was not imported.");
        }

        var source = sourceDocument!.Trim();
        if (await db.PublishedProgressTables.AnyAsync(t => t.PlanId == plan.Id && t.SourceDocument == source && t.DueBy == dueBy, cancellationToken))
        {
            return Problems.Conflict("Already imported", $"The table of '{source}' for {dueBy:yyyy-MM-dd} is already imported; it is kept as issued.");
        }

        var table = Build(plan.Id, source, publishedOn!.Value, dueBy!.Value, csv, lines, user.ToActor(), clock.GetUtcNow());
        db.PublishedProgressTables.Add(table);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/plans/{code}/published-progress-tables", View(plan, table));
    }

    /// <summary>The published table beside the tracker's table for its due-by date, with statuses as recorded by the end of <paramref name="asAt"/> (default today).</summary>
    public static async Task<Results<Ok<ProgressComparison>, ValidationProblem, ProblemHttpResult>> Compare(
        string code, Guid id, DateOnly? asAt, ActionPlanDbContext db, PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        if (asAt > today)
        {
            return TypedResults.ValidationProblem(new ValidationErrors().Add("asAt", ReportsApi.AsAtInFuture).ToDictionary());
        }

        var plan = await db.Plans.AsNoTracking().Include(p => p.Themes).SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        var table = plan is null
            ? null
            : await db.PublishedProgressTables.AsNoTracking().Include(t => t.Lines).SingleOrDefaultAsync(t => t.PlanId == plan.Id && t.Id == id, cancellationToken);
        if (plan is null || table is null)
        {
            return Problems.NotFound("Unknown published table", $"Plan '{code}' has no published progress table {id}.");
        }

        var day = asAt ?? today;
        var actions = await PlanReports.ActionsAsAtAsync(db, plan, calendar.EndOf(day), cancellationToken);
        return TypedResults.Ok(ProgressComparisons.Compare(plan, table, day, actions));
    }

    public static PublishedProgressTable Build(
        Guid planId, string sourceDocument, DateOnly publishedOn, DateOnly dueBy, string csv, IReadOnlyList<PublishedProgressLine> lines, Actor actor, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        return new PublishedProgressTable
        {
            Id = id,
            PlanId = planId,
            SourceDocument = sourceDocument,
            PublishedOn = publishedOn,
            DueBy = dueBy,
            ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv))),
            ImportedBySubject = actor.Subject,
            ImportedByName = actor.Name,
            ImportedAt = now,
            Lines = lines.Select(l => new PublishedProgressLine
            {
                TableId = id, Ordinal = l.Ordinal, ThemeNumber = l.ThemeNumber, Theme = l.Theme, Green = l.Green, Amber = l.Amber, Yellow = l.Yellow, Total = l.Total,
            }).ToList(),
        };
    }

    private static PublishedTableView View(Plan plan, PublishedProgressTable t) => new(
        t.Id, plan.Code, t.SourceDocument, t.PublishedOn, t.DueBy, t.ContentSha256, t.ImportedBySubject, t.ImportedByName, t.ImportedAt,
        t.Lines.OrderBy(l => l.Ordinal).Select(l => new PublishedLineView(l.ThemeNumber, l.Theme, l.Green, l.Amber, l.Yellow, l.NotStarted, l.Total)).ToList());
}
