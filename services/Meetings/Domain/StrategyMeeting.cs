using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.Meetings.Domain;

public enum MeetingStatus
{
    Scheduled,
    Cancelled,
}

public enum AgencySource
{
    /// <summary>The national minimum (social care, health, police).</summary>
    Minimum,

    /// <summary>Suggested by the rules from the case facts.</summary>
    Suggested,

    /// <summary>Added by the manager beyond the suggestions.</summary>
    AddedByManager,
}

/// <summary>
/// A strategy meeting from its convening onwards: the case it is about, its time, bridge and PIN,
/// the agencies considered (invited or removed with a reason) and the invitations sent to their SPOCs.
/// Recording the meeting and circulating its actions extend this aggregate later.
/// </summary>
public sealed class StrategyMeeting
{
    public Guid Id { get; init; }

    /// <summary>SM-{yyyy}-{000000}: what travels in messages instead of anything about the child.</summary>
    public required string Reference { get; init; }

    public required string TeamCode { get; init; }

    /// <summary>The case-management system's reference. Stays in this service; shown only behind sign-in.</summary>
    public required string CaseReference { get; init; }

    public ConcernCategory ConcernCategory { get; init; }

    public DateTimeOffset IncidentAt { get; init; }

    public DateTimeOffset DecisionAt { get; init; }

    public ThresholdReason ThresholdReasonCode { get; init; }

    public required string ThresholdReasonText { get; init; }

    public ChildAgeBand ChildAgeBand { get; init; }

    public bool UnbornChild { get; init; }

    public bool AdultKnownToProbation { get; init; }

    public bool KnownToYos { get; init; }

    public bool GpPilot { get; init; }

    public string? ReferrerAgencyCode { get; init; }

    public DateTimeOffset ScheduledStart { get; private set; }

    public DateTimeOffset ScheduledEnd { get; private set; }

    public Guid BridgeId { get; private set; }

    public Bridge? Bridge { get; private set; }

    /// <summary>Unique among scheduled meetings, from a CSPRNG; never derived from anything.</summary>
    public required string Pin { get; init; }

    /// <summary>Starts later than the convening limit after the decision.</summary>
    public bool ConvenedBeyondLimit { get; private set; }

    public DelayReason? DelayReasonCode { get; private set; }

    public string? DelayReasonText { get; private set; }

    public MeetingStatus Status { get; private set; } = MeetingStatus.Scheduled;

    /// <summary>
    /// The calendar SEQUENCE of the meeting's invitations, owned here and nowhere else: 0 at convening, +1 on every
    /// reschedule and +1 on cancellation (RFC 5546: the organizer raises SEQUENCE for a CANCEL so calendars apply it
    /// over the last REQUEST). So every REQUEST carries ≥ 0 and every CANCEL ≥ 1, which the notifications renderer checks.
    /// </summary>
    public int CalendarSequence { get; private set; }

    public CancelReason? CancelReasonCode { get; private set; }

    public string? CancelReasonText { get; private set; }

    public required string ConvenedBy { get; init; }

    /// <summary>The convening manager's e-mail (token claim <c>email</c>, when valid): a recipient of this meeting's manager notices only.</summary>
    public string? ConvenedByEmail { get; init; }

    /// <summary>Kinds of manager notice that found nobody to go to (no manager contact, no convening e-mail): shown, never silent.</summary>
    public List<string> NoticesUndeliverable { get; init; } = [];

    public DateTimeOffset ConvenedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public List<MeetingAgency> Agencies { get; init; } = [];

    public List<Invitation> Invitations { get; init; } = [];

    public CaseFacts Facts => new(ChildAgeBand, UnbornChild, AdultKnownToProbation, KnownToYos, GpPilot, ReferrerAgencyCode, ConcernCategory);

    public bool IsScheduled => Status == MeetingStatus.Scheduled;

    /// <summary>The invitation that currently stands for each agency (not superseded).</summary>
    public IEnumerable<Invitation> CurrentInvitations => Invitations.Where(i => i.IsCurrent);

    public static StrategyMeeting Convene(
        Guid id, string reference, Team team, Bridge bridge, string pin, ConveneDetails details, MeetingTimes times, string convenedBy, DateTimeOffset now, string? convenedByEmail = null) => new()
    {
        Id = id,
        Reference = reference,
        TeamCode = team.Code,
        CaseReference = details.CaseReference,
        ConcernCategory = details.Concern,
        IncidentAt = details.IncidentAt,
        DecisionAt = details.DecisionAt,
        ThresholdReasonCode = details.ThresholdReason,
        ThresholdReasonText = details.ThresholdReasonText,
        ChildAgeBand = details.Facts.AgeBand,
        UnbornChild = details.Facts.UnbornChild,
        AdultKnownToProbation = details.Facts.AdultKnownToProbation,
        KnownToYos = details.Facts.KnownToYos,
        GpPilot = details.Facts.GpPilot,
        ReferrerAgencyCode = details.Facts.ReferrerAgencyCode,
        ScheduledStart = times.Start,
        ScheduledEnd = times.End,
        BridgeId = bridge.Id,
        Bridge = bridge,
        Pin = pin,
        ConvenedBeyondLimit = times.BeyondLimit,
        DelayReasonCode = times.BeyondLimit ? times.DelayReason : null,
        DelayReasonText = times.BeyondLimit ? times.DelayReasonText : null,
        ConvenedBy = convenedBy,
        ConvenedByEmail = convenedByEmail,
        ConvenedAt = now,
        UpdatedAt = now,
    };

    public MeetingAgency ConsiderAgency(string code, string name, AgencyKind kind, AgencySource source, string reason, RemovalReason? removedFor, string? removalText)
    {
        var agency = new MeetingAgency
        {
            MeetingId = Id,
            AgencyCode = code,
            AgencyName = name,
            AgencyKind = kind,
            Source = source,
            Reason = reason,
            Invited = removedFor is null,
            RemovalReasonCode = removedFor,
            RemovalReasonText = removalText,
        };
        Agencies.Add(agency);
        return agency;
    }

    public void AddInvitation(Invitation invitation)
    {
        // The change tracker may already have fixed the new invitation up into this collection.
        if (!Invitations.Contains(invitation))
        {
            Invitations.Add(invitation);
        }
    }

    /// <summary>Moves the meeting; returns whether the start changed (then answers no longer hold).</summary>
    public bool Reschedule(MeetingTimes times, Bridge bridge, DateTimeOffset now)
    {
        EnsureScheduled();
        var startChanged = times.Start != ScheduledStart;
        ScheduledStart = times.Start;
        ScheduledEnd = times.End;
        BridgeId = bridge.Id;
        Bridge = bridge;
        ConvenedBeyondLimit = times.BeyondLimit;
        DelayReasonCode = times.BeyondLimit ? times.DelayReason : null;
        DelayReasonText = times.BeyondLimit ? times.DelayReasonText : null;
        CalendarSequence++;
        UpdatedAt = now;
        return startChanged;
    }

    public void Cancel(CancelReason reason, string? text, DateTimeOffset now)
    {
        EnsureScheduled();
        Status = MeetingStatus.Cancelled;
        // A CANCEL is a new revision of the calendar object: without the rise a calendar would ignore it (and the
        // renderer refuses it), so a meeting cancelled without ever being rescheduled would stay in every calendar.
        CalendarSequence++;
        CancelReasonCode = reason;
        CancelReasonText = text;
        UpdatedAt = now;
        foreach (var invitation in CurrentInvitations)
        {
            invitation.Cancel();
        }
    }

    private void EnsureScheduled()
    {
        if (!IsScheduled)
        {
            throw new MeetingRuleException("Meeting cancelled", $"{Reference} was cancelled and cannot change any more.");
        }
    }
}

/// <summary>An agency considered for the meeting: invited, or removed by the manager with a reason.</summary>
public sealed class MeetingAgency
{
    public Guid MeetingId { get; init; }

    public required string AgencyCode { get; init; }

    public required string AgencyName { get; init; }

    public AgencyKind AgencyKind { get; init; }

    public AgencySource Source { get; init; }

    public required string Reason { get; init; }

    public bool Invited { get; init; }

    public RemovalReason? RemovalReasonCode { get; init; }

    public string? RemovalReasonText { get; init; }

    /// <summary>Why no invitation could be issued (no available SPOC), as told to the manager.</summary>
    public string? NotIssuedReason { get; set; }
}

/// <summary>What the manager records when convening.</summary>
public sealed record ConveneDetails(
    string CaseReference,
    ConcernCategory Concern,
    DateTimeOffset IncidentAt,
    DateTimeOffset DecisionAt,
    ThresholdReason ThresholdReason,
    string ThresholdReasonText,
    CaseFacts Facts);

/// <summary>A checked start and end, and whether the start lies beyond the convening limit.</summary>
public sealed record MeetingTimes(DateTimeOffset Start, DateTimeOffset End, bool BeyondLimit, DelayReason? DelayReason, string? DelayReasonText);

/// <summary>A domain rule was broken by a state change (answered as 409 with this title and detail).</summary>
public sealed class MeetingRuleException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
}
