using Jtai.Strategy.Contracts.Meetings;

namespace Jtai.Strategy.Meetings.Recording;

// What a manager reports about a held meeting, in the domain's codes, before the record rules check
// it. Members are nullable because a missing one is a field-level validation error; the endpoints map
// their requests to these, so RecordRules never sees an HTTP type.

public sealed record ReportedAttendance(string? AgencyCode, AttendanceMode? Mode, bool? WithApologies);

public sealed record ReportedMeeting(
    DateTimeOffset? ActualStart,
    DateTimeOffset? ActualEnd,
    string? ChairName,
    string? ChairAgencyCode,
    IReadOnlyList<ReportedAttendance>? Attendance,
    BelowMinimumReason? BelowMinimumReason,
    string? BelowMinimumReasonText,
    bool? SectionFortySevenEnquiry,
    InvestigationKind? Investigation,
    string? ImmediateSafetyActions,
    string? FamilyTold,
    ChildViews? ChildViews,
    string? ChildViewsText,
    string? EndCorrectionReason = null);

public sealed record ProposedAction(string? Description, string? OwnerAgencyCode, DateOnly? DueDate, AgreedActionStatus? Status);
