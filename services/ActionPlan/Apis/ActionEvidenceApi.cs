using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

/// <summary>
/// The plan's actions with their evidence in one paged list: each action's summary, the plan's expected impact and
/// "evidence of impact" text, and the latest published figures of each of its current metric links (the figures its
/// "evidence below target" flag is judged on). The MASDG's action plan page reads it instead of one call per action.
/// </summary>
public static class ActionEvidenceApi
{
    /// <summary>The stated order: plan order (the action's position in the plan), then its key.</summary>
    public const string Order = "ordinal,key";

    public static IEndpointRouteBuilder MapActionEvidenceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans/{code}/action-evidence", ListActionEvidence).WithTags("Actions").RequireAuthorization(PlanPolicies.PlanReaders);
        return app;
    }

    /// <summary>
    /// The actions (optionally only those originally due by <paramref name="dueBy"/>, as the progress table counts them)
    /// with their evidence, in plan order. Paged (<see cref="KeysetPaging"/>: pageSize 1–200, default 50, and the cursor
    /// of the page before).
    /// </summary>
    public static async Task<Results<Ok<List<ActionEvidence>>, ValidationProblem, ProblemHttpResult>> ListActionEvidence(
        string code, DateOnly? dueBy, int? pageSize, string? cursor, ActionPlanDbContext db, PlanCalendar calendar, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = KeysetPaging.From(pageSize, cursor, 2, errors);
        var after = paging?.After is [var ordinalText, var keyText] ? (int.TryParse(ordinalText, out var o) ? (o, keyText ?? string.Empty) : ((int, string)?)null) : null;
        errors.When(paging?.After is not null && after is null, "cursor", "cursor is not one this endpoint returned; start again without it.");
        if (errors.Any || paging is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var planId = await db.Plans.Where(p => p.Code == code).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        if (planId is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var query = db.Actions.AsNoTracking().Where(a => a.PlanId == planId);
        query = dueBy is { } d ? query.Where(a => a.OriginalDueDate != null && a.OriginalDueDate <= d) : query;
        if (after is var (ordinal, key))
        {
            query = query.Where(a => a.Ordinal > ordinal || (a.Ordinal == ordinal && string.Compare(a.Key, key) > 0));
        }

        var read = await query.OrderBy(a => a.Ordinal).ThenBy(a => a.Key).Take(paging.PageSize + 1).ToListAsync(cancellationToken);
        var page = paging.Page(read, a => [a.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Key], http, Order);

        // For each current link of these actions, the rows of the latest period it has evidence for: what the flag is
        // judged on (EvidenceAssessment). A deleted link's rows (LinkId null) are history and left out.
        var ids = page.Select(a => a.Id).ToList();
        var latest = await db.MetricEvidence.AsNoTracking()
            .Where(e => ids.Contains(e.ActionId) && e.LinkId != null
                && e.PeriodEnd == db.MetricEvidence.Where(x => x.LinkId == e.LinkId).Max(x => x.PeriodEnd))
            // By metric, the overall figure first, then the agencies by code.
            .OrderBy(e => e.MetricKey).ThenBy(e => e.AgencyCode != null).ThenBy(e => e.AgencyCode)
            .ToListAsync(cancellationToken);
        var byAction = latest.ToLookup(e => e.ActionId);
        var today = calendar.Today();
        return TypedResults.Ok(page.Select(a => new ActionEvidence(
            a.ToSummary(today), a.ExpectedImpact, a.EvidenceOfImpact, a.LatestEvidencePeriodEnd, [.. byAction[a.Id].Select(e => e.ToView())])).ToList());
    }
}
