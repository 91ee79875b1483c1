using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>Invitations as a signed-in SPOC sees them: its own agency's only.</summary>
public static class InvitationsApi
{
    public static IEndpointRouteBuilder MapInvitationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/invitations").WithTags("Invitations").RequireAuthorization(JtaiPolicies.Spoc);
        api.MapGet("/", ListInvitations);
        api.MapGet("/{id:guid}", GetInvitation);
        api.MapPost("/{id:guid}/answer", Answer);

        // The free text the agency sent: its own SPOC, or the manager of the team that convened the meeting (who reads
        // it on the board too); any role may ask, the handler decides, so a manager is not refused by the SPOC policy.
        app.MapGet("/api/invitations/{id:guid}/written-contribution", ReadWrittenContribution)
            .WithTags("Invitations").RequireAuthorization(JtaiPolicies.AnyRole);
        return app;
    }

    /// <summary>
    /// The written contribution of one invitation, for its agency's SPOC (to see what was sent, before changing it)
    /// and the convening team's manager; another agency's SPOC, another team's manager, the MASDG and administrators
    /// are refused (403). Audited as a read.
    /// </summary>
    public static async Task<Results<Ok<WrittenContributionResponse>, ProblemHttpResult, ForbidHttpResult>> ReadWrittenContribution(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.LoadInvitationAsync(id, cancellationToken) is not { } found)
        {
            return Problems.NotFound("Not found", $"No invitation {id}.");
        }

        var (meeting, invitation) = found;
        var agencysSpoc = user.IsInRole(JtaiRoles.Spoc) && OwnAgency(user, invitation);
        var conveningManager = user.IsInRole(JtaiRoles.TeamManager) && TeamAccess.ActsFor(user, meeting.TeamCode);
        if (!agencysSpoc && !conveningManager)
        {
            return TypedResults.Forbid();
        }

        await db.AuditReadAsync(user.SubjectId(), "invitation.contribution-read", meeting.Id, clock.GetUtcNow(), $"{invitation.AgencyCode}: {invitation.Id}", cancellationToken);
        return TypedResults.Ok(new WrittenContributionResponse(
            invitation.Id, meeting.Id, meeting.Reference, invitation.AgencyCode, invitation.Answer, invitation.WrittenContribution, invitation.AnsweredAt));
    }

    /// <summary>
    /// The agency's standing invitations (not those passed to a colleague) to meetings that end from <paramref name="from"/>
    /// (default: yesterday), cancelled ones too; paged (<see cref="ListPaging"/>) in the order of the meeting's scheduled
    /// start, then the invitation's id, so every invitation comes exactly once however many there are.
    /// </summary>
    public static async Task<Results<Ok<List<SpocInvitationResponse>>, ValidationProblem>> ListInvitations(
        DateTimeOffset? from, int? pageSize, string? cursor, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (ListPaging.From(pageSize, cursor, errors) is not { } paging)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var agency = user.AgencyCode();
        var since = (from ?? now.AddDays(-1)).ToUniversalTime();
        var rows =
            from i in db.Invitations.AsNoTracking()
            join m in db.Meetings.AsNoTracking().Include(m => m.Bridge) on i.MeetingId equals m.Id
            where i.AgencyCode == agency && i.Status != InvitationStatus.Superseded && m.ScheduledEnd >= since
            select new { Invitation = i, Meeting = m };
        if (paging.After is { } after)
        {
            rows = rows.Where(r => r.Meeting.ScheduledStart > after.At
                || (r.Meeting.ScheduledStart == after.At && r.Invitation.Id.CompareTo(after.Id) > 0));
        }

        var read = await rows.OrderBy(r => r.Meeting.ScheduledStart).ThenBy(r => r.Invitation.Id)
            .Take(paging.PageSize + 1)
            .ToListAsync(cancellationToken);
        var page = paging.Page(read, r => new ListCursor(r.Meeting.ScheduledStart, r.Invitation.Id), http);
        await db.AuditReadAsync(user.SubjectId(), "invitations.listed", null, now, AuditLog.Shown($"agency {agency}: {page.Count} invitations", page.Select(r => r.Meeting.Reference)), cancellationToken);
        return TypedResults.Ok(page.Select(r => SpocInvitationResponse.From(r.Meeting, r.Invitation)).ToList());
    }

    public static async Task<Results<Ok<SpocInvitationResponse>, ProblemHttpResult, ForbidHttpResult>> GetInvitation(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.LoadInvitationAsync(id, cancellationToken) is not { } found)
        {
            return Problems.NotFound("Not found", $"No invitation {id}.");
        }

        var (meeting, invitation) = found;
        if (!OwnAgency(user, invitation))
        {
            return TypedResults.Forbid();
        }

        await db.AuditReadAsync(user.SubjectId(), "invitation.read", meeting.Id, clock.GetUtcNow(), $"{invitation.AgencyCode}: {invitation.Id}", cancellationToken);
        return TypedResults.Ok(SpocInvitationResponse.From(meeting, invitation));
    }

    /// <summary>A signed-in SPOC answers for its own agency (and may change the answer until the meeting ends).</summary>
    public static async Task<Results<Ok<AnswerResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Answer(
        Guid id, AnswerRequest request, ClaimsPrincipal user, MeetingsDbContext db, InvitationAnswers answers, CancellationToken cancellationToken)
    {
        // As by link: a background change to the invitation committed meanwhile is tried again, not a conflict.
        return await ConflictRetry.RunAsync(db, async Task<Results<Ok<AnswerResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> (ct) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await db.LoadInvitationAsync(id, ct) is not { } found)
            {
                return Problems.NotFound("Not found", $"No invitation {id}.");
            }

            var (meeting, invitation) = found;
            if (!OwnAgency(user, invitation))
            {
                return TypedResults.Forbid();
            }

            var errors = answers.Validate(request.ToAnswer());
            if (errors.Any)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }

            var answered = await answers.AnswerAsync(meeting, invitation, request.ToAnswer(), user.SubjectId(), byLink: false, ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(answered);
        }, cancellationToken);
    }

    private static bool OwnAgency(ClaimsPrincipal user, Invitation invitation) =>
        string.Equals(user.AgencyCode(), invitation.AgencyCode, StringComparison.OrdinalIgnoreCase);
}
