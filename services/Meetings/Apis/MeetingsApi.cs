using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Replica;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Apis;

/// <summary>Strategy meetings, for the team managers of the team that convenes them.</summary>
public static partial class MeetingsApi
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
        CaseFactsRequest request, ClaimsPrincipal user, MeetingsDbContext db, IOptions<MeetingsOptions> options, CancellationToken cancellationToken)
    {
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Code == user.TeamCode(), cancellationToken);
        if (team is null)
        {
            return Problems.NotFound($"Your team ({user.TeamCode() ?? "none in your token"}) is not registered.");
        }

        var agencies = await db.AgenciesAsync(cancellationToken);
        var errors = new ValidationErrors();
        var facts = ValidateFacts(errors, request, ConcernCategory.Other, team, agencies);
        if (errors.Any || facts is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return TypedResults.Ok(InviteeSuggestions.Suggest(facts, agencies, options.Value.InviteeAgencies)
            .Select(s => new SuggestionResponse(s.AgencyCode, s.AgencyName, s.Kind, s.Role, s.Minimum, s.Reason)).ToList());
    }

    public static async Task<Results<Created<MeetingResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Convene(
        ConveneRequest request, ClaimsPrincipal user, MeetingsDbContext db, InvitationIssuer issuer, IOptions<MeetingsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!ActsFor(user, request.TeamCode ?? user.TeamCode()))
        {
            return TypedResults.Forbid();
        }

        var team = await db.Teams.Include(t => t.Bridges).SingleOrDefaultAsync(t => t.Code == user.TeamCode(), cancellationToken);
        if (team is null || !team.Active)
        {
            return Problems.NotFound($"Team {user.TeamCode()} is not registered or not active.");
        }

        var agencies = await db.AgenciesAsync(cancellationToken);
        var errors = new ValidationErrors();
        var details = ValidateDetails(errors, request, team, agencies, now);
        var times = details is null ? null : MeetingRules.CheckTimes(
            errors, details.DecisionAt, request.ScheduledStart, request.LengthMinutes, request.DelayReason, request.DelayReasonText, options.Value.ConveneWithin, now);
        var considered = details is null ? [] : ChooseInvitees(errors, InviteeSuggestions.Suggest(details.Facts, agencies, options.Value.InviteeAgencies), agencies, request);
        if (errors.Any || details is null || times is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var booking = await db.FindFreeBridgeAsync(team, times.Start, times.End, null, null, cancellationToken);
        if (booking.Bridge is null)
        {
            return NoFreeBridge(team, booking, times);
        }

        var number = await db.NextMeetingNumberAsync(cancellationToken);
        var reference = string.Create(CultureInfo.InvariantCulture, $"SM-{now.Year:D4}-{number:D6}");
        var meeting = StrategyMeeting.Convene(
            NewId.NextGuid(), reference, team, booking.Bridge, await Pins.NewUniqueAsync(db, cancellationToken), details, times, user.SubjectId(), now);
        db.Meetings.Add(meeting);
        foreach (var agency in considered)
        {
            db.Add(meeting.ConsiderAgency(agency.Code, agency.Name, agency.Kind, agency.Source, agency.Reason, agency.Removed, agency.RemovedText));
        }

        var invited = meeting.Agencies.Where(a => a.Invited).ToList();
        db.AddOutboxMessage(new StrategyMeetingConvened(
            meeting.Id, meeting.Reference, team.Code, meeting.ConcernCategory.ToString(), meeting.IncidentAt, meeting.DecisionAt,
            meeting.ScheduledStart, meeting.ScheduledEnd, meeting.ConvenedBeyondLimit, meeting.DelayReasonCode?.ToString(),
            invited.Select(a => a.AgencyCode).ToList(), now));
        foreach (var agency in invited)
        {
            var outcome = await issuer.InviteAsync(meeting, team, agency.AgencyCode, agency.AgencyName, cancellationToken);
            agency.NotIssuedReason = outcome.NotIssuedReason;
        }

        db.Audit(user.SubjectId(), "meeting.convened", meeting.Id, now, meeting.Reference);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/meetings/{meeting.Id}", MeetingResponse.From(meeting));
    }

    /// <summary>The team's meetings in a period (default: from yesterday for 30 days). No case details.</summary>
    public static async Task<Ok<List<MeetingListItem>>> ListMeetings(
        DateTimeOffset? from, DateTimeOffset? to, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var start = (from ?? now.AddDays(-1)).ToUniversalTime();
        var end = (to ?? start.AddDays(30)).ToUniversalTime();
        var team = user.TeamCode();
        var meetings = await db.Meetings.AsNoTracking()
            .Where(m => m.TeamCode == team && m.ScheduledStart >= start && m.ScheduledStart < end)
            .OrderBy(m => m.ScheduledStart)
            .Select(m => new MeetingListItem(
                m.Id, m.Reference, m.Status, m.ScheduledStart, m.ScheduledEnd, m.ConvenedBeyondLimit,
                m.Agencies.Count(a => a.Invited),
                m.Invitations.Count(i => i.Status == InvitationStatus.Answered)))
            .ToListAsync(cancellationToken);
        await db.AuditReadAsync(user.SubjectId(), "meetings.listed", null, now, $"team {team}: {meetings.Count} meetings", cancellationToken);
        return TypedResults.Ok(meetings);
    }

    public static async Task<Results<Ok<MeetingResponse>, ProblemHttpResult, ForbidHttpResult>> GetMeeting(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound($"No meeting {id}.");
        }

        if (!ActsFor(user, meeting.TeamCode))
        {
            return TypedResults.Forbid();
        }

        await db.AuditReadAsync(user.SubjectId(), "meeting.read", meeting.Id, clock.GetUtcNow(), meeting.Reference, cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    /// <summary>The live response board: per agency the recipient, delivery, answer and written contribution.</summary>
    public static async Task<Results<Ok<BoardResponse>, ProblemHttpResult, ForbidHttpResult>> GetBoard(
        Guid id, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound($"No meeting {id}.");
        }

        if (!ActsFor(user, meeting.TeamCode))
        {
            return TypedResults.Forbid();
        }

        await db.AuditReadAsync(user.SubjectId(), "meeting.board.read", meeting.Id, clock.GetUtcNow(), meeting.Reference, cancellationToken);
        return TypedResults.Ok(BoardResponse.From(meeting));
    }

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Reschedule(
        Guid id, RescheduleRequest request, ClaimsPrincipal user, MeetingsDbContext db, InvitationIssuer issuer, IOptions<MeetingsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound($"No meeting {id}.");
        }

        if (!ActsFor(user, meeting.TeamCode))
        {
            return TypedResults.Forbid();
        }

        if (!meeting.IsScheduled)
        {
            return Problems.Conflict("Meeting cancelled", $"{meeting.Reference} was cancelled and cannot be rescheduled.");
        }

        if (await db.MeetingRecords.AnyAsync(r => r.MeetingId == meeting.Id, cancellationToken))
        {
            return Problems.Conflict("Meeting already held", $"{meeting.Reference} has been recorded as held; it cannot be rescheduled. Convene a new meeting if another is needed.");
        }

        var errors = new ValidationErrors()
            .When(request.Reason is null, "reason", "reason is required.")
            .When(request.Reason == RescheduleReason.Other && string.IsNullOrWhiteSpace(request.ReasonText), "reasonText", "reasonText is required when reason is Other.")
            .MaxLength("reasonText", request.ReasonText, 500);
        var times = MeetingRules.CheckTimes(errors, meeting.DecisionAt, request.ScheduledStart, request.LengthMinutes, request.DelayReason, request.DelayReasonText, options.Value.ConveneWithin, now);
        errors.When(times is not null && times.Start == meeting.ScheduledStart && times.End == meeting.ScheduledEnd, "scheduledStart", "The meeting is already at that time.");
        if (errors.Any || times is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var team = await db.Teams.Include(t => t.Bridges).SingleAsync(t => t.Code == meeting.TeamCode, cancellationToken);
        var booking = await db.FindFreeBridgeAsync(team, times.Start, times.End, meeting.Id, meeting.BridgeId, cancellationToken);
        if (booking.Bridge is null)
        {
            return NoFreeBridge(team, booking, times);
        }

        var previousStart = meeting.ScheduledStart;
        var startChanged = meeting.Reschedule(times, booking.Bridge, now);
        db.AddOutboxMessage(new StrategyMeetingRescheduled(
            meeting.Id, meeting.Reference, previousStart, meeting.ScheduledStart, meeting.ScheduledEnd, meeting.CalendarSequence, request.Reason!.Value.ToString(), now));
        await issuer.ReaskAsync(meeting, startChanged, cancellationToken);
        db.Audit(user.SubjectId(), "meeting.rescheduled", meeting.Id, now,
            $"{previousStart:u} -> {meeting.ScheduledStart:u} ({request.Reason}{(request.ReasonText is null ? string.Empty : ": " + request.ReasonText.Trim())})");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> Cancel(
        Guid id, CancelRequest request, ClaimsPrincipal user, MeetingsDbContext db, InvitationIssuer issuer, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors()
            .When(request.Reason is null, "reason", "reason is required.")
            .When(request.Reason == CancelReason.Other && string.IsNullOrWhiteSpace(request.ReasonText), "reasonText", "reasonText is required when reason is Other.")
            .MaxLength("reasonText", request.ReasonText, 500);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound($"No meeting {id}.");
        }

        if (!ActsFor(user, meeting.TeamCode))
        {
            return TypedResults.Forbid();
        }

        if (!meeting.IsScheduled)
        {
            return Problems.Conflict("Meeting cancelled", $"{meeting.Reference} is already cancelled.");
        }

        if (await db.MeetingRecords.AnyAsync(r => r.MeetingId == meeting.Id, cancellationToken))
        {
            return Problems.Conflict("Meeting already held", $"{meeting.Reference} has been recorded as held; a held meeting is not cancelled.");
        }

        var standing = meeting.CurrentInvitations.ToList();
        meeting.Cancel(request.Reason!.Value, MeetingRules.Trim(request.ReasonText), now);
        db.AddOutboxMessage(new StrategyMeetingCancelled(meeting.Id, meeting.Reference, request.Reason.Value.ToString(), now));
        await issuer.WithdrawAllAsync(meeting, standing, request.Reason.Value.ToString(), cancellationToken);
        db.Audit(user.SubjectId(), "meeting.cancelled", meeting.Id, now, request.Reason.Value.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    /// <summary>A decision not to convene, coded, so thresholds can be compared across teams.</summary>
    public static async Task<Results<Created<DecisionNotToConveneResponse>, ValidationProblem, ForbidHttpResult, ProblemHttpResult>> RecordDecisionNotToConvene(
        DecisionNotToConveneRequest request, ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ActsFor(user, request.TeamCode ?? user.TeamCode()))
        {
            return TypedResults.Forbid();
        }

        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        ValidateCaseReference(errors, request.CaseReference);
        errors.When(request.ConcernCategory is null, "concernCategory", "concernCategory is required.")
            .When(request.Reason is null, "reason", "reason is required.")
            .When(request.Reason == NotConveneReason.Other && string.IsNullOrWhiteSpace(request.ReasonText), "reasonText", "reasonText is required when reason is Other.")
            .MaxLength("reasonText", request.ReasonText, 1000)
            .When(request.DecidedAt is null, "decidedAt", "decidedAt is required.")
            .When(request.DecidedAt > now + MeetingRules.Skew, "decidedAt", "decidedAt is in the future.");
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!await db.Teams.AnyAsync(t => t.Code == user.TeamCode(), cancellationToken))
        {
            return Problems.NotFound($"Team {user.TeamCode()} is not registered.");
        }

        var decision = new DecisionNotToConvene
        {
            Id = NewId.NextGuid(),
            TeamCode = user.TeamCode()!,
            CaseReference = request.CaseReference!.Trim(),
            ConcernCategory = request.ConcernCategory!.Value,
            ReasonCode = request.Reason!.Value,
            ReasonText = MeetingRules.Trim(request.ReasonText),
            DecidedAt = request.DecidedAt!.Value.ToUniversalTime(),
            RecordedBy = user.SubjectId(),
            RecordedAt = now,
        };
        db.DecisionsNotToConvene.Add(decision);
        db.AddOutboxMessage(new DecisionNotToConveneRecorded(decision.Id, decision.TeamCode, decision.ConcernCategory.ToString(), decision.ReasonCode.ToString(), decision.DecidedAt, now));
        db.Audit(user.SubjectId(), "decision-not-to-convene.recorded", null, now, $"{decision.Id} {decision.ReasonCode}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/decisions-not-to-convene/{decision.Id}", ToResponse(decision));
    }

    public static async Task<Ok<List<DecisionNotToConveneResponse>>> ListDecisionsNotToConvene(ClaimsPrincipal user, MeetingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var team = user.TeamCode();
        var decisions = await db.DecisionsNotToConvene.AsNoTracking().Where(d => d.TeamCode == team).OrderByDescending(d => d.DecidedAt).Take(500).ToListAsync(cancellationToken);
        await db.AuditReadAsync(user.SubjectId(), "decisions-not-to-convene.listed", null, clock.GetUtcNow(), $"team {team}", cancellationToken);
        return TypedResults.Ok(decisions.Select(ToResponse).ToList());
    }

    /// <summary>Team managers act for their own team only (token claim <c>team</c>).</summary>
    internal static bool ActsFor(ClaimsPrincipal user, string? teamCode) =>
        teamCode is not null && string.Equals(user.TeamCode(), teamCode, StringComparison.Ordinal);

    private static ProblemHttpResult NoFreeBridge(Team team, BridgeBooking booking, MeetingTimes times)
    {
        if (booking.Clashes.Count == 0)
        {
            return Problems.Conflict("No dial-in bridge", $"Team {team.Name} has no active dial-in bridge; ask an administrator to add one.");
        }

        var clashes = string.Join("; ", booking.Clashes.Select(c => $"{c.Bridge} ({c.DialInNumber}) is booked for {c.MeetingReference} {c.Start:yyyy-MM-dd HH:mm}-{c.End:HH:mm} UTC"));
        var next = booking.NextFreeStart is { } at ? $" The next free slot of that length starts {at:yyyy-MM-dd HH:mm} UTC." : " No bridge is free within the next 7 days.";
        return Problems.Conflict(
            "No free dial-in bridge",
            $"Every bridge of {team.Name} is booked between {times.Start:yyyy-MM-dd HH:mm} and {times.End:HH:mm} UTC: {clashes}.{next}",
            new Dictionary<string, object?> { ["clashes"] = booking.Clashes, ["nextFreeStart"] = booking.NextFreeStart });
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9/-]{2,31}$")]
    private static partial Regex CaseReferencePattern();

    private static void ValidateCaseReference(ValidationErrors errors, string? caseReference)
    {
        errors.Required("caseReference", caseReference, 32);
        errors.When(caseReference is { Length: > 0 } r && r.Length <= 32 && !CaseReferencePattern().IsMatch(r.Trim()), "caseReference",
            "caseReference must be the case-management system's reference (3-32 letters, digits, / or -), never a name.");
    }

    private static CaseFacts? ValidateFacts(ValidationErrors errors, CaseFactsRequest? facts, ConcernCategory concern, Team team, IReadOnlyList<AgencyEntry> agencies)
    {
        if (facts is null)
        {
            errors.Add("caseFacts", "caseFacts is required (at least the child's ageBand).");
            return null;
        }

        errors.When(facts.AgeBand is null, "caseFacts.ageBand", "ageBand is required: Unborn, UnderFive, FiveToTen, ElevenToFifteen or SixteenToSeventeen.");
        var referrer = MeetingRules.Trim(facts.ReferrerAgencyCode);
        errors.When(referrer is not null && !agencies.Any(a => a.Active && string.Equals(a.Code, referrer, StringComparison.OrdinalIgnoreCase)),
            "caseFacts.referrerAgencyCode", $"No active agency has code {referrer}.");
        return facts.AgeBand is null
            ? null
            : new CaseFacts(facts.AgeBand.Value, facts.UnbornChild ?? false, facts.AdultKnownToProbation ?? false, facts.KnownToYos ?? false, team.GpPilot, referrer, facts.ConcernCategory ?? concern);
    }

    private static ConveneDetails? ValidateDetails(ValidationErrors errors, ConveneRequest request, Team team, IReadOnlyList<AgencyEntry> agencies, DateTimeOffset now)
    {
        ValidateCaseReference(errors, request.CaseReference);
        errors.When(request.ConcernCategory is null, "concernCategory", "concernCategory is required.")
            .When(request.IncidentAt is null, "incidentAt", "incidentAt is required.")
            .When(request.DecisionAt is null, "decisionAt", "decisionAt is required.")
            .When(request.DecisionAt > now + MeetingRules.Skew, "decisionAt", "decisionAt is in the future.")
            .When(request.IncidentAt > request.DecisionAt, "incidentAt", "incidentAt must not be after decisionAt.")
            .When(request.ThresholdReason is null, "thresholdReason", "thresholdReason is required.")
            .Required("thresholdReasonText", request.ThresholdReasonText, 1000);
        var facts = ValidateFacts(errors, request.CaseFacts, request.ConcernCategory ?? ConcernCategory.Other, team, agencies);
        if (facts is null || request.ConcernCategory is null || request.IncidentAt is null || request.DecisionAt is null || request.ThresholdReason is null
            || string.IsNullOrWhiteSpace(request.CaseReference) || string.IsNullOrWhiteSpace(request.ThresholdReasonText))
        {
            return null;
        }

        return new ConveneDetails(
            request.CaseReference.Trim(), request.ConcernCategory.Value, request.IncidentAt.Value.ToUniversalTime(), request.DecisionAt.Value.ToUniversalTime(),
            request.ThresholdReason.Value, request.ThresholdReasonText.Trim(), facts with { Concern = request.ConcernCategory.Value });
    }

    private sealed record Considered(string Code, string Name, Contracts.SpocDirectory.AgencyKind Kind, AgencySource Source, string Reason, RemovalReason? Removed, string? RemovedText);

    /// <summary>
    /// The suggestions, less those the manager removed (a national-minimum agency only with a reason),
    /// plus those the manager added. Every considered agency is kept, invited or not, for the record.
    /// </summary>
    private static List<Considered> ChooseInvitees(ValidationErrors errors, IReadOnlyList<SuggestedInvitee> suggestions, IReadOnlyList<AgencyEntry> agencies, ConveneRequest request)
    {
        var considered = suggestions
            .Select(s => new Considered(s.AgencyCode, s.AgencyName, s.Kind, s.Minimum ? AgencySource.Minimum : AgencySource.Suggested, s.Reason, null, null))
            .ToList();

        var removals = request.RemoveAgencies ?? [];
        for (var i = 0; i < removals.Count; i++)
        {
            var removal = removals[i];
            var field = $"removeAgencies[{i}]";
            var index = considered.FindIndex(c => string.Equals(c.Code, removal.AgencyCode?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                errors.Add($"{field}.agencyCode", $"{removal.AgencyCode} is not among the suggested agencies.");
                continue;
            }

            var agency = considered[index];
            errors.When(agency.Source == AgencySource.Minimum && removal.Reason is null, $"{field}.reason",
                $"{agency.Name} is part of the national minimum (social care, health, police): record the reason for not inviting it.");
            errors.When(removal.Reason == RemovalReason.Other && string.IsNullOrWhiteSpace(removal.ReasonText), $"{field}.reasonText", "reasonText is required when reason is Other.");
            errors.MaxLength($"{field}.reasonText", removal.ReasonText, 500);
            considered[index] = agency with { Removed = removal.Reason ?? RemovalReason.Other, RemovedText = MeetingRules.Trim(removal.ReasonText) };
        }

        var additions = request.AddAgencies ?? [];
        for (var i = 0; i < additions.Count; i++)
        {
            var code = additions[i]?.Trim();
            var agency = agencies.FirstOrDefault(a => a.Active && string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase));
            if (agency is null)
            {
                errors.Add($"addAgencies[{i}]", $"No active agency has code {code}.");
                continue;
            }

            var index = considered.FindIndex(c => string.Equals(c.Code, agency.Code, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                considered.Add(new Considered(agency.Code, agency.Name, agency.Kind, AgencySource.AddedByManager, "Added by the team manager", null, null));
            }
            else if (considered[index].Removed is not null)
            {
                errors.Add($"addAgencies[{i}]", $"{agency.Code} is both added and removed.");
            }
        }

        errors.When(!considered.Any(c => c.Removed is null), "addAgencies", "At least one agency must be invited.");
        return considered;
    }

    private static DecisionNotToConveneResponse ToResponse(DecisionNotToConvene d) =>
        new(d.Id, d.TeamCode, d.CaseReference, d.ConcernCategory, d.ReasonCode, d.ReasonText, d.DecidedAt);
}
