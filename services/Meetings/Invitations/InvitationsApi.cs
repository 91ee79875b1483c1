using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
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
        return app;
    }

    /// <summary>The agency's standing invitations (not those passed to a colleague), soonest first; cancelled ones too.</summary>
    public static async Task<Ok<List<SpocInvitationResponse>>> ListInvitations(
        DateTimeOffset? from, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var agency = user.AgencyCode();
        var since = (from ?? now.AddDays(-1)).ToUniversalTime();
        var rows = await (
                from i in db.Invitations.AsNoTracking()
                join m in db.Meetings.AsNoTracking().Include(m => m.Bridge) on i.MeetingId equals m.Id
                where i.AgencyCode == agency && i.Status != InvitationStatus.Superseded && m.ScheduledEnd >= since
                orderby m.ScheduledStart
                select new { Invitation = i, Meeting = m })
            .Take(500)
            .ToListAsync(cancellationToken);
        await db.AuditReadAsync(user.SubjectId(), "invitations.listed", null, now, AuditLog.Shown($"agency {agency}: {rows.Count} invitations", rows.Select(r => r.Meeting.Reference)), cancellationToken);
        return TypedResults.Ok(rows.Select(r => SpocInvitationResponse.From(r.Meeting, r.Invitation)).ToList());
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
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.LoadInvitationAsync(id, cancellationToken) is not { } found)
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

        var answered = await answers.AnswerAsync(meeting, invitation, request.ToAnswer(), user.SubjectId(), byLink: false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(answered);
    }

    private static bool OwnAgency(ClaimsPrincipal user, Invitation invitation) =>
        string.Equals(user.AgencyCode(), invitation.AgencyCode, StringComparison.OrdinalIgnoreCase);
}
