using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Recording;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Convening;

/// <summary>
/// Strategy meetings, for the team managers of the team that convenes them. The endpoints bind,
/// authorise, call <see cref="MeetingConvener"/> and map its outcome to HTTP; reads query directly.
/// </summary>
public static class MeetingsApi
{
    public static IEndpointRouteBuilder MapMeetingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/meetings").WithTags("Meetings").RequireAuthorization(JtaiPolicies.TeamManager);
        api.MapPost("/suggestions", SuggestInvitees);
        api.MapPost("/", Convene);
        api.MapGet("/", ListMeetings);
        api.MapGet("/{id:guid}", GetMeeting);
        api.MapGet("/{id:guid}/board", GetBoard);
        api.MapPost("/{id:guid}/reschedule", Reschedule);
        api.MapPost("/{id:guid}/cancel", Cancel);

        var decisions = app.MapGroup("/api/decisions-not-to-convene").WithTags("Meetings").RequireAuthorization(JtaiPolicies.TeamManager);
        decisions.MapPost("/", RecordDecisionNotToConvene);
        decisions.MapGet("/", ListDecisionsNotToConvene);
        return app;
    }

    /// <summary>What the rules suggest for these case facts; the manager decides when convening.</summary>
    public static async Task<Results<Ok<List<SuggestionResponse>>, ValidationProblem, ProblemHttpResult>> SuggestInvitees(
        CaseFactsRequest request, ClaimsPrincipal user, MeetingConvener convener, CancellationToken cancellationToken)
    {
        var outcome = await convener.SuggestAsync(request.ToProposal(), user.TeamCode(), cancellationToken);
        return outcome switch
        {
            { Problem: { } problem } => ToProblem(problem),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors.ToDictionary()),
            _ => TypedResults.Ok(outcome.Value!.Select(s => new SuggestionResponse(s.AgencyCode, s.AgencyName, s.Kind, s.Role, s.Minimum, s.Reason)).ToList()),
        };
    }

    public static async Task<Results<Created<MeetingResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Convene(
        ConveneRequest request, ClaimsPrincipal user, MeetingConvener convener, NationalMinimum minimum, CancellationToken cancellationToken)
    {
        if (!TeamAccess.ActsFor(user, request.TeamCode ?? user.TeamCode()))
        {
            return TypedResults.Forbid();
        }

        var outcome = await convener.ConveneAsync(request.ToProposal(), ManagerOf(user), cancellationToken);
        return outcome switch
        {
            { Problem: { } problem } => ToProblem(problem),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors.ToDictionary()),
            { Forbidden: true } => TypedResults.Forbid(),
            _ => TypedResults.Created($"/api/meetings/{outcome.Value!.Id}", MeetingResponse.From(outcome.Value, minimum)),
        };
    }

    /// <summary>
    /// The team's meetings in a period (default: from yesterday for 30 days), or all upcoming, or all past (<c>when</c>),
    /// no case details; paged (<see cref="ListPaging"/>) in the order of the scheduled start, then the meeting's id
    /// (past: both descending, latest first).
    /// </summary>
    public static async Task<Results<Ok<List<MeetingListItem>>, ValidationProblem>> ListMeetings(
        DateTimeOffset? from, DateTimeOffset? to, string? when, int? pageSize, string? cursor, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = ListPaging.From(pageSize, cursor, errors);
        errors.When(when is not (null or "upcoming" or "past"), "when", "when must be upcoming or past (or left out, for the window from and to).");
        if (paging is null || errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // Three views of the team's meetings: the window [from, to) (default from yesterday for 30 days, as before);
        // "upcoming", from `from` (default yesterday) with no end; "past", those that started before `to` (default
        // yesterday), latest first, so a meeting held long ago and still not circulated is found by paging back.
        var now = clock.GetUtcNow();
        var past = when == "past";
        var start = (from ?? now.AddDays(-1)).ToUniversalTime();
        var end = (past ? to ?? now.AddDays(-1) : to ?? (when == "upcoming" ? null : start.AddDays(30)))?.ToUniversalTime();
        var team = user.TeamCode();
        var inPeriod = db.Meetings.AsNoTracking().Where(m => m.TeamCode == team);
        if (!past)
        {
            inPeriod = inPeriod.Where(m => m.ScheduledStart >= start);
        }

        if (end is { } before)
        {
            inPeriod = inPeriod.Where(m => m.ScheduledStart < before);
        }

        if (paging.After is { } after)
        {
            inPeriod = past
                ? inPeriod.Where(m => m.ScheduledStart < after.At || (m.ScheduledStart == after.At && m.Id.CompareTo(after.Id) < 0))
                : inPeriod.Where(m => m.ScheduledStart > after.At || (m.ScheduledStart == after.At && m.Id.CompareTo(after.Id) > 0));
        }

        var ordered = past
            ? inPeriod.OrderByDescending(m => m.ScheduledStart).ThenByDescending(m => m.Id)
            : inPeriod.OrderBy(m => m.ScheduledStart).ThenBy(m => m.Id);
        var rows = await ordered
            .Take(paging.PageSize + 1)
            .Select(m => new
            {
                m.Id, m.Reference, m.Status, m.ScheduledStart, m.ScheduledEnd, m.ConvenedBeyondLimit,
                Invited = m.Agencies.Count(a => a.Invited),
                Answered = m.Invitations.Count(i => i.Status == InvitationStatus.Answered),
                // The record, once the meeting is recorded as held: its circulation deadline and whether the first circulation was on time.
                Record = db.Set<MeetingRecord>().Where(r => r.MeetingId == m.Id).Select(r => new { r.CirculationDeadline, r.FirstCirculationOnTime }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var read = rows.Select(m => new MeetingListItem(
            m.Id, m.Reference, m.Status, m.ScheduledStart, m.ScheduledEnd, m.ConvenedBeyondLimit, m.Invited, m.Answered,
            m.Record?.CirculationDeadline,
            m.Record is null ? null : MeetingRecordResponse.StandingOf(m.Record.FirstCirculationOnTime, m.Record.CirculationDeadline, now))).ToList();
        var meetings = paging.Page(read, m => new ListCursor(m.ScheduledStart, m.Id), http, past ? ListPaging.LatestStartFirst : ListPaging.SortOrder);
        await db.AuditReadAsync(user.SubjectId(), "meetings.listed", null, now, AuditLog.Shown($"team {team}: {meetings.Count} meetings", meetings.Select(m => m.Reference)), cancellationToken);
        return TypedResults.Ok(meetings);
    }

    public static async Task<Results<Ok<MeetingResponse>, ProblemHttpResult, ForbidHttpResult>> GetMeeting(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, NationalMinimum minimum, CancellationToken cancellationToken)
    {
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Not found", $"No meeting {id}.");
        }

        if (!TeamAccess.ActsFor(user, meeting.TeamCode))
        {
            return TypedResults.Forbid();
        }

        await db.AuditReadAsync(user.SubjectId(), "meeting.read", meeting.Id, clock.GetUtcNow(), meeting.Reference, cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting, minimum));
    }

    /// <summary>The live response board: per agency the recipient, delivery, answer and written contribution.</summary>
    public static async Task<Results<Ok<BoardResponse>, ProblemHttpResult, ForbidHttpResult>> GetBoard(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Not found", $"No meeting {id}.");
        }

        if (!TeamAccess.ActsFor(user, meeting.TeamCode))
        {
            return TypedResults.Forbid();
        }

        await db.AuditReadAsync(user.SubjectId(), "meeting.board.read", meeting.Id, clock.GetUtcNow(), meeting.Reference, cancellationToken);
        return TypedResults.Ok(BoardResponse.From(meeting));
    }

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Reschedule(
        Guid id, RescheduleRequest request, ClaimsPrincipal user, MeetingConvener convener, NationalMinimum minimum, CancellationToken cancellationToken) =>
        ToMeetingResult(await convener.RescheduleAsync(id, request.ToProposal(), ManagerOf(user), cancellationToken), minimum);

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Cancel(
        Guid id, CancelRequest request, ClaimsPrincipal user, MeetingConvener convener, NationalMinimum minimum, CancellationToken cancellationToken) =>
        ToMeetingResult(await convener.CancelAsync(id, request.ToProposal(), ManagerOf(user), cancellationToken), minimum);

    /// <summary>A decision not to convene, coded, so thresholds can be compared across teams.</summary>
    public static async Task<Results<Created<DecisionNotToConveneResponse>, ValidationProblem, ForbidHttpResult, ProblemHttpResult>> RecordDecisionNotToConvene(
        DecisionNotToConveneRequest request, ClaimsPrincipal user, MeetingConvener convener, CancellationToken cancellationToken)
    {
        if (!TeamAccess.ActsFor(user, request.TeamCode ?? user.TeamCode()))
        {
            return TypedResults.Forbid();
        }

        var outcome = await convener.RecordDecisionNotToConveneAsync(request.ToProposal(), ManagerOf(user), cancellationToken);
        return outcome switch
        {
            { Problem: { } problem } => ToProblem(problem),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors.ToDictionary()),
            { Forbidden: true } => TypedResults.Forbid(),
            _ => TypedResults.Created($"/api/decisions-not-to-convene/{outcome.Value!.Id}", ToResponse(outcome.Value)),
        };
    }

    /// <summary>
    /// The team's decisions not to convene, paged (<see cref="ListPaging"/>) in the stated order: latest decision first,
    /// then the id, descending (before paging it returned the latest 500 and silently stopped there).
    /// </summary>
    public static async Task<Results<Ok<List<DecisionNotToConveneResponse>>, ValidationProblem>> ListDecisionsNotToConvene(
        int? pageSize, string? cursor, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (ListPaging.From(pageSize, cursor, errors) is not { } paging)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var team = user.TeamCode();
        var rows = db.DecisionsNotToConvene.AsNoTracking().Where(d => d.TeamCode == team);
        if (paging.After is { } after)
        {
            rows = rows.Where(d => d.DecidedAt < after.At || (d.DecidedAt == after.At && d.Id.CompareTo(after.Id) < 0));
        }

        var read = await rows.OrderByDescending(d => d.DecidedAt).ThenByDescending(d => d.Id).Take(paging.PageSize + 1).ToListAsync(cancellationToken);
        var decisions = paging.Page(read, d => new ListCursor(d.DecidedAt, d.Id), http, ListPaging.LatestDecisionFirst);
        await db.AuditReadAsync(user.SubjectId(), "decisions-not-to-convene.listed", null, clock.GetUtcNow(), AuditLog.Shown($"team {team}: {decisions.Count} decisions", decisions.Select(d => d.Id.ToString())), cancellationToken);
        return TypedResults.Ok(decisions.Select(ToResponse).ToList());
    }

    private static Manager ManagerOf(ClaimsPrincipal user) => new(user.SubjectId(), user.TeamCode(), user.Email());

    private static Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult> ToMeetingResult(ConveningOutcome<StrategyMeeting> outcome, NationalMinimum minimum) => outcome switch
    {
        { Problem: { } problem } => ToProblem(problem),
        { Errors: { } errors } => TypedResults.ValidationProblem(errors.ToDictionary()),
        { Forbidden: true } => TypedResults.Forbid(),
        _ => TypedResults.Ok(MeetingResponse.From(outcome.Value!, minimum)),
    };

    private static ProblemHttpResult ToProblem(ConveningProblem problem) => problem.Status == StatusCodes.Status404NotFound
        ? Problems.NotFound("Not found", problem.Detail)
        : Problems.Conflict(problem.Title, problem.Detail, problem.Extensions);

    private static DecisionNotToConveneResponse ToResponse(DecisionNotToConvene d) =>
        new(d.Id, d.TeamCode, d.CaseReference, d.ConcernCategory, d.ReasonCode, d.ReasonText, d.DecidedAt);
}
