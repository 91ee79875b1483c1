using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>Why a meeting went ahead without social care, health and police all attending (coded, comparable across teams).</summary>
public enum BelowMinimumReason
{
    /// <summary>The agency was invited and did not attend.</summary>
    PartnerDidNotAttend,

    /// <summary>The risk to the child could not wait for every partner.</summary>
    UrgencyCouldNotWait,

    /// <summary>The agency contributed in writing instead of attending.</summary>
    WrittenContributionInstead,

    /// <summary>No SPOC of the agency could be reached.</summary>
    NoSpocReachable,

    Other,
}

/// <summary>When a section 47 enquiry starts: by social care alone or jointly with the police.</summary>
public enum InvestigationKind
{
    SingleAgency,
    JointWithPolice,
}

/// <summary>The voice of the child: recorded, or explicitly not yet obtained; never silently empty.</summary>
public enum ChildViews
{
    Recorded,
    NotYetObtained,
}

public enum AgreedActionStatus
{
    Open,
    InProgress,
    Completed,
    Cancelled,
}

public enum CirculationDelivery
{
    /// <summary>Handed to the notifications service; no result yet.</summary>
    Pending,
    Delivered,
    Failed,

    /// <summary>No SPOC of the agency was available: nothing could be sent; the team must share it another way.</summary>
    NoRecipient,
}

/// <summary>What happened for one invited agency at the meeting.</summary>
public sealed class MeetingAttendance
{
    public Guid MeetingId { get; init; }

    public required string AgencyCode { get; init; }

    public required string AgencyName { get; init; }

    public AgencyKind AgencyKind { get; init; }

    public AttendanceMode Mode { get; set; }

    /// <summary>Only for <see cref="AttendanceMode.Absent"/>: the agency sent apologies.</summary>
    public bool WithApologies { get; set; }

    /// <summary>In the room or on the bridge: what counts towards the national minimum.</summary>
    public bool Attended => Mode is AttendanceMode.AttendedInPerson or AttendanceMode.AttendedByDialIn;
}

/// <summary>An action the meeting agreed: what, which agency owns it, by when.</summary>
public sealed class AgreedAction
{
    public Guid Id { get; init; }

    public Guid MeetingId { get; init; }

    public int Number { get; init; }

    public required string Description { get; init; }

    public required string OwnerAgencyCode { get; init; }

    public DateOnly DueDate { get; init; }

    public AgreedActionStatus Status { get; init; }
}

/// <summary>One circulated version of the record and its actions. Never changed once written, except delivery results.</summary>
public sealed class Circulation
{
    public Guid Id { get; init; }

    public Guid MeetingId { get; init; }

    /// <summary>1 for the first circulation, 2, 3, ... for amendments.</summary>
    public int Version { get; init; }

    public DateTimeOffset CirculatedAt { get; init; }

    public required string CirculatedBy { get; init; }

    public bool OnTime { get; init; }

    public long LateBySeconds { get; init; }

    public string? AmendmentReason { get; init; }

    /// <summary>The id of the <see cref="AgreedActionsCirculated"/> message: delivery results name it.</summary>
    public Guid SourceMessageId { get; init; }

    public List<CirculatedAction> Actions { get; init; } = [];

    public List<CirculationRecipientDelivery> Recipients { get; init; } = [];
}

/// <summary>An action as it stood in one circulated version.</summary>
public sealed class CirculatedAction
{
    public Guid CirculationId { get; init; }

    public int Number { get; init; }

    public required string Description { get; init; }

    public required string OwnerAgencyCode { get; init; }

    public DateOnly DueDate { get; init; }

    public AgreedActionStatus Status { get; init; }
}

/// <summary>Who received one circulation for an invited agency, and whether it arrived.</summary>
public sealed class CirculationRecipientDelivery
{
    public Guid CirculationId { get; init; }

    public required string AgencyCode { get; init; }

    public required string AgencyName { get; init; }

    public Guid? SpocId { get; init; }

    public string? RecipientName { get; init; }

    public string? RecipientEmail { get; init; }

    /// <summary>
    /// Where the notice went after it bounced here: each next SPOC of the agency's chain in turn, why, and how that
    /// notice fared. This entry's own state stays the first SPOC's; the last hop is the one that counts now.
    /// </summary>
    public List<CirculationNoticePassOn> PassedOn { get; init; } = [];

    /// <summary>The message of the last hop (<see cref="CirculationNoticePassedOn"/>): its delivery results are matched by it.</summary>
    public Guid? PassedOnMessageId { get; private set; }

    /// <summary>The notice bounced at every SPOC of the agency's chain: the team must share the record another way.</summary>
    public bool NoRecipientLeft { get; private set; }

    /// <summary>The SPOC the notice stands with now: the last one passed to, or the first.</summary>
    public Guid? CurrentSpocId => PassedOn.Count > 0 ? PassedOn[^1].SpocId : SpocId;

    /// <summary>Everyone the notice has been addressed to for this agency.</summary>
    public IEnumerable<Guid> TriedSpocIds => PassedOn.Select(p => p.SpocId).Prepend(SpocId ?? Guid.Empty);

    /// <summary>Whether the notice now standing still waits for its result (only then may a bounce pass it on).</summary>
    public bool AwaitsResult(Guid sourceMessageId) => sourceMessageId == PassedOnMessageId
        ? PassedOn[^1].DeliveryState == CirculationDelivery.Pending
        : PassedOn.Count == 0 && DeliveryState == CirculationDelivery.Pending;

    /// <summary>A result for the notice sent with <paramref name="sourceMessageId"/>: the entry's own, or the last hop's.</summary>
    public void Delivered(Guid sourceMessageId, DateTimeOffset at)
    {
        if (sourceMessageId == PassedOnMessageId)
        {
            PassedOn[^1] = PassedOn[^1].Delivered(at);
        }
        else
        {
            Delivered(at);
        }
    }

    public void Failed(Guid sourceMessageId, string reason, DateTimeOffset at)
    {
        if (sourceMessageId == PassedOnMessageId)
        {
            PassedOn[^1] = PassedOn[^1].Failed(reason, at);
        }
        else
        {
            Failed(reason, at);
        }
    }

    /// <summary>The notice bounced at the current SPOC: it goes to <paramref name="next"/> with message <paramref name="messageId"/>.</summary>
    public void PassOn(SpocSnapshot next, Guid messageId, string reason, DateTimeOffset at)
    {
        PassedOn.Add(new CirculationNoticePassOn(next.SpocId, next.FullName, next.SecureEmail, Truncated(reason), at, CirculationDelivery.Pending, null, null));
        PassedOnMessageId = messageId;
    }

    /// <summary>The notice bounced at the last SPOC of the chain: nobody is left to pass it to.</summary>
    public void NoOneLeft() => NoRecipientLeft = true;

    private static string Truncated(string reason) => reason.Length > 500 ? reason[..500] : reason;

    public CirculationDelivery DeliveryState { get; private set; }

    public DateTimeOffset? DeliveryUpdatedAt { get; private set; }

    public string? DeliveryFailure { get; private set; }

    public static CirculationRecipientDelivery To(Guid circulationId, string agencyCode, string agencyName, SpocSnapshot? spoc) => new()
    {
        CirculationId = circulationId,
        AgencyCode = agencyCode,
        AgencyName = agencyName,
        SpocId = spoc?.SpocId,
        RecipientName = spoc?.FullName,
        RecipientEmail = spoc?.SecureEmail,
        DeliveryState = spoc is null ? CirculationDelivery.NoRecipient : CirculationDelivery.Pending,
    };

    /// <summary>A late "delivered" never overwrites a failure reported after it, nor the other way round.</summary>
    public void Delivered(DateTimeOffset at)
    {
        if (DeliveryState == CirculationDelivery.Pending || (DeliveryUpdatedAt is { } last && at > last))
        {
            DeliveryState = CirculationDelivery.Delivered;
            DeliveryUpdatedAt = at;
            DeliveryFailure = null;
        }
    }

    public void Failed(string reason, DateTimeOffset at)
    {
        if (DeliveryState == CirculationDelivery.Pending || (DeliveryUpdatedAt is { } last && at > last))
        {
            DeliveryState = CirculationDelivery.Failed;
            DeliveryUpdatedAt = at;
            DeliveryFailure = reason.Length > 500 ? reason[..500] : reason;
        }
    }
}

/// <summary>What the team manager records about the meeting (checked by <see cref="RecordRules"/>).</summary>
public sealed record RecordDetails(
    DateTimeOffset ActualStart,
    DateTimeOffset ActualEnd,
    string ChairName,
    string ChairAgencyCode,
    IReadOnlyList<MeetingAttendance> Attendance,
    bool BelowNationalMinimum,
    BelowMinimumReason? BelowMinimumReason,
    string? BelowMinimumReasonText,
    bool SectionFortySevenEnquiry,
    InvestigationKind? Investigation,
    string ImmediateSafetyActions,
    string FamilyTold,
    ChildViews ChildViews,
    string? ChildViewsText,
    string? EndCorrectionReason = null);

/// <summary>
/// The record of a held strategy meeting: when it actually ran, who attended how, who chaired, the
/// decision and the child's views; the agreed actions and their circulations; and the circulation
/// clock (deadline, warning, overdue notices). Editable until the first circulation; after that the
/// actions change only by amendment, each a new circulated version.
/// </summary>
public sealed class MeetingRecord
{
    public Guid MeetingId { get; init; }

    public DateTimeOffset ActualStart { get; private set; }

    public DateTimeOffset ActualEnd { get; private set; }

    public string ChairName { get; private set; } = string.Empty;

    public string ChairAgencyCode { get; private set; } = string.Empty;

    public bool BelowNationalMinimum { get; private set; }

    public BelowMinimumReason? BelowMinimumReasonCode { get; private set; }

    public string? BelowMinimumReasonText { get; private set; }

    public bool SectionFortySevenEnquiry { get; private set; }

    public InvestigationKind? Investigation { get; private set; }

    public string ImmediateSafetyActions { get; private set; } = string.Empty;

    public string FamilyTold { get; private set; } = string.Empty;

    public ChildViews ChildViews { get; private set; }

    public string? ChildViewsText { get; private set; }

    public DateOnly StrategyDiscussionDate { get; private set; }

    public DateOnly? InitialConferenceDueBy { get; private set; }

    public DateTimeOffset CirculationWarnAt { get; private set; }

    public DateTimeOffset CirculationDeadline { get; private set; }

    /// <summary>
    /// When the first circulation notice (warning or overdue) went out. From then on the deadline is the one the team
    /// was told: a corrected end time is recorded but no longer moves it, so a late circulation cannot become on time.
    /// </summary>
    public DateTimeOffset? CirculationDeadlineFixedAt { get; private set; }

    public bool CirculationDeadlineFixed => CirculationDeadlineFixedAt is not null;

    public DateTimeOffset? WarnedAt { get; private set; }

    public int OverdueNotices { get; private set; }

    public DateTimeOffset? LastOverdueNoticeAt { get; private set; }

    /// <summary>0 until circulated; then the latest circulated version.</summary>
    public int CirculatedVersion { get; private set; }

    public DateTimeOffset? FirstCirculatedAt { get; private set; }

    public bool? FirstCirculationOnTime { get; private set; }

    public required string RecordedBy { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Rises with every change: the optimistic concurrency token (a clock can stand still, a counter cannot).</summary>
    public int Revision { get; private set; }

    public List<MeetingAttendance> Attendance { get; init; } = [];

    public List<AgreedAction> Actions { get; init; } = [];

    public List<Circulation> Circulations { get; init; } = [];

    public bool IsCirculated => CirculatedVersion > 0;

    public static MeetingRecord Start(Guid meetingId, string recordedBy, DateTimeOffset now) => new()
    {
        MeetingId = meetingId,
        RecordedBy = recordedBy,
        RecordedAt = now,
    };

    /// <summary>
    /// Sets (or, before circulation, corrects) what happened; the caller reschedules the circulation deadlines when the
    /// deadline moved. Once the deadline is fixed (<see cref="CirculationDeadlineFixedAt"/>) it does not move.
    /// </summary>
    public void Apply(RecordDetails details, CirculationClock circulation, (DateOnly Discussed, DateOnly? DueBy) conference, DateTimeOffset now)
    {
        EnsureNotCirculated("The record was circulated and is now fixed; amend the agreed actions instead.");
        ActualStart = details.ActualStart;
        ActualEnd = details.ActualEnd;
        ChairName = details.ChairName;
        ChairAgencyCode = details.ChairAgencyCode;
        BelowNationalMinimum = details.BelowNationalMinimum;
        BelowMinimumReasonCode = details.BelowNationalMinimum ? details.BelowMinimumReason : null;
        BelowMinimumReasonText = details.BelowNationalMinimum ? details.BelowMinimumReasonText : null;
        SectionFortySevenEnquiry = details.SectionFortySevenEnquiry;
        Investigation = details.SectionFortySevenEnquiry ? details.Investigation : null;
        ImmediateSafetyActions = details.ImmediateSafetyActions;
        FamilyTold = details.FamilyTold;
        ChildViews = details.ChildViews;
        ChildViewsText = details.ChildViewsText;
        StrategyDiscussionDate = conference.Discussed;
        InitialConferenceDueBy = details.SectionFortySevenEnquiry ? conference.DueBy : null;
        // Until a notice fires, a corrected end moves the clock (nothing was warned yet, so nothing to undo). Once one
        // fired, the deadline stays the one notified: the correction is recorded, the clock is not.
        if (!CirculationDeadlineFixed)
        {
            CirculationWarnAt = circulation.WarnAt;
            CirculationDeadline = circulation.Deadline;
        }
        // Corrected in place: one row per agency, whatever was recorded before.
        Attendance.RemoveAll(a => !details.Attendance.Any(d => d.AgencyCode == a.AgencyCode));
        foreach (var entry in details.Attendance)
        {
            if (Attendance.Find(a => a.AgencyCode == entry.AgencyCode) is { } existing)
            {
                existing.Mode = entry.Mode;
                existing.WithApologies = entry.WithApologies;
            }
            else
            {
                Attendance.Add(entry);
            }
        }

        Touch(now);
    }

    /// <summary>Replaces the working list of agreed actions (before the first circulation only).</summary>
    public void ReplaceActions(IEnumerable<AgreedAction> actions, DateTimeOffset now)
    {
        EnsureNotCirculated("The agreed actions were circulated; change them by amendment, which circulates a new version.");
        Actions.Clear();
        Actions.AddRange(actions);
        Touch(now);
    }

    /// <summary>Circulates the current actions as version 1, or (with a reason and new actions) an amendment as the next version.</summary>
    public Circulation Circulate(Guid circulationId, Guid sourceMessageId, string by, CirculationClock clock, string? amendmentReason, IEnumerable<AgreedAction>? amendedActions, DateTimeOffset now)
    {
        EnsureMayCirculate(amendment: amendmentReason is not null);
        if (amendedActions is not null)
        {
            Actions.Clear();
            Actions.AddRange(amendedActions);
        }

        var circulation = new Circulation
        {
            Id = circulationId,
            MeetingId = MeetingId,
            Version = CirculatedVersion + 1,
            CirculatedAt = now,
            CirculatedBy = by,
            OnTime = clock.IsOnTime(now),
            LateBySeconds = (long)Math.Ceiling(clock.LateBy(now).TotalSeconds),
            AmendmentReason = amendmentReason,
            SourceMessageId = sourceMessageId,
            Actions = Actions.OrderBy(a => a.Number).Select(a => new CirculatedAction
            {
                CirculationId = circulationId,
                Number = a.Number,
                Description = a.Description,
                OwnerAgencyCode = a.OwnerAgencyCode,
                DueDate = a.DueDate,
                Status = a.Status,
            }).ToList(),
        };
        Circulations.Add(circulation);
        CirculatedVersion = circulation.Version;
        FirstCirculatedAt ??= now;
        FirstCirculationOnTime ??= circulation.OnTime;
        Touch(now);
        return circulation;
    }

    /// <summary>The first circulation happens once; amendments only after it.</summary>
    public void EnsureMayCirculate(bool amendment)
    {
        if (!amendment && IsCirculated)
        {
            throw new MeetingRuleException("Already circulated", $"Version {CirculatedVersion} was circulated at {FirstCirculatedAt:u}. Changes go out as an amendment.");
        }

        if (amendment && !IsCirculated)
        {
            throw new MeetingRuleException("Not circulated yet", "Nothing was circulated yet: edit the agreed actions and circulate them; amendments come after.");
        }
    }

    /// <summary>The warning is due: true when it should go out (nothing circulated, not warned for this deadline).</summary>
    public bool Warn(DateTimeOffset now)
    {
        if (IsCirculated || WarnedAt is not null)
        {
            return false;
        }

        WarnedAt = now;
        CirculationDeadlineFixedAt ??= now;
        Touch(now);
        return true;
    }

    /// <summary>An overdue notice is due: true when it should go out (still nothing circulated).</summary>
    public bool NoteOverdue(DateTimeOffset now)
    {
        if (IsCirculated)
        {
            return false;
        }

        OverdueNotices++;
        LastOverdueNoticeAt = now;
        CirculationDeadlineFixedAt ??= now;
        Touch(now);
        return true;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }

    private void EnsureNotCirculated(string detail)
    {
        if (IsCirculated)
        {
            throw new MeetingRuleException("Already circulated", detail);
        }
    }
}

/// <summary>
/// One hop of a bounced circulation notice: the SPOC it was passed to, why (the previous SPOC's failure), when, and how
/// the notice to this SPOC fared. Replaced, never changed, so the entry sees the change.
/// </summary>
public sealed record CirculationNoticePassOn(
    Guid SpocId,
    string RecipientName,
    string RecipientEmail,
    string Reason,
    DateTimeOffset PassedAt,
    CirculationDelivery DeliveryState,
    DateTimeOffset? DeliveryUpdatedAt,
    string? DeliveryFailure)
{
    public CirculationNoticePassOn Delivered(DateTimeOffset at) =>
        DeliveryState == CirculationDelivery.Pending || (DeliveryUpdatedAt is { } last && at > last)
            ? this with { DeliveryState = CirculationDelivery.Delivered, DeliveryUpdatedAt = at, DeliveryFailure = null }
            : this;

    public CirculationNoticePassOn Failed(string reason, DateTimeOffset at) =>
        DeliveryState == CirculationDelivery.Pending || (DeliveryUpdatedAt is { } last && at > last)
            ? this with { DeliveryState = CirculationDelivery.Failed, DeliveryUpdatedAt = at, DeliveryFailure = reason.Length > 500 ? reason[..500] : reason }
            : this;
}
