using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Recording;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// The record of a held meeting and its agreed actions: written and circulated by a team manager of
/// the meeting's team; read, once circulated, by the SPOCs of the agencies invited to it.
/// </summary>
public static class RecordingApi
{
    public static IEndpointRouteBuilder MapRecordingApi(this IEndpointRouteBuilder app)
    {
        var record = app.MapGroup("/api/meetings/{id:guid}/record").WithTags("Recording").RequireAuthorization(JtaiPolicies.TeamManager);
        record.MapPut("/", RecordMeeting);
        record.MapGet("/", GetRecord);
        record.MapPut("/actions", ReplaceActions);
        record.MapPost("/circulations", Circulate);
        record.MapPost("/amendments", Amend);

        var circulated = app.MapGroup("/api/circulated-records").WithTags("Recording").RequireAuthorization(JtaiPolicies.Spoc);
        circulated.MapGet("/", ListCirculated);
        circulated.MapGet("/{id:guid}", GetCirculated);
        return app;
    }

    /// <summary>Records the held meeting (or corrects the record until it is circulated); starts the 24-hour circulation clock.</summary>
    public static async Task<Results<Ok<MeetingRecordResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> RecordMeeting(
        Guid id, RecordMeetingRequest request, ClaimsPrincipal user, MeetingsDbContext db, MeetingRecorder recorder, TimeProvider clock, NationalMinimum minimum, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await recorder.LockAsync(id, cancellationToken);
        var loaded = await LoadForManagerAsync(db, id, user, cancellationToken);
        if (loaded.Forbidden)
        {
            return TypedResults.Forbid();
        }

        if (loaded.Problem is { } problem)
        {
            return problem;
        }

        var (meeting, record) = (loaded.Meeting!, loaded.Record);
        if (!meeting.IsScheduled)
        {
            return Problems.Conflict("Meeting cancelled", $"{meeting.Reference} was cancelled; there is nothing to record.");
        }

        if (record?.IsCirculated == true)
        {
            return Problems.Conflict("Already circulated", $"The record of {meeting.Reference} was circulated and is now fixed; amend the agreed actions instead.");
        }

        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var details = RecordRules.Validate(errors, request.ToReport(), meeting, now, minimum, record);
        if (details is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        try
        {
            record = await recorder.RecordAsync(meeting, record, details, user.SubjectId(), cancellationToken);
        }
        catch (BankHolidaysNotCoveredException ex)
        {
            return Problems.Conflict("Bank holiday list out of date", ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(MeetingRecordResponse.From(meeting, record, now));
    }

    public static async Task<Results<Ok<MeetingRecordResponse>, ProblemHttpResult, ForbidHttpResult>> GetRecord(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var loaded = await LoadForManagerAsync(db, id, user, cancellationToken);
        if (loaded.Forbidden)
        {
            return TypedResults.Forbid();
        }

        if (loaded.Problem is { } problem)
        {
            return problem;
        }

        var (meeting, record) = (loaded.Meeting!, loaded.Record);
        if (record is null)
        {
            return Problems.NotFound("Not found", $"{meeting.Reference} has not been recorded yet.");
        }

        var now = clock.GetUtcNow();
        await db.AuditReadAsync(user.SubjectId(), "meeting.record.read", meeting.Id, now, meeting.Reference, cancellationToken);
        return TypedResults.Ok(MeetingRecordResponse.From(meeting, record, now));
    }

    /// <summary>Replaces the agreed actions (the complete list, in order) until they are first circulated.</summary>
    public static async Task<Results<Ok<MeetingRecordResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ReplaceActions(
        Guid id, AgreedActionsRequest request, ClaimsPrincipal user, MeetingsDbContext db, MeetingRecorder recorder, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await recorder.LockAsync(id, cancellationToken);
        var loaded = await LoadRecordedForManagerAsync(db, id, user, cancellationToken);
        if (loaded.Forbidden)
        {
            return TypedResults.Forbid();
        }

        if (loaded.Problem is { } problem)
        {
            return problem;
        }

        var (meeting, record) = (loaded.Meeting!, loaded.Record!);
        if (record.IsCirculated)
        {
            return Problems.Conflict("Already circulated", $"The agreed actions of {meeting.Reference} were circulated; change them by amendment, which circulates a new version.");
        }

        var errors = new ValidationErrors();
        var actions = RecordRules.ValidateActions(errors, AgreedActionRequest.ToProposals(request.Actions), meeting, record.StrategyDiscussionDate);
        if (actions is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        recorder.ReplaceActions(meeting, record, actions, user.SubjectId());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(MeetingRecordResponse.From(meeting, record, clock.GetUtcNow()));
    }

    /// <summary>Circulates the record and agreed actions to every invited agency (version 1). Late is allowed, and recorded as late.</summary>
    public static async Task<Results<Created<CirculationResponse>, ProblemHttpResult, ForbidHttpResult>> Circulate(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, MeetingRecorder recorder, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await recorder.LockAsync(id, cancellationToken);
        var loaded = await LoadRecordedForManagerAsync(db, id, user, cancellationToken);
        if (loaded.Forbidden)
        {
            return TypedResults.Forbid();
        }

        if (loaded.Problem is { } problem)
        {
            return problem;
        }

        var (meeting, record) = (loaded.Meeting!, loaded.Record!);
        if (record.IsCirculated)
        {
            return Problems.Conflict("Already circulated", $"Version {record.CirculatedVersion} of {meeting.Reference} was circulated; changes go out as an amendment.");
        }

        var team = await db.TeamOfAsync(meeting, cancellationToken);
        var circulation = await recorder.CirculateAsync(meeting, record, team, user.SubjectId(), null, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/meetings/{meeting.Id}/record", CirculationResponse.From(circulation));
    }

    /// <summary>Changes circulated actions: the complete new list and a reason, circulated at once as the next version; earlier versions stay.</summary>
    public static async Task<Results<Created<CirculationResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Amend(
        Guid id, AmendmentRequest request, ClaimsPrincipal user, MeetingsDbContext db, MeetingRecorder recorder, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await recorder.LockAsync(id, cancellationToken);
        var loaded = await LoadRecordedForManagerAsync(db, id, user, cancellationToken);
        if (loaded.Forbidden)
        {
            return TypedResults.Forbid();
        }

        if (loaded.Problem is { } problem)
        {
            return problem;
        }

        var (meeting, record) = (loaded.Meeting!, loaded.Record!);
        if (!record.IsCirculated)
        {
            return Problems.Conflict("Not circulated yet", $"Nothing of {meeting.Reference} was circulated yet: edit the agreed actions and circulate them.");
        }

        var errors = new ValidationErrors().Required("reason", request.Reason, 500);
        var actions = RecordRules.ValidateActions(errors, AgreedActionRequest.ToProposals(request.Actions), meeting, record.StrategyDiscussionDate);
        if (errors.Any || actions is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var team = await db.TeamOfAsync(meeting, cancellationToken);
        var circulation = await recorder.CirculateAsync(meeting, record, team, user.SubjectId(), request.Reason!.Trim(), actions, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/meetings/{meeting.Id}/record", CirculationResponse.From(circulation));
    }

    /// <summary>
    /// The circulated records of meetings the SPOC's agency was invited to that ended from <paramref name="from"/>
    /// (default: 90 days ago), latest circulation first (an amendment brings its record back to the top), then the
    /// meeting's id; paged (<see cref="ListPaging"/>, the cursor being the last row's latest circulation and id). No case details.
    /// </summary>
    public static async Task<Results<Ok<List<CirculatedListItem>>, ValidationProblem>> ListCirculated(
        DateTimeOffset? from, int? pageSize, string? cursor, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (ListPaging.From(pageSize, cursor, errors) is not { } paging)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var agency = user.AgencyCode();
        var since = (from ?? now.AddDays(-90)).ToUniversalTime();
        // Keyset on the latest circulation (descending): the rows strictly after the cursor's time and id.
        var afterAt = paging.After?.At;
        var afterId = paging.After?.Id ?? Guid.Empty;
        var read = await (
                from r in db.MeetingRecords.AsNoTracking()
                join m in db.Meetings.AsNoTracking() on r.MeetingId equals m.Id
                where r.CirculatedVersion > 0 && r.ActualEnd >= since && m.Agencies.Any(a => a.Invited && a.AgencyCode == agency)
                let latest = r.Circulations.OrderByDescending(c => c.Version).First()
                where afterAt == null || latest.CirculatedAt < afterAt || (latest.CirculatedAt == afterAt && m.Id.CompareTo(afterId) < 0)
                orderby latest.CirculatedAt descending, m.Id descending
                select new CirculatedListItem(
                    m.Id, m.Reference, m.TeamCode, r.ActualEnd, latest.Version, latest.CirculatedAt,
                    latest.Actions.Count(), latest.Actions.Count(a => a.OwnerAgencyCode == agency)))
            .Take(paging.PageSize + 1)
            .ToListAsync(cancellationToken);
        var rows = paging.Page(read, r => new ListCursor(r.LatestCirculatedAt, r.MeetingId), http, ListPaging.LatestCirculationFirst);
        await db.AuditReadAsync(user.SubjectId(), "circulated-records.listed", null, now, AuditLog.Shown($"agency {agency}: {rows.Count} meetings", rows.Select(r => r.Reference)), cancellationToken);
        return TypedResults.Ok(rows);
    }

    /// <summary>A circulated record for an invited agency's SPOC: the latest version, or the one asked for.</summary>
    public static async Task<Results<Ok<CirculatedRecordResponse>, ProblemHttpResult, ForbidHttpResult>> GetCirculated(
        Guid id, int? version, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Agencies).SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Not found", $"No meeting {id}.");
        }

        if (!meeting.Agencies.Any(a => a.Invited && string.Equals(a.AgencyCode, user.AgencyCode(), StringComparison.OrdinalIgnoreCase)))
        {
            return TypedResults.Forbid();
        }

        var record = await db.LoadRecordAsync(id, tracked: false, cancellationToken);
        var shown = record?.Circulations.Where(c => version is null || c.Version == version).MaxBy(c => c.Version);
        if (record is null || shown is null)
        {
            return Problems.NotFound("Not found", version is null
                ? $"The record of {meeting.Reference} has not been circulated yet."
                : $"{meeting.Reference} has no circulated version {version}.");
        }

        await db.AuditReadAsync(user.SubjectId(), "circulated-record.read", meeting.Id, clock.GetUtcNow(), $"{user.AgencyCode()}: {meeting.Reference} v{shown.Version}", cancellationToken);
        return TypedResults.Ok(CirculatedRecordResponse.From(meeting, record, shown));
    }

    /// <summary>A meeting and its record as a manager's request finds them, or why the request stops here.</summary>
    private sealed record Loaded(StrategyMeeting? Meeting, MeetingRecord? Record, ProblemHttpResult? Problem = null, bool Forbidden = false);

    /// <summary>The meeting (tracked) and its record if any, for a manager of the meeting's team.</summary>
    private static async Task<Loaded> LoadForManagerAsync(MeetingsDbContext db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return new Loaded(null, null, Problems.NotFound("Not found", $"No meeting {id}."));
        }

        if (!TeamAccess.ActsFor(user, meeting.TeamCode))
        {
            return new Loaded(meeting, null, Forbidden: true);
        }

        return new Loaded(meeting, await db.LoadRecordAsync(id, tracked: true, cancellationToken));
    }

    /// <summary>As <see cref="LoadForManagerAsync"/>, and the meeting must have been recorded.</summary>
    private static async Task<Loaded> LoadRecordedForManagerAsync(MeetingsDbContext db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var loaded = await LoadForManagerAsync(db, id, user, cancellationToken);
        return loaded is { Problem: null, Forbidden: false, Record: null }
            ? loaded with { Problem = Problems.Conflict("Not recorded yet", $"Record {loaded.Meeting!.Reference} (times, attendance, decision) before its agreed actions.") }
            : loaded;
    }
}
