using System.Security.Claims;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

public static class ActionsApi
{
    public static IEndpointRouteBuilder MapActionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plans/{code}/actions").WithTags("Actions");
        api.MapGet("/", ListActions).RequireAuthorization(PlanPolicies.PlanReaders);
        api.MapGet("/{key}", GetAction).RequireAuthorization(PlanPolicies.PlanReaders);
        api.MapPost("/{key}/status", ChangeStatus).RequireAuthorization(JtaiPolicies.Masdg);
        return app;
    }

    /// <summary>The plan's actions in plan order, optionally filtered (theme, status, overdue, evidence below target, originally due by a date).</summary>
    public static async Task<Results<Ok<List<ActionSummary>>, ProblemHttpResult>> ListActions(
        string code, int? theme, ActionStatus? status, bool? overdue, bool? evidenceBelowTarget, DateOnly? dueBy,
        ActionPlanDbContext db, PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var query = db.Actions.AsNoTracking().Where(a => a.PlanId == plan.Id);
        query = theme is { } t ? query.Where(a => a.ThemeNumber == t) : query;
        query = status is { } s ? query.Where(a => a.Status == s) : query;
        query = evidenceBelowTarget is { } e ? query.Where(a => a.EvidenceBelowTarget == e) : query;
        query = dueBy is { } d ? query.Where(a => a.OriginalDueDate != null && a.OriginalDueDate <= d) : query;
        var today = calendar.Today();
        var actions = (await query.OrderBy(a => a.Ordinal).ToListAsync(cancellationToken))
            .Where(a => overdue is null || a.IsOverdue(today) == overdue)
            .Select(a => a.ToSummary(today))
            .ToList();
        return TypedResults.Ok(actions);
    }

    public static async Task<Results<Ok<ActionDetail>, ProblemHttpResult>> GetAction(
        string code, string key, ActionPlanDbContext db, PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var action = await FindAsync(db, code, key, tracked: false, cancellationToken);
        return action is null ? ApiMapping.UnknownAction(code, key) : TypedResults.Ok(await DetailAsync(db, action, calendar.Today(), cancellationToken));
    }

    /// <summary>
    /// Records a status with why; who and when come from the token and the clock. Yellow is refused
    /// unless the request carries the executive's approval of a revised timescale.
    /// </summary>
    public static async Task<Results<Ok<ActionDetail>, ValidationProblem, ProblemHttpResult>> ChangeStatus(
        string code, string key, ChangeStatusRequest request, ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock, PlanCalendar calendar,
        CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var revision = request.TimescaleRevision;
        var errors = new ValidationErrors()
            .When(request.Status is null, "status", "status is required: NotStarted, Amber, Green or Yellow.")
            .Required("reason", request.Reason, 2000)
            .When(request.Status == ActionStatus.Yellow && revision is null, "timescaleRevision",
                "Yellow means the timescale was revised with the executive's approval: give timescaleRevision with revisedDueDate and executiveDecisionId " +
                "(a decision recorded at /executive-decisions), or approvedBy (e.g. LSCB Executive Group) and approvedOn.")
            .When(request.Status is not null and not ActionStatus.Yellow && revision is not null, "timescaleRevision",
                "timescaleRevision goes with status Yellow only (a revised timescale is what Yellow records).");
        if (request.Status == ActionStatus.Yellow && revision is not null && revision.ExecutiveDecisionId is not null)
        {
            errors.When(revision.RevisedDueDate is null, "timescaleRevision.revisedDueDate", "revisedDueDate is required.")
                .When(revision.ApprovedBy is not null || revision.ApprovedOn is not null, "timescaleRevision.executiveDecisionId",
                    "Give either executiveDecisionId or the free-text approvedBy and approvedOn, not both: the decision says who approved and when.");
        }
        else if (request.Status == ActionStatus.Yellow && revision is not null)
        {
            errors.When(revision.RevisedDueDate is null, "timescaleRevision.revisedDueDate", "revisedDueDate is required.")
                .Required("timescaleRevision.approvedBy", revision.ApprovedBy)
                .When(revision.ApprovedOn is null, "timescaleRevision.approvedOn", "approvedOn is required: the date the executive approved the revision.")
                .When(revision.ApprovedOn > today, "timescaleRevision.approvedOn", "approvedOn cannot be in the future.");
        }

        var action = await FindAsync(db, code, key, tracked: true, cancellationToken);
        if (action is null)
        {
            return ApiMapping.UnknownAction(code, key);
        }

        var decision = revision?.ExecutiveDecisionId is { } decisionId && request.Status == ActionStatus.Yellow
            ? await db.ExecutiveDecisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId && d.PlanId == action.PlanId, cancellationToken)
            : null;
        errors.When(revision?.ExecutiveDecisionId is not null && request.Status == ActionStatus.Yellow && decision is null, "timescaleRevision.executiveDecisionId",
            $"Plan '{code}' has no executive decision {revision?.ExecutiveDecisionId}: record it at /api/plans/{code}/executive-decisions first.");
        if (revision?.RevisedDueDate is { } revised && action.DueDate is { } current && revised <= current)
        {
            errors.Add("timescaleRevision.revisedDueDate", $"revisedDueDate must be later than the current timescale ({current:yyyy-MM-dd}).");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (request.Status == action.Status && request.Status != ActionStatus.Yellow)
        {
            return Problems.Conflict("Status unchanged", $"Action {action.Key} is already {action.Status}.");
        }

        var actor = user.ToActor();
        var now = clock.GetUtcNow();
        var approval = decision is not null
            ? new ExecutiveApproval(decision.ApprovedByText, decision.ApprovedOn, request.Reason!.Trim(), decision.Id)
            : request.Status == ActionStatus.Yellow ? new ExecutiveApproval(revision!.ApprovedBy!.Trim(), revision.ApprovedOn!.Value, request.Reason!.Trim()) : null;
        var recorded = approval is not null
            ? action.ReviseTimescale(revision!.RevisedDueDate!.Value, approval, actor, now, Provenance.RecordedByUser)
            : null;
        var change = action.ChangeStatus(request.Status!.Value, request.Reason!.Trim(), actor, now, Provenance.RecordedByUser, recorded);
        db.StatusChanges.Add(change);
        if (recorded is not null)
        {
            db.TimescaleRevisions.Add(recorded);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Changed meanwhile", $"Action {action.Key} was changed by someone else just now; reload it and try again.");
        }

        return TypedResults.Ok(await DetailAsync(db, action, today, cancellationToken));
    }

    internal static async Task<PlanAction?> FindAsync(ActionPlanDbContext db, string code, string key, bool tracked, CancellationToken cancellationToken)
    {
        var planId = await db.Plans.Where(p => p.Code == code).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        if (planId is null)
        {
            return null;
        }

        var query = db.Actions.Include(a => a.StatusHistory).Include(a => a.Revisions).AsSplitQuery();
        return await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(a => a.PlanId == planId && a.Key == key, cancellationToken);
    }

    private static async Task<ActionDetail> DetailAsync(ActionPlanDbContext db, PlanAction action, DateOnly today, CancellationToken cancellationToken)
    {
        var links = await db.MetricLinks.AsNoTracking().Where(l => l.ActionId == action.Id).OrderBy(l => l.MetricKey).ThenBy(l => l.AgencyScope).ToListAsync(cancellationToken);
        var decisionIds = action.Revisions.Where(r => r.ExecutiveDecisionId is not null).Select(r => r.ExecutiveDecisionId!.Value).ToList();
        var decisions = await db.ExecutiveDecisions.AsNoTracking().Where(d => decisionIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var evidence = await db.MetricEvidence.AsNoTracking().Where(e => e.ActionId == action.Id)
            .OrderByDescending(e => e.PeriodEnd).ThenBy(e => e.MetricKey).ThenBy(e => e.AgencyCode).Take(200).ToListAsync(cancellationToken);
        return new ActionDetail(
            action.ToSummary(today), action.AreaForImprovement, action.OversightGroup, action.ExpectedImpact, action.EvidenceOfImpact, action.LatestEvidencePeriodEnd,
            action.StatusHistory.OrderBy(c => c.Sequence)
                .Select(c => new StatusChangeView(c.FromStatus, c.ToStatus, c.Reason, c.ChangedBySubject, c.ChangedByName, c.ChangedAt, c.TimescaleRevisionId, c.Source)).ToList(),
            action.Revisions.OrderBy(r => r.Sequence)
                .Select(r => new TimescaleRevisionView(r.Id, r.PreviousDueDate, r.PreviousTimescaleText, r.RevisedDueDate, r.ApprovedBy, r.ApprovedOn, r.Reason, r.RecordedByName, r.RecordedAt, r.Source,
                    ApiMapping.ApprovalRecord(r.ExecutiveDecisionId), r.ExecutiveDecisionId is { } id ? decisions[id].ToView() : null))
                .ToList(),
            links.Select(l => l.ToView(action.Key)).ToList(),
            evidence.Select(e => e.ToView()).ToList());
    }
}
