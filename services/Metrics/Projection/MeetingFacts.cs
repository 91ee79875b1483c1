using Jtai.Strategy.Contracts.Meetings;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// A value set by one event, kept only while no event of higher (<see cref="Rank"/>, <see cref="MessageId"/>)
/// arrives. Merging is commutative, associative and idempotent (a last-writer-wins register), so a
/// meeting's facts are the same whatever order its events arrive in, and however often.
/// </summary>
public sealed record Stamped<T>(T Value, long Rank, Guid MessageId)
{
    public static Stamped<T> Max(Stamped<T>? current, Stamped<T> candidate) =>
        current is null || candidate.Rank > current.Rank || (candidate.Rank == current.Rank && candidate.MessageId.CompareTo(current.MessageId) > 0)
            ? candidate
            : current;
}

public sealed record ConvenedFacts(DateTimeOffset IncidentAt, DateTimeOffset DecisionAt, string ConcernCategory);

public sealed record HeldFacts(
    DateTimeOffset ActualStart,
    DateTimeOffset ActualEnd,
    bool BelowNationalMinimum,
    bool SectionFortySevenEnquiry,
    DateTimeOffset CirculationDeadline);

/// <summary>The meeting passed its record-due time without a record: its scheduled end and that time.</summary>
public sealed record RecordOverdueFacts(DateTimeOffset ScheduledEnd, DateTimeOffset DueAt);

public sealed record CirculationFacts(DateTimeOffset CirculatedAt, DateTimeOffset CirculationDeadline, bool OnTime);

public sealed record AttendanceFacts(AttendanceMode Mode, bool WithApologies);

public sealed record AnswerFacts(InvitationAnswer Answer, RecipientRole RecipientRole, DateTimeOffset AnsweredAt);

/// <summary>What is known of one invitation (one recipient). Fields only ever grow or move to a higher stamp.</summary>
public sealed class InvitationFacts
{
    public Stamped<string>? Agency { get; set; }

    public bool Issued { get; set; }

    public Stamped<RecipientRole>? Role { get; set; }

    public bool Delivered { get; set; }

    public bool DeliveryFailed { get; set; }

    public bool Superseded { get; set; }

    /// <summary>The latest answer (a recipient may change their answer); ranked by answer time.</summary>
    public Stamped<AnswerFacts>? LatestAnswer { get; set; }

    /// <summary>True once any answer to this invitation came within the response limit.</summary>
    public bool AnsweredWithinLimit { get; set; }

    /// <summary>True once any answer said written information was (or will be) sent.</summary>
    public bool WrittenContribution { get; set; }
}

/// <summary>
/// Everything the metrics need about one strategy meeting, folded from its events. The fold is
/// order-independent and idempotent by construction: flags only turn on, and every other field is a
/// <see cref="Stamped{T}"/> register. Figures are derived from this by <see cref="Contributions"/>.
/// </summary>
public sealed class MeetingFacts
{
    // Which event's team code wins when several carry one (they agree in practice; this makes it deterministic).
    private const long TeamFromConvened = 3;
    private const long TeamFromHeld = 2;
    private const long TeamFromOther = 1;

    public Guid MeetingId { get; set; }

    public Stamped<string>? Team { get; set; }

    public Stamped<ConvenedFacts>? Convened { get; set; }

    /// <summary>The scheduled start of the highest calendar sequence seen (convened = 0, each reschedule +1).</summary>
    public Stamped<DateTimeOffset>? ScheduledStart { get; set; }

    public Stamped<HeldFacts>? Held { get; set; }

    public bool Cancelled { get; set; }

    public bool SectionFortySevenStarted { get; set; }

    /// <summary>The earliest circulation (version 1 normally); amendments do not change punctuality.</summary>
    public Stamped<CirculationFacts>? FirstCirculation { get; set; }

    /// <summary>The deadline named by an overdue notice, when one arrived.</summary>
    public Stamped<DateTimeOffset>? OverdueDeadline { get; set; }

    /// <summary>The meeting's reference (SM-yyyy-nnnnnn), from any event that names it: what the MASDG's lists show.</summary>
    public Stamped<string>? Reference { get; set; }

    /// <summary>True once a circulation warning arrived.</summary>
    public bool Warned { get; set; }

    /// <summary>The repeat numbers of the overdue notices seen, ascending and distinct (so a notice published twice counts once).</summary>
    public List<int> OverdueRepeats { get; set; } = [];

    /// <summary>Circulation notices the meeting drew: the warning and each daily overdue notice.</summary>
    public int CirculationNoticesSent => (Warned ? 1 : 0) + OverdueRepeats.Count;

    /// <summary>Set when the meeting was reported not recorded by its record-due time (it may be recorded later).</summary>
    public Stamped<RecordOverdueFacts>? RecordOverdue { get; set; }

    public Dictionary<Guid, InvitationFacts> Invitations { get; set; } = [];

    /// <summary>Per agency code: what happened for it at the meeting (latest record wins).</summary>
    public Dictionary<string, Stamped<AttendanceFacts>> Attendance { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Folds one event into the facts, by the fold its entry in <see cref="ProjectedEvents"/> names. Unknown types are
    /// ignored (the log keeps them for a future projection).
    /// </summary>
    public MeetingFacts Apply(object message, Guid messageId)
    {
        ProjectedEvents.Fold(this, message, messageId);
        return this;
    }

    // One fold per projected event type; ProjectedEvents names which applies to which.

    internal void Fold(StrategyMeetingConvened e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromConvened, messageId);
        SetReference(e.MeetingReference, messageId);
        Convened = Stamped<ConvenedFacts>.Max(Convened, new(new(e.IncidentAt, e.DecisionAt, e.ConcernCategory), e.OccurredAt.UtcTicks, messageId));
        ScheduledStart = Stamped<DateTimeOffset>.Max(ScheduledStart, new(e.ScheduledStart, 0, messageId));
    }

    internal void Fold(StrategyMeetingRescheduled e, Guid messageId)
    {
        ScheduledStart = Stamped<DateTimeOffset>.Max(ScheduledStart, new(e.ScheduledStart, e.CalendarSequence, messageId));
    }

    // A flag: which cancellation message set it does not matter.
    internal void Fold(StrategyMeetingCancelled e) => Cancelled = true;

    internal void Fold(InvitationIssued e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        ScheduledStart = Stamped<DateTimeOffset>.Max(ScheduledStart, new(e.Slot.Start, e.CalendarSequence, messageId));
        var invitation = Invitation(e.InvitationId, e.AgencyCode, messageId);
        invitation.Issued = true;
        invitation.Role = Stamped<RecipientRole>.Max(invitation.Role, new(e.Recipient.Role, e.OccurredAt.UtcTicks, messageId));
    }

    internal void Fold(InvitationSuperseded e, Guid messageId)
    {
        Invitation(e.InvitationId, e.AgencyCode, messageId).Superseded = true;
    }

    internal void Fold(InvitationAnswered e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        var invitation = Invitation(e.InvitationId, e.AgencyCode, messageId);
        invitation.LatestAnswer = Stamped<AnswerFacts>.Max(invitation.LatestAnswer, new(new(e.Answer, e.RecipientRole, e.AnsweredAt), e.AnsweredAt.UtcTicks, messageId));
        invitation.AnsweredWithinLimit |= e.AnsweredWithinLimit;
        invitation.WrittenContribution |= e.HasWrittenContribution || e.Answer == InvitationAnswer.ContributeInWriting;
    }

    internal void Fold(Contracts.Notifications.InvitationDelivered e, Guid messageId)
    {
        if (IsInvitationEmailReceipt(e.Kind))
        {
            Invitation(e.InvitationId, null, messageId).Delivered = true;
        }
    }

    internal void Fold(Contracts.Notifications.InvitationDeliveryFailed e, Guid messageId)
    {
        if (IsInvitationEmailReceipt(e.Kind))
        {
            Invitation(e.InvitationId, null, messageId).DeliveryFailed = true;
        }
    }

    internal void Fold(MeetingHeld e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromHeld, messageId);
        SetReference(e.MeetingReference, messageId);
        Held = Stamped<HeldFacts>.Max(Held, new(new(e.ActualStart, e.ActualEnd, e.BelowNationalMinimum, e.SectionFortySevenEnquiry, e.CirculationDeadline), e.OccurredAt.UtcTicks, messageId));
    }

    internal void Fold(AttendanceRecorded e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        Attendance[e.AgencyCode] = Stamped<AttendanceFacts>.Max(Attendance.GetValueOrDefault(e.AgencyCode), new(new(e.Mode, e.WithApologies), e.OccurredAt.UtcTicks, messageId));
    }

    internal void Fold(AgreedActionsCirculated e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        SetReference(e.MeetingReference, messageId);
        // Earliest circulation wins: rank by negated time.
        FirstCirculation = Stamped<CirculationFacts>.Max(FirstCirculation, new(new(e.CirculatedAt, e.CirculationDeadline, e.OnTime), -e.CirculatedAt.UtcTicks, messageId));
    }

    internal void Fold(ActionCirculationOverdue e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        SetReference(e.MeetingReference, messageId);
        OverdueDeadline = Stamped<DateTimeOffset>.Max(OverdueDeadline, new(e.CirculationDeadline, e.Repeat, messageId));
        var at = OverdueRepeats.BinarySearch(e.Repeat);
        if (at < 0)
        {
            OverdueRepeats.Insert(~at, e.Repeat);
        }
    }

    // A flag and the reference only: the warning counts among the notices the MASDG sees, in no figure.
    internal void Fold(ActionCirculationWarning e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        SetReference(e.MeetingReference, messageId);
        Warned = true;
    }

    internal void Fold(MeetingRecordOverdue e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        SetReference(e.MeetingReference, messageId);
        RecordOverdue = Stamped<RecordOverdueFacts>.Max(RecordOverdue, new(new(e.ScheduledEnd, e.DueAt), e.OccurredAt.UtcTicks, messageId));
    }

    internal void Fold(SectionFortySevenStarted e, Guid messageId)
    {
        SetTeam(e.TeamCode, TeamFromOther, messageId);
        SectionFortySevenStarted = true;
    }

    /// <summary>The circulation deadline, from the record of the meeting first, then the circulation, then an overdue notice.</summary>
    public DateTimeOffset? CirculationDeadline =>
        Held?.Value.CirculationDeadline ?? FirstCirculation?.Value.CirculationDeadline ?? OverdueDeadline?.Value;

    /// <summary>Overdue and still not circulated: the open exceptions the MASDG chases.</summary>
    public bool OverdueOpen => OverdueDeadline is not null && FirstCirculation is null && !Cancelled;

    /// <summary>
    /// Whether a receipt is the invitation e-mail's own: only that says the invitation reached its recipient.
    /// Reminders, reschedules and cancellations are other notices about it, and the log's rows from before notices
    /// had their own events also hold circulated-actions receipts here (kind <c>actions-circulated</c>).
    /// </summary>
    private static bool IsInvitationEmailReceipt(string kind) => kind == Contracts.Notifications.DeliveryKinds.Invitation;

    // Every event naming the meeting's reference names the same one; rank 0 and the id keep it deterministic.
    private void SetReference(string? reference, Guid messageId)
    {
        if (!string.IsNullOrWhiteSpace(reference))
        {
            Reference = Stamped<string>.Max(Reference, new(reference, 0, messageId));
        }
    }

    private void SetTeam(string? teamCode, long priority, Guid messageId)
    {
        if (!string.IsNullOrWhiteSpace(teamCode))
        {
            Team = Stamped<string>.Max(Team, new(teamCode, priority, messageId));
        }
    }

    private InvitationFacts Invitation(Guid invitationId, string? agencyCode, Guid messageId)
    {
        if (!Invitations.TryGetValue(invitationId, out var invitation))
        {
            Invitations[invitationId] = invitation = new InvitationFacts();
        }

        if (!string.IsNullOrWhiteSpace(agencyCode))
        {
            // Every event naming an invitation's agency names the same one; rank 0 and the id keep it deterministic.
            invitation.Agency = Stamped<string>.Max(invitation.Agency, new(agencyCode, 0, messageId));
        }

        return invitation;
    }
}
