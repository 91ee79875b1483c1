using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Convening;

/// <summary>
/// Families First teams and their dial-in bridges: administrators manage them and read them all; a team manager reads
/// their own team only (its bridges' dial-in numbers and conference codes are how the team's meetings are joined).
/// </summary>
public static class TeamsApi
{
    public static IEndpointRouteBuilder MapTeamsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/teams").WithTags("Teams");
        api.MapGet("/", ListTeams).RequireAuthorization(p => p.RequireRole(JtaiRoles.Administrator, JtaiRoles.TeamManager));
        // The MASDG's dashboard filters by team: names and codes only, never bridges or managers' addresses.
        app.MapGet("/api/team-names", ListTeamNames).WithTags("Teams").RequireAuthorization(p => p.RequireRole(JtaiRoles.Administrator, JtaiRoles.Masdg));
        api.MapGet("/{code}", GetTeam).RequireAuthorization(p => p.RequireRole(JtaiRoles.Administrator, JtaiRoles.TeamManager));
        api.MapPost("/", CreateTeam).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPut("/{code}", UpdateTeam).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPost("/{code}/bridges", AddBridge).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPost("/{code}/bridges/{id:guid}/retire", RetireBridge).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapPost("/{code}/managers", AddManager).RequireAuthorization(JtaiPolicies.Administrator);
        api.MapDelete("/{code}/managers/{email}", RemoveManager).RequireAuthorization(JtaiPolicies.Administrator);
        return app;
    }

    /// <summary>The stated order of the teams lists: the code, ascending.</summary>
    public const string TeamsOrder = "code";

    /// <summary>
    /// Every team for an administrator; for a team manager, their own team only. Paged (<see cref="KeysetPaging"/>:
    /// pageSize 1–200, default 50, and the cursor of the page before) by code.
    /// </summary>
    public static async Task<Results<Ok<List<TeamResponse>>, ValidationProblem>> ListTeams(
        int? pageSize, string? cursor, ClaimsPrincipal user, MeetingsDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (KeysetPaging.From(pageSize, cursor, 1, errors) is not { } paging)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var administrator = user.IsInRole(JtaiRoles.Administrator);
        var ownTeam = user.TeamCode();
        var teams = db.Teams.AsNoTracking().Include(t => t.Bridges).Include(t => t.Managers)
            .Where(t => administrator || t.Code == ownTeam);
        if (paging.After is [var after])
        {
            teams = teams.Where(t => string.Compare(t.Code, after) > 0);
        }

        var read = await teams.OrderBy(t => t.Code).Take(paging.PageSize + 1).AsSplitQuery().ToListAsync(cancellationToken);
        return TypedResults.Ok(paging.Page(read, t => [t.Code], http, TeamsOrder).Select(t => ToResponse(t, true)).ToList());
    }

    /// <summary>Every team's code, name and whether it is active, paged like the teams: what a filter by team needs, nothing of its configuration.</summary>
    public static async Task<Results<Ok<List<TeamNameResponse>>, ValidationProblem>> ListTeamNames(
        int? pageSize, string? cursor, MeetingsDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (KeysetPaging.From(pageSize, cursor, 1, errors) is not { } paging)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var teams = db.Teams.AsNoTracking();
        if (paging.After is [var after])
        {
            teams = teams.Where(t => string.Compare(t.Code, after) > 0);
        }

        var read = await teams.OrderBy(t => t.Code).Take(paging.PageSize + 1)
            .Select(t => new TeamNameResponse(t.Code, t.Name, t.Active)).ToListAsync(cancellationToken);
        return TypedResults.Ok(paging.Page(read, t => [t.Code], http, TeamsOrder));
    }

    /// <summary>Another team's configuration is refused (403, audited) whether or not that team exists: a code reveals nothing.</summary>
    public static async Task<Results<Ok<TeamResponse>, ProblemHttpResult, ForbidHttpResult>> GetTeam(string code, ClaimsPrincipal user, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        if (!MayRead(user, code))
        {
            return TypedResults.Forbid();
        }

        var team = await db.Teams.AsNoTracking().Include(t => t.Bridges).Include(t => t.Managers).SingleOrDefaultAsync(t => t.Code == code, cancellationToken);
        return team is null ? Problems.NotFound("Not found", $"No team has code {code}.") : TypedResults.Ok(ToResponse(team, true));
    }

    /// <summary>
    /// Adds a manager contact: a secure e-mail address, validated exactly as a SPOC's, and an optional name. The
    /// team's managers version rises and the change is audited (the address stays in this service).
    /// </summary>
    public static async Task<Results<Created<TeamResponse>, ValidationProblem, ProblemHttpResult>> AddManager(
        string code, TeamManagerRequest request, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors().SecureEmail("email", request.Email).MaxLength("fullName", request.FullName, 200);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var team = await db.Teams.Include(t => t.Bridges).Include(t => t.Managers).SingleOrDefaultAsync(t => t.Code == code, cancellationToken);
        if (team is null)
        {
            return Problems.NotFound("Not found", $"No team has code {code}.");
        }

        var email = NormaliseEmail(request.Email!);
        if (team.Managers.Any(m => m.Email == email))
        {
            return Problems.Conflict("Manager already listed", $"Team {code} already lists this manager address.");
        }

        var now = clock.GetUtcNow();
        team.Managers.Add(new TeamManager { TeamCode = team.Code, Email = email, FullName = MeetingRules.Trim(request.FullName), AddedBy = user.SubjectId(), AddedAt = now });
        team.ManagersVersion++;
        team.UpdatedAt = now;
        db.Audit(user.SubjectId(), "team.manager.added", null, now, $"{team.Code}: managers version {team.ManagersVersion}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/teams/{team.Code}", ToResponse(team, true));
    }

    /// <summary>Removes a manager contact; notices already queued keep their recipients.</summary>
    public static async Task<Results<Ok<TeamResponse>, ProblemHttpResult>> RemoveManager(
        string code, string email, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var team = await db.Teams.Include(t => t.Bridges).Include(t => t.Managers).SingleOrDefaultAsync(t => t.Code == code, cancellationToken);
        var manager = team?.Managers.SingleOrDefault(m => m.Email == NormaliseEmail(email));
        if (team is null || manager is null)
        {
            return Problems.NotFound("Not found", $"Team {code} lists no such manager address.");
        }

        var now = clock.GetUtcNow();
        team.Managers.Remove(manager);
        db.TeamManagers.Remove(manager);
        team.ManagersVersion++;
        team.UpdatedAt = now;
        db.Audit(user.SubjectId(), "team.manager.removed", null, now, $"{team.Code}: managers version {team.ManagersVersion}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(team, true));
    }

    public static async Task<Results<Created<TeamResponse>, ValidationProblem, ProblemHttpResult>> CreateTeam(
        TeamRequest request, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = Validate(request)
            .Required("code", request.Code, 32)
            .When(request.Code is { Length: > 0 } code && !IsCode(code), "code", "code must be 2-32 upper-case letters, digits or hyphens, e.g. FF-EASINGTON.");
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await db.Teams.AnyAsync(t => t.Code == request.Code, cancellationToken))
        {
            return Problems.Conflict("Team already exists", $"A team with code {request.Code} already exists.");
        }

        var now = clock.GetUtcNow();
        var team = new Team
        {
            Code = request.Code!,
            Name = request.Name!.Trim(),
            Area = MeetingRules.Trim(request.Area),
            GpPilot = request.GpPilot ?? false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/teams/{team.Code}", ToResponse(team));
    }

    public static async Task<Results<Ok<TeamResponse>, ValidationProblem, ProblemHttpResult>> UpdateTeam(
        string code, TeamRequest request, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var team = await db.Teams.Include(t => t.Bridges).SingleOrDefaultAsync(t => t.Code == code, cancellationToken);
        if (team is null)
        {
            return Problems.NotFound("Not found", $"No team has code {code}.");
        }

        team.Name = request.Name!.Trim();
        team.Area = MeetingRules.Trim(request.Area);
        team.GpPilot = request.GpPilot ?? team.GpPilot;
        team.Active = request.Active ?? team.Active;
        team.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(team));
    }

    public static async Task<Results<Created<BridgeResponse>, ValidationProblem, ProblemHttpResult>> AddBridge(
        string code, BridgeRequest request, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors()
            .Required("label", request.Label, 100)
            .Required("dialInNumber", request.DialInNumber, 40)
            .When(request.DialInNumber is { Length: > 0 } number && !number.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '(' or ')' or '-'), "dialInNumber", "dialInNumber may hold digits, spaces and + ( ) - only.")
            .Required("conferenceCode", request.ConferenceCode, 40)
            .When(request.ConferenceCode is { Length: > 0 } conference && !conference.All(char.IsAsciiLetterOrDigit), "conferenceCode", "conferenceCode may hold letters and digits only.");
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!await db.Teams.AnyAsync(t => t.Code == code, cancellationToken))
        {
            return Problems.NotFound("Not found", $"No team has code {code}.");
        }

        var bridge = new Bridge
        {
            Id = NewId.NextGuid(),
            TeamCode = code,
            Label = request.Label!.Trim(),
            DialInNumber = request.DialInNumber!.Trim(),
            ConferenceCode = request.ConferenceCode!.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Bridges.Add(bridge);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/teams/{code}", ToResponse(bridge));
    }

    /// <summary>The bridge is booked no more; meetings already on it keep it.</summary>
    public static async Task<Results<Ok<BridgeResponse>, ProblemHttpResult>> RetireBridge(string code, Guid id, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        var bridge = await db.Bridges.SingleOrDefaultAsync(b => b.Id == id && b.TeamCode == code, cancellationToken);
        if (bridge is null)
        {
            return Problems.NotFound("Not found", $"Team {code} has no bridge {id}.");
        }

        bridge.Active = false;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(bridge));
    }

    private static ValidationErrors Validate(TeamRequest request) => new ValidationErrors()
        .Required("name", request.Name)
        .MaxLength("area", request.Area, 100);

    private static bool IsCode(string code) =>
        code.Length is >= 2 and <= 32 && char.IsAsciiLetterOrDigit(code[0]) && code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>A team's configuration (bridges, manager addresses) is for administrators and the team's own managers only.</summary>
    private static bool MayRead(ClaimsPrincipal user, string teamCode) =>
        user.IsInRole(JtaiRoles.Administrator) || (user.IsInRole(JtaiRoles.TeamManager) && TeamAccess.ActsFor(user, teamCode));

    private static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    private static TeamResponse ToResponse(Team team) => ToResponse(team, false);

    private static TeamResponse ToResponse(Team team, bool withManagers) =>
        new(team.Code, team.Name, team.Area, team.GpPilot, team.Active, team.Bridges.OrderBy(b => b.Label, StringComparer.Ordinal).Select(ToResponse).ToList(),
            withManagers ? team.Managers.OrderBy(m => m.Email, StringComparer.Ordinal).Select(m => new TeamManagerResponse(m.Email, m.FullName, m.AddedAt)).ToList() : null,
            team.ManagersVersion);

    private static BridgeResponse ToResponse(Bridge bridge) => new(bridge.Id, bridge.Label, bridge.DialInNumber, bridge.ConferenceCode, bridge.Active);
}
