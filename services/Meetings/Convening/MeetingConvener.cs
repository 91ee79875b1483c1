using System.Globalization;
using System.Text.RegularExpressions;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Meetings.Replica;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Convening;

/// <summary>Why a convening step stopped: a problem for the caller (404 or 409), in the domain's words.</summary>
public sealed record ConveningProblem(int Status, string Title, string Detail, IDictionary<string, object?>? Extensions = null)
{
    public static ConveningProblem NotFound(string what) => new(404, "Not found", what);

    public static ConveningProblem Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) => new(409, title, detail, extensions);
}

/// <summary>What a convening step came to: its result, or field errors, a problem, or a refusal to act for another team.</summary>
public sealed record ConveningOutcome<T>(T? Value, ValidationErrors? Errors = null, ConveningProblem? Problem = null, bool Forbidden = false)
    where T : class
{
    public static implicit operator ConveningOutcome<T>(ConveningProblem problem) => new(null, Problem: problem);

    public static ConveningOutcome<T> Invalid(ValidationErrors errors) => new(null, Errors: errors);

    public static ConveningOutcome<T> Refused() => new(null, Forbidden: true);
}

/// <summary>
/// Convenes, reschedules and cancels strategy meetings, suggests whom to invite and records decisions
/// not to convene. Each step validates, books the bridge, changes the meeting, issues or re-asks the
/// invitations and queues its events and audit in one unit of work. The endpoints bind and map.
/// </summary>
public sealed partial class MeetingConvener(
    MeetingsDbContext db,
    InvitationIssuer issuer,
    ManagerNotices notices,
    NationalMinimum minimum,
    IOptions<MeetingsOptions> options,
    IOptions<RecordingOptions> recording,
    TimeProvider clock,
    ILogger<MeetingConvener> logger)
{
    private readonly MeetingsOptions settings = options.Value;

    /// <summary>What the rules suggest for these case facts; the manager decides when convening.</summary>
    public async Task<ConveningOutcome<IReadOnlyList<SuggestedInvitee>>> SuggestAsync(ProposedCaseFacts? proposed, string? teamCode, CancellationToken cancellationToken)
    {
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Code == teamCode, cancellationToken);
        if (team is null)
        {
            return ConveningProblem.NotFound($"Your team ({teamCode ?? "none in your token"}) is not registered.");
        }

        var agencies = await db.AgenciesAsync(cancellationToken);
        var errors = new ValidationErrors();
        var facts = ValidateFacts(errors, proposed, ConcernCategory.Other, team, agencies);
        if (errors.Any || facts is null)
        {
            return ConveningOutcome<IReadOnlyList<SuggestedInvitee>>.Invalid(errors);
        }

        return new ConveningOutcome<IReadOnlyList<SuggestedInvitee>>(InviteeSuggestions.Suggest(facts, agencies, settings.InviteeAgencies));
    }

    /// <summary>Convenes a meeting for the manager's own team (authorised by the caller) and invites the chosen agencies.</summary>
    public async Task<ConveningOutcome<StrategyMeeting>> ConveneAsync(ConveneProposal proposal, Manager manager, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var team = await db.Teams.Include(t => t.Bridges).SingleOrDefaultAsync(t => t.Code == manager.TeamCode, cancellationToken);
        if (team is null || !team.Active)
        {
            return ConveningProblem.NotFound($"Team {manager.TeamCode} is not registered or not active.");
        }

        var agencies = await db.AgenciesAsync(cancellationToken);
        var errors = new ValidationErrors();
        var details = ValidateDetails(errors, proposal, team, agencies, now);
        var times = details is null ? null : ConveningRules.CheckTimes(
            errors, details.DecisionAt, proposal.Times.ScheduledStart, proposal.Times.LengthMinutes, proposal.Times.DelayReason, proposal.Times.DelayReasonText, settings.ConveneWithin, now);
        var considered = details is null ? [] : ChooseInvitees(errors, InviteeSuggestions.Suggest(details.Facts, agencies, settings.InviteeAgencies), agencies, proposal);
        if (errors.Any || details is null || times is null)
        {
            return ConveningOutcome<StrategyMeeting>.Invalid(errors);
        }

        var booking = await db.FindFreeBridgeAsync(team, times.Start, times.End, null, null, cancellationToken);
        if (booking.Bridge is null)
        {
            return NoFreeBridge(team, booking, times);
        }

        var number = await db.NextMeetingNumberAsync(cancellationToken);
        var reference = string.Create(CultureInfo.InvariantCulture, $"SM-{now.Year:D4}-{number:D6}");
        // The convening manager's address joins this meeting's manager notices; a token without a valid one adds nobody.
        var convenerEmail = ValidationErrors.IsSecureEmail(manager.Email) ? manager.Email!.Trim() : null;
        var meeting = StrategyMeeting.Convene(
            NewId.NextGuid(), reference, team, booking.Bridge, await Pins.NewUniqueAsync(db, cancellationToken), details, times, manager.SubjectId, now, convenerEmail);
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

        RecordDue.Schedule(db, meeting, recording.Value);
        // Below the national minimum at convening (removed with a reason, no such agency, or nobody to invite): the
        // managers are told at once, as well as seeing it in the response.
        var notCovered = minimum.NotMetBy(meeting.Agencies.Where(a => a.Invited && a.NotIssuedReason is null).Select(a => a.AgencyKind));
        if (notCovered.Count > 0)
        {
            await notices.QueueAsync(meeting, ManagerNoticeKinds.BelowMinimumAtConvening, new NoticeFacts(MinimumNotCovered: notCovered), null, now, cancellationToken);
        }

        db.Audit(manager.SubjectId, "meeting.convened", meeting.Id, now, meeting.Reference);
        db.LogWhenCommitted(() => LogConvened(logger, meeting.Id, meeting.Reference, team.Code, invited.Count, meeting.ConvenedBeyondLimit));
        await db.SaveChangesAsync(cancellationToken);
        return new ConveningOutcome<StrategyMeeting>(meeting);
    }

    /// <summary>Moves a scheduled meeting (a bridge free at the new time, the same one where it can) and re-asks its invitees.</summary>
    public async Task<ConveningOutcome<StrategyMeeting>> RescheduleAsync(Guid id, RescheduleProposal proposal, Manager manager, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return ConveningProblem.NotFound($"No meeting {id}.");
        }

        if (!TeamAccess.ActsFor(manager.TeamCode, meeting.TeamCode))
        {
            return ConveningOutcome<StrategyMeeting>.Refused();
        }

        if (!meeting.IsScheduled)
        {
            return ConveningProblem.Conflict("Meeting cancelled", $"{meeting.Reference} was cancelled and cannot be rescheduled.");
        }

        if (await db.MeetingRecords.AnyAsync(r => r.MeetingId == meeting.Id, cancellationToken))
        {
            return ConveningProblem.Conflict("Meeting already held", $"{meeting.Reference} has been recorded as held; it cannot be rescheduled. Convene a new meeting if another is needed.");
        }

        var errors = new ValidationErrors()
            .When(proposal.Reason is null, "reason", "reason is required.")
            .When(proposal.Reason == RescheduleReason.Other && string.IsNullOrWhiteSpace(proposal.ReasonText), "reasonText", "reasonText is required when reason is Other.")
            .MaxLength("reasonText", proposal.ReasonText, 500);
        var times = ConveningRules.CheckTimes(
            errors, meeting.DecisionAt, proposal.Times.ScheduledStart, proposal.Times.LengthMinutes, proposal.Times.DelayReason, proposal.Times.DelayReasonText, settings.ConveneWithin, now);
        errors.When(times is not null && times.Start == meeting.ScheduledStart && times.End == meeting.ScheduledEnd, "scheduledStart", "The meeting is already at that time.");
        if (errors.Any || times is null)
        {
            return ConveningOutcome<StrategyMeeting>.Invalid(errors);
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
            meeting.Id, meeting.Reference, previousStart, meeting.ScheduledStart, meeting.ScheduledEnd, meeting.CalendarSequence, proposal.Reason!.Value.ToString(), now));
        await issuer.ReaskAsync(meeting, startChanged, cancellationToken);
        await RecordDue.CancelAsync(db, meeting.Id, now, cancellationToken);
        RecordDue.Schedule(db, meeting, recording.Value);
        db.Audit(manager.SubjectId, "meeting.rescheduled", meeting.Id, now,
            $"{previousStart:u} -> {meeting.ScheduledStart:u} ({proposal.Reason}{(proposal.ReasonText is null ? string.Empty : ": " + proposal.ReasonText.Trim())})");
        db.LogWhenCommitted(() => LogRescheduled(logger, meeting.Reference, meeting.CalendarSequence));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ConveningOutcome<StrategyMeeting>(meeting);
    }

    /// <summary>Cancels a scheduled meeting that has not been held and withdraws its standing invitations.</summary>
    public async Task<ConveningOutcome<StrategyMeeting>> CancelAsync(Guid id, CancelProposal proposal, Manager manager, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors()
            .When(proposal.Reason is null, "reason", "reason is required.")
            .When(proposal.Reason == CancelReason.Other && string.IsNullOrWhiteSpace(proposal.ReasonText), "reasonText", "reasonText is required when reason is Other.")
            .MaxLength("reasonText", proposal.ReasonText, 500);
        if (errors.Any)
        {
            return ConveningOutcome<StrategyMeeting>.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var meeting = await db.LoadMeetingAsync(id, cancellationToken);
        if (meeting is null)
        {
            return ConveningProblem.NotFound($"No meeting {id}.");
        }

        if (!TeamAccess.ActsFor(manager.TeamCode, meeting.TeamCode))
        {
            return ConveningOutcome<StrategyMeeting>.Refused();
        }

        if (!meeting.IsScheduled)
        {
            return ConveningProblem.Conflict("Meeting cancelled", $"{meeting.Reference} is already cancelled.");
        }

        if (await db.MeetingRecords.AnyAsync(r => r.MeetingId == meeting.Id, cancellationToken))
        {
            return ConveningProblem.Conflict("Meeting already held", $"{meeting.Reference} has been recorded as held; a held meeting is not cancelled.");
        }

        var standing = meeting.CurrentInvitations.ToList();
        meeting.Cancel(proposal.Reason!.Value, MeetingRules.Trim(proposal.ReasonText), now);
        db.AddOutboxMessage(new StrategyMeetingCancelled(meeting.Id, meeting.Reference, proposal.Reason.Value.ToString(), now));
        await issuer.WithdrawAllAsync(meeting, standing, proposal.Reason.Value.ToString(), cancellationToken);
        await RecordDue.CancelAsync(db, meeting.Id, now, cancellationToken);
        db.Audit(manager.SubjectId, "meeting.cancelled", meeting.Id, now, proposal.Reason.Value.ToString());
        db.LogWhenCommitted(() => LogCancelled(logger, meeting.Reference));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ConveningOutcome<StrategyMeeting>(meeting);
    }

    /// <summary>A decision not to convene, coded, so thresholds can be compared across teams (the caller authorised the team).</summary>
    public async Task<ConveningOutcome<DecisionNotToConvene>> RecordDecisionNotToConveneAsync(DecisionNotToConveneProposal proposal, Manager manager, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        ValidateCaseReference(errors, proposal.CaseReference);
        errors.When(proposal.ConcernCategory is null, "concernCategory", "concernCategory is required.")
            .When(proposal.Reason is null, "reason", "reason is required.")
            .When(proposal.Reason == NotConveneReason.Other && string.IsNullOrWhiteSpace(proposal.ReasonText), "reasonText", "reasonText is required when reason is Other.")
            .MaxLength("reasonText", proposal.ReasonText, 1000)
            .When(proposal.DecidedAt is null, "decidedAt", "decidedAt is required.")
            .When(proposal.DecidedAt > now + ConveningRules.Skew, "decidedAt", "decidedAt is in the future.");
        if (errors.Any)
        {
            return ConveningOutcome<DecisionNotToConvene>.Invalid(errors);
        }

        if (!await db.Teams.AnyAsync(t => t.Code == manager.TeamCode, cancellationToken))
        {
            return ConveningProblem.NotFound($"Team {manager.TeamCode} is not registered.");
        }

        var decision = new DecisionNotToConvene
        {
            Id = NewId.NextGuid(),
            TeamCode = manager.TeamCode!,
            CaseReference = proposal.CaseReference!.Trim(),
            ConcernCategory = proposal.ConcernCategory!.Value,
            ReasonCode = proposal.Reason!.Value,
            ReasonText = MeetingRules.Trim(proposal.ReasonText),
            DecidedAt = proposal.DecidedAt!.Value.ToUniversalTime(),
            RecordedBy = manager.SubjectId,
            RecordedAt = now,
        };
        db.DecisionsNotToConvene.Add(decision);
        db.AddOutboxMessage(new DecisionNotToConveneRecorded(decision.Id, decision.TeamCode, decision.ConcernCategory.ToString(), decision.ReasonCode.ToString(), decision.DecidedAt, now));
        db.Audit(manager.SubjectId, "decision-not-to-convene.recorded", null, now, $"{decision.Id} {decision.ReasonCode}");
        db.LogWhenCommitted(() => LogDecisionNotToConvene(logger, decision.Id, decision.TeamCode, decision.ReasonCode));
        await db.SaveChangesAsync(cancellationToken);
        return new ConveningOutcome<DecisionNotToConvene>(decision);
    }

    private static ConveningProblem NoFreeBridge(Team team, BridgeBooking booking, MeetingTimes times)
    {
        if (booking.Clashes.Count == 0)
        {
            return ConveningProblem.Conflict("No dial-in bridge", $"Team {team.Name} has no active dial-in bridge; ask an administrator to add one.");
        }

        var clashes = string.Join("; ", booking.Clashes.Select(c => $"{c.Bridge} ({c.DialInNumber}) is booked for {c.MeetingReference} {c.Start:yyyy-MM-dd HH:mm}-{c.End:HH:mm} UTC"));
        var next = booking.NextFreeStart is { } at ? $" The next free slot of that length starts {at:yyyy-MM-dd HH:mm} UTC." : " No bridge is free within the next 7 days.";
        return ConveningProblem.Conflict(
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

    private static CaseFacts? ValidateFacts(ValidationErrors errors, ProposedCaseFacts? facts, ConcernCategory concern, Team team, IReadOnlyList<AgencyEntry> agencies)
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

    private static ConveneDetails? ValidateDetails(ValidationErrors errors, ConveneProposal proposal, Team team, IReadOnlyList<AgencyEntry> agencies, DateTimeOffset now)
    {
        ValidateCaseReference(errors, proposal.CaseReference);
        errors.When(proposal.ConcernCategory is null, "concernCategory", "concernCategory is required.")
            .When(proposal.IncidentAt is null, "incidentAt", "incidentAt is required.")
            .When(proposal.DecisionAt is null, "decisionAt", "decisionAt is required.")
            .When(proposal.DecisionAt > now + ConveningRules.Skew, "decisionAt", "decisionAt is in the future.")
            .When(proposal.IncidentAt > proposal.DecisionAt, "incidentAt", "incidentAt must not be after decisionAt.")
            .When(proposal.ThresholdReason is null, "thresholdReason", "thresholdReason is required.")
            .Required("thresholdReasonText", proposal.ThresholdReasonText, 1000);
        var facts = ValidateFacts(errors, proposal.CaseFacts, proposal.ConcernCategory ?? ConcernCategory.Other, team, agencies);
        if (facts is null || proposal.ConcernCategory is null || proposal.IncidentAt is null || proposal.DecisionAt is null || proposal.ThresholdReason is null
            || string.IsNullOrWhiteSpace(proposal.CaseReference) || string.IsNullOrWhiteSpace(proposal.ThresholdReasonText))
        {
            return null;
        }

        return new ConveneDetails(
            proposal.CaseReference.Trim(), proposal.ConcernCategory.Value, proposal.IncidentAt.Value.ToUniversalTime(), proposal.DecisionAt.Value.ToUniversalTime(),
            proposal.ThresholdReason.Value, proposal.ThresholdReasonText.Trim(), facts with { Concern = proposal.ConcernCategory.Value });
    }

    private sealed record Considered(string Code, string Name, Contracts.SpocDirectory.AgencyKind Kind, AgencySource Source, string Reason, RemovalReason? Removed, string? RemovedText);

    /// <summary>
    /// The suggestions, less those the manager removed (a national-minimum agency only with a reason),
    /// plus those the manager added. Every considered agency is kept, invited or not, for the record.
    /// </summary>
    private static List<Considered> ChooseInvitees(ValidationErrors errors, IReadOnlyList<SuggestedInvitee> suggestions, IReadOnlyList<AgencyEntry> agencies, ConveneProposal proposal)
    {
        var considered = suggestions
            .Select(s => new Considered(s.AgencyCode, s.AgencyName, s.Kind, s.Minimum ? AgencySource.Minimum : AgencySource.Suggested, s.Reason, null, null))
            .ToList();

        var removals = proposal.RemoveAgencies ?? [];
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

        var additions = proposal.AddAgencies ?? [];
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

    // Codes, ids and the meeting reference only: never the case reference or any text the manager typed.
    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingId} ({MeetingReference}) convened for team {TeamCode}: {InvitedAgencies} agencies invited, beyond the convening limit: {ConvenedBeyondLimit}")]
    private static partial void LogConvened(ILogger logger, Guid meetingId, string meetingReference, string teamCode, int invitedAgencies, bool convenedBeyondLimit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingReference} rescheduled (calendar sequence {CalendarSequence})")]
    private static partial void LogRescheduled(ILogger logger, string meetingReference, int calendarSequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingReference} cancelled")]
    private static partial void LogCancelled(ILogger logger, string meetingReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {DecisionId} not to convene recorded for team {TeamCode}: {ReasonCode}")]
    private static partial void LogDecisionNotToConvene(ILogger logger, Guid decisionId, string teamCode, NotConveneReason reasonCode);
}
