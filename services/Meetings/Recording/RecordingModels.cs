using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Recording;

namespace Jtai.Strategy.Meetings.Recording;

// Requests take nullable members so that a missing field is a field-level validation error, not a 500.

public sealed record AttendanceRequest(string? AgencyCode, AttendanceMode? Mode, bool? WithApologies)
{
    public ReportedAttendance ToReport() => new(AgencyCode, Mode, WithApologies);
}

/// <summary>
/// What happened at the meeting. Sent once the meeting has ended; may be corrected until circulated. A correction of the
/// end time after a circulation notice fired needs <see cref="EndCorrectionReason"/> and leaves the deadline as notified.
/// </summary>
public sealed record RecordMeetingRequest(
    DateTimeOffset? ActualStart,
    DateTimeOffset? ActualEnd,
    string? ChairName,
    string? ChairAgencyCode,
    IReadOnlyList<AttendanceRequest>? Attendance,
    BelowMinimumReason? BelowMinimumReason,
    string? BelowMinimumReasonText,
    bool? SectionFortySevenEnquiry,
    InvestigationKind? Investigation,
    string? ImmediateSafetyActions,
    string? FamilyTold,
    ChildViews? ChildViews,
    string? ChildViewsText,
    string? EndCorrectionReason = null)
{
    public ReportedMeeting ToReport() => new(
        ActualStart, ActualEnd, ChairName, ChairAgencyCode, Attendance?.Select(a => a.ToReport()).ToList(), BelowMinimumReason, BelowMinimumReasonText,
        SectionFortySevenEnquiry, Investigation, ImmediateSafetyActions, FamilyTold, ChildViews, ChildViewsText, EndCorrectionReason);
}

public sealed record AgreedActionRequest(string? Description, string? OwnerAgencyCode, DateOnly? DueDate, AgreedActionStatus? Status)
{
    public ProposedAction ToProposal() => new(Description, OwnerAgencyCode, DueDate, Status);

    /// <summary>The list as the rules read it; null stays null (a field error, not an empty list).</summary>
    public static IReadOnlyList<ProposedAction>? ToProposals(IReadOnlyList<AgreedActionRequest>? actions) => actions?.Select(a => a.ToProposal()).ToList();
}

public sealed record AgreedActionsRequest(IReadOnlyList<AgreedActionRequest>? Actions);

/// <summary>A change after circulation: the complete new list of actions and why it changed.</summary>
public sealed record AmendmentRequest(string? Reason, IReadOnlyList<AgreedActionRequest>? Actions);

public sealed record AttendanceResponse(string AgencyCode, string AgencyName, AgencyKind AgencyKind, AttendanceMode Mode, bool WithApologies);

public sealed record AgreedActionResponse(int Number, string Description, string OwnerAgencyCode, DateOnly DueDate, AgreedActionStatus Status);

/// <summary>
/// One agency's notice: the SPOC it first went to and how that fared; when it bounced, each next SPOC it was passed to
/// (why, and how that fared); and whether no SPOC is left to try.
/// </summary>
public sealed record CirculationRecipientResponse(
    string AgencyCode, string AgencyName, string? RecipientName, string? RecipientEmail, CirculationDelivery Delivery, DateTimeOffset? DeliveryUpdatedAt, string? DeliveryFailure,
    IReadOnlyList<CirculationPassOnResponse> PassedOn, bool NoRecipientLeft);

/// <summary>A next SPOC the notice was passed to after a bounce, why, and how the notice to them fared.</summary>
public sealed record CirculationPassOnResponse(
    string RecipientName, string RecipientEmail, string Reason, DateTimeOffset PassedAt, CirculationDelivery Delivery, DateTimeOffset? DeliveryUpdatedAt, string? DeliveryFailure);

public sealed record CirculationResponse(
    int Version,
    DateTimeOffset CirculatedAt,
    string CirculatedBy,
    bool OnTime,
    TimeSpan LateBy,
    string? AmendmentReason,
    IReadOnlyList<AgreedActionResponse> Actions,
    IReadOnlyList<CirculationRecipientResponse> Recipients)
{
    public static CirculationResponse From(Circulation c) => new(
        c.Version, c.CirculatedAt, c.CirculatedBy, c.OnTime, TimeSpan.FromSeconds(c.LateBySeconds), c.AmendmentReason,
        c.Actions.OrderBy(a => a.Number).Select(a => new AgreedActionResponse(a.Number, a.Description, a.OwnerAgencyCode, a.DueDate, a.Status)).ToList(),
        c.Recipients.OrderBy(r => r.AgencyCode, StringComparer.Ordinal)
            .Select(r => new CirculationRecipientResponse(r.AgencyCode, r.AgencyName, r.RecipientName, r.RecipientEmail, r.DeliveryState, r.DeliveryUpdatedAt, r.DeliveryFailure,
                r.PassedOn.Select(p => new CirculationPassOnResponse(p.RecipientName, p.RecipientEmail, p.Reason, p.PassedAt, p.DeliveryState, p.DeliveryUpdatedAt, p.DeliveryFailure)).ToList(),
                r.NoRecipientLeft))
            .ToList());
}

/// <summary>Where circulation stands against its deadline, as the team manager and the MASDG read it.</summary>
public enum CirculationStanding
{
    /// <summary>Not circulated; the deadline has not passed.</summary>
    Due,

    /// <summary>Not circulated and the deadline passed.</summary>
    Overdue,
    CirculatedOnTime,
    CirculatedLate,
}

/// <summary>The record of a held meeting, for the team manager: everything, including every circulated version.</summary>
public sealed record MeetingRecordResponse(
    Guid MeetingId,
    string Reference,
    string TeamCode,
    DateTimeOffset ActualStart,
    DateTimeOffset ActualEnd,
    string ChairName,
    string ChairAgencyCode,
    IReadOnlyList<AttendanceResponse> Attendance,
    bool BelowNationalMinimum,
    BelowMinimumReason? BelowMinimumReason,
    string? BelowMinimumReasonText,
    bool SectionFortySevenEnquiry,
    InvestigationKind? Investigation,
    string ImmediateSafetyActions,
    string FamilyTold,
    ChildViews ChildViews,
    string? ChildViewsText,
    DateOnly StrategyDiscussionDate,
    DateOnly? InitialConferenceDueBy,
    DateTimeOffset CirculationWarnAt,
    DateTimeOffset CirculationDeadline,
    CirculationStanding Circulation,
    DateTimeOffset? WarnedAt,
    int OverdueNotices,
    IReadOnlyList<AgreedActionResponse> Actions,
    IReadOnlyList<CirculationResponse> Circulations,
    DateTimeOffset? CirculationDeadlineFixedAt)
{
    public static MeetingRecordResponse From(StrategyMeeting meeting, MeetingRecord record, DateTimeOffset now) => new(
        meeting.Id, meeting.Reference, meeting.TeamCode, record.ActualStart, record.ActualEnd, record.ChairName, record.ChairAgencyCode,
        record.Attendance.OrderBy(a => a.AgencyCode, StringComparer.Ordinal)
            .Select(a => new AttendanceResponse(a.AgencyCode, a.AgencyName, a.AgencyKind, a.Mode, a.WithApologies)).ToList(),
        record.BelowNationalMinimum, record.BelowMinimumReasonCode, record.BelowMinimumReasonText,
        record.SectionFortySevenEnquiry, record.Investigation, record.ImmediateSafetyActions, record.FamilyTold,
        record.ChildViews, record.ChildViewsText, record.StrategyDiscussionDate, record.InitialConferenceDueBy,
        record.CirculationWarnAt, record.CirculationDeadline, StandingOf(record, now), record.WarnedAt, record.OverdueNotices,
        record.Actions.OrderBy(a => a.Number).Select(a => new AgreedActionResponse(a.Number, a.Description, a.OwnerAgencyCode, a.DueDate, a.Status)).ToList(),
        record.Circulations.OrderBy(c => c.Version).Select(CirculationResponse.From).ToList(),
        record.CirculationDeadlineFixedAt);

    public static CirculationStanding StandingOf(MeetingRecord record, DateTimeOffset now) =>
        StandingOf(record.FirstCirculationOnTime, record.CirculationDeadline, now);

    /// <summary>The standing from the two facts it rests on (the meetings list reads only these of each record).</summary>
    public static CirculationStanding StandingOf(bool? firstCirculationOnTime, DateTimeOffset deadline, DateTimeOffset now) => firstCirculationOnTime switch
    {
        true => CirculationStanding.CirculatedOnTime,
        false => CirculationStanding.CirculatedLate,
        null => now > deadline ? CirculationStanding.Overdue : CirculationStanding.Due,
    };
}

public sealed record CirculatedVersionSummary(int Version, DateTimeOffset CirculatedAt, string? AmendmentReason);

/// <summary>
/// What an invited agency's SPOC reads once the record is circulated: the record and one circulated
/// version of the actions (the latest unless asked), with the list of versions. No delivery details
/// of other agencies.
/// </summary>
public sealed record CirculatedRecordResponse(
    Guid MeetingId,
    string Reference,
    string TeamCode,
    string CaseReference,
    DateTimeOffset ActualStart,
    DateTimeOffset ActualEnd,
    string ChairName,
    string ChairAgencyCode,
    IReadOnlyList<AttendanceResponse> Attendance,
    bool BelowNationalMinimum,
    bool SectionFortySevenEnquiry,
    InvestigationKind? Investigation,
    DateOnly? InitialConferenceDueBy,
    string ImmediateSafetyActions,
    string FamilyTold,
    ChildViews ChildViews,
    string? ChildViewsText,
    int Version,
    DateTimeOffset CirculatedAt,
    string? AmendmentReason,
    IReadOnlyList<AgreedActionResponse> Actions,
    IReadOnlyList<CirculatedVersionSummary> Versions)
{
    public static CirculatedRecordResponse From(StrategyMeeting meeting, MeetingRecord record, Circulation shown) => new(
        meeting.Id, meeting.Reference, meeting.TeamCode, meeting.CaseReference, record.ActualStart, record.ActualEnd, record.ChairName, record.ChairAgencyCode,
        record.Attendance.OrderBy(a => a.AgencyCode, StringComparer.Ordinal)
            .Select(a => new AttendanceResponse(a.AgencyCode, a.AgencyName, a.AgencyKind, a.Mode, a.WithApologies)).ToList(),
        record.BelowNationalMinimum, record.SectionFortySevenEnquiry, record.Investigation, record.InitialConferenceDueBy,
        record.ImmediateSafetyActions, record.FamilyTold, record.ChildViews, record.ChildViewsText,
        shown.Version, shown.CirculatedAt, shown.AmendmentReason,
        shown.Actions.OrderBy(a => a.Number).Select(a => new AgreedActionResponse(a.Number, a.Description, a.OwnerAgencyCode, a.DueDate, a.Status)).ToList(),
        record.Circulations.OrderBy(c => c.Version).Select(c => new CirculatedVersionSummary(c.Version, c.CirculatedAt, c.AmendmentReason)).ToList());
}

/// <summary>One meeting in a SPOC's list of circulated records (no case details).</summary>
public sealed record CirculatedListItem(Guid MeetingId, string Reference, string TeamCode, DateTimeOffset ActualEnd, int LatestVersion, DateTimeOffset LatestCirculatedAt, int ActionCount, int OwnActionCount);
