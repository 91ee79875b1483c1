using System.Globalization;
using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.SpocDirectory.Domain;
using Jtai.Strategy.SpocDirectory.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.SpocDirectory.Apis;

public static class SpocsApi
{
    public static IEndpointRouteBuilder MapSpocsApi(this IEndpointRouteBuilder app)
    {
        var byAgency = app.MapGroup("/api/agencies/{code}").WithTags("SPOCs");
        byAgency.MapGet("/spocs", ListSpocs).RequireAuthorization(JtaiPolicies.AnyRole);
        byAgency.MapPost("/spocs", AssignSpoc).RequireAuthorization(JtaiPolicies.Administrator);
        byAgency.MapGet("/recipient", ResolveRecipient).RequireAuthorization(JtaiPolicies.AnyRole);

        var spocs = app.MapGroup("/api/spocs").WithTags("SPOCs");
        spocs.MapGet("/{id:guid}", GetSpoc).RequireAuthorization(JtaiPolicies.AnyRole);
        spocs.MapPut("/{id:guid}", UpdateSpoc).RequireAuthorization(JtaiPolicies.Administrator);
        spocs.MapPost("/{id:guid}/retire", RetireSpoc).RequireAuthorization(JtaiPolicies.Administrator);
        spocs.MapPost("/{id:guid}/covers", AddCover).RequireAuthorization(JtaiPolicies.Administrator);
        spocs.MapDelete("/{id:guid}/covers/{coverId:guid}", RemoveCover).RequireAuthorization(JtaiPolicies.Administrator);
        return app;
    }

    /// <summary>The stated order of an agency's SPOCs: the area (agency-wide, with no area, last), the rank, then the id.</summary>
    public const string SpocsOrder = "area nulls last,rank,id";

    /// <summary>
    /// The agency's SPOCs and deputies (retired ones too on request), paged (<see cref="KeysetPaging"/>) by area, rank
    /// and id: the order in which the directory tries them within an area.
    /// </summary>
    public static async Task<Results<Ok<List<SpocSnapshot>>, ProblemHttpResult, ForbidHttpResult, ValidationProblem>> ListSpocs(
        string code, bool? includeRetired, int? pageSize, string? cursor, ClaimsPrincipal user, DirectoryDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (!user.MayReadAgency(code))
        {
            return TypedResults.Forbid();
        }

        var errors = new ValidationErrors();
        var paging = KeysetPaging.From(pageSize, cursor, 3, errors);
        var afterRank = 0;
        var afterId = Guid.Empty;
        errors.When(paging?.After is [_, var rank, var id] && !(int.TryParse(rank, out afterRank) && Guid.TryParse(id, out afterId)),
            "cursor", "cursor is not one this endpoint returned; start again without it.");
        if (paging is null || errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!await db.Agencies.AnyAsync(a => a.Code == code, cancellationToken))
        {
            return AgenciesApi.UnknownAgency(code);
        }

        var spocs = db.Spocs.AsNoTracking().Include(s => s.Covers)
            .Where(s => s.AgencyCode == code && (s.Active || includeRetired == true));
        if (paging.After is [var afterArea, _, _])
        {
            // PostgreSQL sorts a missing area after every area: after an area come the later areas, then the agency-wide.
            spocs = afterArea is null
                ? spocs.Where(s => s.Area == null && (s.Rank > afterRank || (s.Rank == afterRank && s.Id.CompareTo(afterId) > 0)))
                : spocs.Where(s => s.Area == null || string.Compare(s.Area, afterArea) > 0
                    || (s.Area == afterArea && (s.Rank > afterRank || (s.Rank == afterRank && s.Id.CompareTo(afterId) > 0))));
        }

        var read = await spocs
            .OrderBy(s => s.Area).ThenBy(s => s.Rank).ThenBy(s => s.Id)
            .Take(paging.PageSize + 1)
            .ToListAsync(cancellationToken);
        var page = paging.Page(read, s => [s.Area, s.Rank.ToString(CultureInfo.InvariantCulture), s.Id.ToString()], http, SpocsOrder);
        return TypedResults.Ok(page.Select(s => s.ToSnapshot()).ToList());
    }

    public static async Task<Results<Ok<SpocSnapshot>, ProblemHttpResult, ForbidHttpResult>> GetSpoc(Guid id, ClaimsPrincipal user, DirectoryDbContext db, CancellationToken cancellationToken)
    {
        var spoc = await db.Spocs.AsNoTracking().Include(s => s.Covers).SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (spoc is null)
        {
            return UnknownSpoc(id);
        }

        return user.MayReadAgency(spoc.AgencyCode) ? TypedResults.Ok(spoc.ToSnapshot()) : TypedResults.Forbid();
    }

    public static async Task<Results<Created<SpocSnapshot>, ValidationProblem, ProblemHttpResult>> AssignSpoc(
        string code, SpocRequest request, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = DirectoryValidation.Validate(request);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var agency = await db.Agencies.SingleOrDefaultAsync(a => a.Code == code, cancellationToken);
        if (agency is null)
        {
            return AgenciesApi.UnknownAgency(code);
        }

        var area = DirectoryValidation.NormaliseArea(request.Area);
        if (await RankTakenAsync(db, code, area, request.Rank!.Value, null, cancellationToken) is { } holder)
        {
            return RankConflict(code, area, request.Rank.Value, holder);
        }

        var now = clock.GetUtcNow();
        var spoc = new Spoc
        {
            Id = NewId.NextGuid(),
            AgencyCode = code,
            Area = area,
            FullName = request.FullName!.Trim(),
            Rank = request.Rank.Value,
            SecureEmail = request.SecureEmail!.Trim(),
            Phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim(),
            UpdatedAt = now,
        };
        db.Spocs.Add(spoc);
        await changes.CommitAsync(new SpocAssigned(spoc.ToSnapshot(), now), cancellationToken);
        return TypedResults.Created($"/api/spocs/{spoc.Id}", spoc.ToSnapshot());
    }

    public static async Task<Results<Ok<SpocSnapshot>, ValidationProblem, ProblemHttpResult>> UpdateSpoc(
        Guid id, SpocRequest request, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = DirectoryValidation.Validate(request);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var spoc = await db.Spocs.Include(s => s.Covers).SingleOrDefaultAsync(s => s.Id == id && s.Active, cancellationToken);
        if (spoc is null)
        {
            return UnknownSpoc(id);
        }

        var area = DirectoryValidation.NormaliseArea(request.Area);
        if (await RankTakenAsync(db, spoc.AgencyCode, area, request.Rank!.Value, spoc.Id, cancellationToken) is { } holder)
        {
            return RankConflict(spoc.AgencyCode, area, request.Rank.Value, holder);
        }

        var now = clock.GetUtcNow();
        spoc.FullName = request.FullName!.Trim();
        spoc.SecureEmail = request.SecureEmail!.Trim();
        spoc.Phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim();
        spoc.Area = area;
        spoc.Rank = request.Rank.Value;
        spoc.Touch(now);
        await changes.CommitAsync(new SpocDetailsChanged(spoc.ToSnapshot(), now), cancellationToken);
        return TypedResults.Ok(spoc.ToSnapshot());
    }

    public static async Task<Results<Ok<SpocSnapshot>, ValidationProblem, ProblemHttpResult>> RetireSpoc(
        Guid id, RetireSpocRequest request, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new BuildingBlocks.Http.ValidationErrors().Required("reason", request.Reason, 200);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var spoc = await db.Spocs.Include(s => s.Covers).SingleOrDefaultAsync(s => s.Id == id && s.Active, cancellationToken);
        if (spoc is null)
        {
            return UnknownSpoc(id);
        }

        var now = clock.GetUtcNow();
        spoc.Active = false;
        spoc.RetiredReason = request.Reason!.Trim();
        spoc.Touch(now);
        await changes.CommitAsync(new SpocRetired(spoc.ToSnapshot(), spoc.RetiredReason, now), cancellationToken);
        return TypedResults.Ok(spoc.ToSnapshot());
    }

    public static async Task<Results<Ok<SpocSnapshot>, ValidationProblem, ProblemHttpResult>> AddCover(
        Guid id, AddCoverRequest request, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = DirectoryValidation.Validate(request);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var spoc = await db.Spocs.Include(s => s.Covers).SingleOrDefaultAsync(s => s.Id == id && s.Active, cancellationToken);
        if (spoc is null)
        {
            return UnknownSpoc(id);
        }

        var now = clock.GetUtcNow();
        var cover = new SpocCover { Id = NewId.NextGuid(), SpocId = spoc.Id, StartsAt = request.StartsAt!.Value.ToUniversalTime(), EndsAt = request.EndsAt!.Value.ToUniversalTime(), Reason = request.Reason!.Trim() };
        spoc.Covers.Add(cover);
        spoc.Touch(now);
        await changes.CommitAsync(new SpocCoverChanged(spoc.ToSnapshot(), now), cancellationToken);
        return TypedResults.Ok(spoc.ToSnapshot());
    }

    public static async Task<Results<Ok<SpocSnapshot>, ProblemHttpResult>> RemoveCover(Guid id, Guid coverId, DirectoryDbContext db, DirectoryChanges changes, TimeProvider clock, CancellationToken cancellationToken)
    {
        var spoc = await db.Spocs.Include(s => s.Covers).SingleOrDefaultAsync(s => s.Id == id && s.Active, cancellationToken);
        var cover = spoc?.Covers.SingleOrDefault(c => c.Id == coverId);
        if (spoc is null || cover is null)
        {
            return Problems.NotFound("Unknown cover", $"SPOC {id} has no cover period {coverId}.");
        }

        var now = clock.GetUtcNow();
        spoc.Covers.Remove(cover);
        db.Remove(cover);
        spoc.Touch(now);
        await changes.CommitAsync(new SpocCoverChanged(spoc.ToSnapshot(), now), cancellationToken);
        return TypedResults.Ok(spoc.ToSnapshot());
    }

    /// <summary>Who receives an invitation for the agency (and area) at a time, and why.</summary>
    public static async Task<Results<Ok<RecipientResponse>, ProblemHttpResult, ForbidHttpResult>> ResolveRecipient(
        string code, string? area, DateTimeOffset? at, ClaimsPrincipal user, DirectoryDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!user.MayReadAgency(code))
        {
            return TypedResults.Forbid();
        }

        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Code == code, cancellationToken);
        if (agency is null)
        {
            return AgenciesApi.UnknownAgency(code);
        }

        var when = (at ?? clock.GetUtcNow()).ToUniversalTime();
        if (!agency.Active)
        {
            return Problems.Conflict("Agency inactive", $"{agency.Name} is deactivated and receives no invitations.");
        }

        var spocs = (await db.Spocs.AsNoTracking().Include(s => s.Covers).Where(s => s.AgencyCode == code && s.Active).ToListAsync(cancellationToken))
            .Select(s => s.ToSnapshot()).ToList();
        var routed = RecipientRouting.Resolve(spocs, area, when);
        if (routed is null)
        {
            var chain = RecipientRouting.Chain(spocs, area);
            return Problems.Conflict("No available SPOC",
                chain.Count == 0
                    ? $"{agency.Name} has no active SPOC{(area is null ? string.Empty : $" for area {area} or agency-wide")}."
                    : $"Every SPOC of {agency.Name} is on cover at {when:u}.");
        }

        var escalation = RecipientRouting.Chain(spocs, area).SkipWhile(s => s.SpocId != routed.Spoc.SpocId).Skip(1).ToList();
        var explanation = routed.Reason switch
        {
            RecipientReason.Primary => $"{routed.Spoc.FullName} is the first available SPOC (rank {routed.Spoc.Rank}).",
            RecipientReason.AgencyWideCoveringArea =>
                $"{string.Join(", ", routed.Unavailable.Select(s => s.FullName))} on cover at {when:u}; every SPOC for area {routed.Unavailable.First(s => s.Area is not null).Area} is away, so agency-wide SPOC {routed.Spoc.FullName} (rank {routed.Spoc.Rank}) receives.",
            _ => $"{string.Join(", ", routed.Unavailable.Select(s => s.FullName))} on cover at {when:u}; deputy {routed.Spoc.FullName} (rank {routed.Spoc.Rank}) receives.",
        };
        return TypedResults.Ok(new RecipientResponse(code, area, when, routed.Spoc, routed.Reason, explanation, escalation));
    }

    private static Task<Spoc?> RankTakenAsync(DirectoryDbContext db, string agencyCode, string? area, int rank, Guid? except, CancellationToken cancellationToken)
    {
        var lowered = area?.ToLowerInvariant();
        return db.Spocs.AsNoTracking().FirstOrDefaultAsync(
            s => s.AgencyCode == agencyCode && s.Active && s.Rank == rank && (s.Area == null ? lowered == null : s.Area.ToLower() == lowered) && s.Id != except,
            cancellationToken);
    }

    private static ProblemHttpResult RankConflict(string agencyCode, string? area, int rank, Spoc holder) =>
        Problems.Conflict("Rank already held", $"{holder.FullName} already holds rank {rank} for {agencyCode}{(area is null ? string.Empty : $" in {area}")}; change or retire them first.");

    private static ProblemHttpResult UnknownSpoc(Guid id) => Problems.NotFound("Unknown SPOC", $"No SPOC has id {id}.");
}
