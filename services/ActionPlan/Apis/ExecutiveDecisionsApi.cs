using System.Security.Claims;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Apis;

public sealed record ExecutiveDecisionRequest(string? Approver, string? RoleOrMeeting, DateOnly? ApprovedOn, string? DocumentReference);

public sealed record ExecutiveDecisionView(
    Guid Id, string Approver, string RoleOrMeeting, DateOnly ApprovedOn, string DocumentReference, string RecordedBy, string RecordedByName, DateTimeOffset RecordedAt);

/// <summary>The executive's decisions approving timescale revisions, recorded by the MASDG before a change to Yellow cites one.</summary>
public static class ExecutiveDecisionsApi
{
    public static IEndpointRouteBuilder MapExecutiveDecisionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/plans/{code}/executive-decisions").WithTags("Executive decisions");
        api.MapGet("/", List).RequireAuthorization(PlanPolicies.PlanReaders);
        api.MapPost("/", Record).RequireAuthorization(JtaiPolicies.Masdg);
        return app;
    }

    public static async Task<Results<Ok<List<ExecutiveDecisionView>>, ProblemHttpResult>> List(string code, ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var decisions = await db.ExecutiveDecisions.AsNoTracking().Where(d => d.PlanId == plan.Id).OrderBy(d => d.ApprovedOn).ThenBy(d => d.RecordedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(decisions.Select(d => d.ToView()).ToList());
    }

    /// <summary>Records a decision; who recorded it and when come from the token and the clock.</summary>
    public static async Task<Results<Created<ExecutiveDecisionView>, ValidationProblem, ProblemHttpResult>> Record(
        string code, ExecutiveDecisionRequest request, ClaimsPrincipal user, ActionPlanDbContext db, TimeProvider clock, PlanCalendar calendar, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors()
            .Required("approver", request.Approver?.Trim(), 200)
            .Required("roleOrMeeting", request.RoleOrMeeting?.Trim(), 200)
            .When(request.ApprovedOn is null, "approvedOn", "approvedOn is required: the date the executive approved.")
            .When(request.ApprovedOn > calendar.Today(), "approvedOn", "approvedOn cannot be in the future.")
            .Required("documentReference", request.DocumentReference?.Trim(), 500);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null)
        {
            return ApiMapping.UnknownPlan(code);
        }

        var actor = user.ToActor();
        var now = clock.GetUtcNow();
        var decision = new ExecutiveDecision
        {
            Id = Guid.CreateVersion7(now),
            PlanId = plan.Id,
            Approver = request.Approver!.Trim(),
            RoleOrMeeting = request.RoleOrMeeting!.Trim(),
            ApprovedOn = request.ApprovedOn!.Value,
            DocumentReference = request.DocumentReference!.Trim(),
            RecordedBySubject = actor.Subject,
            RecordedByName = actor.Name,
            RecordedAt = now,
        };
        db.ExecutiveDecisions.Add(decision);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/plans/{code}/executive-decisions", decision.ToView());
    }

    public static ExecutiveDecisionView ToView(this ExecutiveDecision d) =>
        new(d.Id, d.Approver, d.RoleOrMeeting, d.ApprovedOn, d.DocumentReference, d.RecordedBySubject, d.RecordedByName, d.RecordedAt);
}
