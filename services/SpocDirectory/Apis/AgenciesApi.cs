using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.SpocDirectory.Domain;
using Jtai.Strategy.SpocDirectory.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.SpocDirectory.Apis;

public static class AgenciesApi
{
    public static IEndpointRouteBuilder MapAgenciesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/agencies").WithTags("Agencies");
        api.MapGet("/", ListAgencies).RequireAuthorization(JtaiPolicies.AnyRole);
        api.MapGet("/{code}", GetAgency).RequireAuthorization(JtaiPolicies.AnyRole);
        api.MapPost("/", RegisterAgency).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPut("/{code}", UpdateAgency).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPost("/{code}/deactivate", DeactivateAgency).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPost("/{code}/reactivate", ReactivateAgency).RequireAuthorization(JtaiPolicies.Administrator);
        return app;
    }

    /// <summary>The stated order of the agencies list: the code, ascending.</summary>
    public const string AgenciesOrder = "code";

    /// <summary>
    /// Every agency for staff; a SPOC sees its own agency only. Paged (<see cref="KeysetPaging"/>: pageSize 1–200,
    /// default 50, and the cursor of the page before) by code.
    /// </summary>
    public static async Task<Results<Ok<List<AgencySnapshot>>, ValidationProblem>> ListAgencies(
        int? pageSize, string? cursor, ClaimsPrincipal user, DirectoryDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (KeysetPaging.From(pageSize, cursor, 1, errors) is not { } paging)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // The reading rule of MayReadAgency, in the query so that a page is full: staff read every agency, a SPOC its own.
        var everyAgency = user.IsInRole(JtaiRoles.Administrator) || user.IsInRole(JtaiRoles.TeamManager) || user.IsInRole(JtaiRoles.Masdg);
        var own = user.AgencyCode()?.ToUpperInvariant();
        var agencies = db.Agencies.AsNoTracking().Where(a => everyAgency || a.Code == own);
        if (paging.After is [var after])
        {
            agencies = agencies.Where(a => string.Compare(a.Code, after) > 0);
        }

        var read = await agencies.OrderBy(a => a.Code).Take(paging.PageSize + 1).ToListAsync(cancellationToken);
        var page = paging.Page(read, a => [a.Code], http, AgenciesOrder);
        return TypedResults.Ok(page.Select(a => a.ToSnapshot()).ToList());
    }

    public static async Task<Results<Ok<AgencySnapshot>, ProblemHttpResult, ForbidHttpResult>> GetAgency(string code, ClaimsPrincipal user, DirectoryDbContext db, CancellationToken cancellationToken)
    {
        if (!user.MayReadAgency(code))
        {
            return TypedResults.Forbid();
        }

        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Code == code, cancellationToken);
        return agency is null ? UnknownAgency(code) : TypedResults.Ok(agency.ToSnapshot());
    }

    public static async Task<Results<Created<AgencySnapshot>, ValidationProblem, ProblemHttpResult>> RegisterAgency(
        RegisterAgencyRequest request, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = DirectoryValidation.Validate(request);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await db.Agencies.AnyAsync(a => a.Code == request.Code, cancellationToken))
        {
            return Problems.Conflict("Agency already registered", $"An agency with code {request.Code} already exists.");
        }

        var now = clock.GetUtcNow();
        var agency = new Agency { Code = request.Code!, Name = request.Name!.Trim(), Kind = request.Kind!.Value, UpdatedAt = now };
        db.Agencies.Add(agency);
        await changes.CommitAsync(new AgencyRegistered(agency.ToSnapshot(), now), cancellationToken);
        return TypedResults.Created($"/api/agencies/{agency.Code}", agency.ToSnapshot());
    }

    public static async Task<Results<Ok<AgencySnapshot>, ProblemHttpResult, ValidationProblem>> UpdateAgency(
        string code, UpdateAgencyRequest request, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = DirectoryValidation.Validate(request);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var agency = await db.Agencies.SingleOrDefaultAsync(a => a.Code == code, cancellationToken);
        if (agency is null)
        {
            return UnknownAgency(code);
        }

        var now = clock.GetUtcNow();
        agency.Name = request.Name!.Trim();
        agency.Kind = request.Kind!.Value;
        agency.Touch(now);
        await changes.CommitAsync(new AgencyUpdated(agency.ToSnapshot(), now), cancellationToken);
        return TypedResults.Ok(agency.ToSnapshot());
    }

    public static Task<Results<Ok<AgencySnapshot>, ProblemHttpResult>> DeactivateAgency(string code, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken) =>
        SetActive(code, false, db, changes, clock, cancellationToken);

    public static Task<Results<Ok<AgencySnapshot>, ProblemHttpResult>> ReactivateAgency(string code, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken) =>
        SetActive(code, true, db, changes, clock, cancellationToken);

    private static async Task<Results<Ok<AgencySnapshot>, ProblemHttpResult>> SetActive(string code, bool active, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var agency = await db.Agencies.SingleOrDefaultAsync(a => a.Code == code, cancellationToken);
        if (agency is null)
        {
            return UnknownAgency(code);
        }

        if (agency.Active != active)
        {
            var now = clock.GetUtcNow();
            agency.Active = active;
            agency.Touch(now);
            await changes.CommitAsync(active ? (object) new AgencyUpdated(agency.ToSnapshot(), now) : new AgencyDeactivated(agency.ToSnapshot(), now), cancellationToken);
        }

        return TypedResults.Ok(agency.ToSnapshot());
    }

    internal static ProblemHttpResult UnknownAgency(string code) => Problems.NotFound("Unknown agency", $"No agency has code {code}.");
}
