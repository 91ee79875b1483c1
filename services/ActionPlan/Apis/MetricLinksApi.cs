using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Evidence;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

/// <summary>
/// Which published metrics are evidence of impact for which action, and the target each must meet.
/// A changed target judges the next publications; evidence already recorded keeps the target it was judged by.
/// </summary>
public static class MetricLinksApi
{
    public static IEndpointRouteBuilder MapMetricLinksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plans/{code}/metric-links").WithTags("Metric links");
        api.MapGet("/", ListLinks).RequireAuthorization(PlanPolicies.PlanReaders);
        api.MapPost("/", AddLink).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPut("/{id:guid}", UpdateLink).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapDelete("/{id:guid}", DeleteLink).RequireAuthorization(JtaiPolicies.Administrator);
        return app;
    }

    public static async Task<Results<Ok<List<MetricLinkView>>, ProblemHttpResult>> ListLinks(string code, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var planId = await PlanIdAsync(db, code, cancellationToken);
        if (planId is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var links = await (from l in db.MetricLinks.AsNoTracking()
                           join a in db.Actions.AsNoTracking() on l.ActionId equals a.Id
                           where l.PlanId == planId
                           orderby a.Ordinal, l.MetricKey, l.AgencyScope
                           select new { Link = l, a.Key }).ToListAsync(cancellationToken);
        return TypedResults.Ok(links.Select(x => x.Link.ToView(x.Key)).ToList());
    }

    public static async Task<Results<Created<MetricLinkView>, ValidationProblem, ProblemHttpResult>> AddLink(
        string code, MetricLinkRequest request, System.Security.Claims.ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var planId = await PlanIdAsync(db, code, cancellationToken);
        if (planId is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var (action, errors) = await ValidateAsync(db, planId.Value, request, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.GetUtcNow();
        var link = new MetricLink
        {
            Id = Guid.CreateVersion7(now),
            PlanId = planId.Value,
            ActionId = action!.Id,
            MetricKey = request.MetricKey!,
            PeriodKind = request.PeriodKind!,
            Description = request.Description!.Trim(),
            UpdatedBy = user.ToActor().Name,
        };
        Apply(link, request, user, now);
        db.MetricLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/plans/{code}/metric-links/{link.Id}", link.ToView(action.Key));
    }

    public static async Task<Results<Ok<MetricLinkView>, ValidationProblem, ProblemHttpResult>> UpdateLink(
        string code, Guid id, MetricLinkRequest request, System.Security.Claims.ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var planId = await PlanIdAsync(db, code, cancellationToken);
        var link = planId is null ? null : await db.MetricLinks.SingleOrDefaultAsync(l => l.Id == id && l.PlanId == planId, cancellationToken);
        if (link is null)
        {
            return Problems.NotFound("Unknown metric link", $"Plan '{code}' has no metric link {id}.");
        }

        var (action, errors) = await ValidateAsync(db, planId!.Value, request, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var previousAction = link.ActionId;
        link.ActionId = action!.Id;
        Apply(link, request, user, clock.GetUtcNow());
        link.Version++;

        // Evidence recorded under this link follows it to its (new) action only for future periods;
        // both actions' flags are reassessed from what is now linked to them, in the same transaction.
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            var actions = await db.Actions.Where(a => a.Id == previousAction || a.Id == action.Id).ToListAsync(cancellationToken);
            await EvidenceAssessment.ReassessAsync(db, actions, [], cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Changed meanwhile", "The link or its action changed just now; reload and try again.");
        }

        return TypedResults.Ok(link.ToView(action.Key));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteLink(string code, Guid id, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var planId = await PlanIdAsync(db, code, cancellationToken);
        var link = planId is null ? null : await db.MetricLinks.SingleOrDefaultAsync(l => l.Id == id && l.PlanId == planId, cancellationToken);
        if (link is null)
        {
            return Problems.NotFound("Unknown metric link", $"Plan '{code}' has no metric link {id}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.MetricLinks.Remove(link);
        await db.SaveChangesAsync(cancellationToken);

        // The evidence stays as history (its link set to null); it no longer decides the action's flag.
        var action = await db.Actions.SingleAsync(a => a.Id == link.ActionId, cancellationToken);
        await EvidenceAssessment.ReassessAsync(db, [action], [], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static void Apply(MetricLink link, MetricLinkRequest request, System.Security.Claims.ClaimsPrincipal user, DateTimeOffset now)
    {
        link.MetricKey = request.MetricKey!;
        link.Comparison = request.Comparison!.Value;
        link.Target = request.Target!.Value;
        link.AgencyScope = request.AgencyScope!.Value;
        link.AgencyCode = string.IsNullOrWhiteSpace(request.AgencyCode) ? null : request.AgencyCode.Trim().ToUpperInvariant();
        link.PeriodKind = request.PeriodKind!;
        link.MinimumDenominator = request.MinimumDenominator ?? 1;
        link.Description = request.Description!.Trim();
        link.UpdatedBy = user.ToActor().Name;
        link.UpdatedAt = now;
    }

    private static async Task<(PlanAction? Action, IDictionary<string, string[]>? Errors)> ValidateAsync(
        ActionPlanDbContext db, Guid planId, MetricLinkRequest request, CancellationToken cancellationToken)
    {
        var errors = MetricLinkRules.Validate(request.MetricKey, request.Comparison, request.Target, request.AgencyScope, request.AgencyCode, request.PeriodKind,
            request.MinimumDenominator, request.Description);
        var action = string.IsNullOrWhiteSpace(request.ActionKey)
            ? null
            : await db.Actions.SingleOrDefaultAsync(a => a.PlanId == planId && a.Key == request.ActionKey, cancellationToken);
        errors.When(action is null, "actionKey", string.IsNullOrWhiteSpace(request.ActionKey) ? "actionKey is required, e.g. 1.1a." : $"The plan has no action '{request.ActionKey}'.");
        return errors.Any ? (null, errors.ToDictionary()) : (action, null);
    }

    private static Task<Guid?> PlanIdAsync(ActionPlanDbContext db, string code, CancellationToken cancellationToken) =>
        db.Plans.Where(p => p.Code == code).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
}
