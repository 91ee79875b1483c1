using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>The checks on a meeting's record and its agreed actions, as field-level validation messages.</summary>
public static class RecordRules
{
    public const int MaxTextLength = 4000;
    public const int MaxActions = 100;

    /// <summary>A meeting is not recorded as ending later than now, beyond a little clock skew between devices.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan LongestMeeting = TimeSpan.FromHours(12);

    /// <summary>The requirements of the national minimum nobody attended for (in person or by dial-in; writing does not count).</summary>
    public static IReadOnlyList<string> MissingFromMinimum(IEnumerable<MeetingAttendance> attendance, NationalMinimum minimum) =>
        minimum.NotMetBy(attendance.Where(a => a.Attended).Select(a => a.AgencyKind));

    public const int MaxReasonLength = 500;

    /// <param name="current">The record as it stands (null before the first recording): once its deadline is fixed, a new end time needs a reason.</param>
    public static RecordDetails? Validate(ValidationErrors errors, ReportedMeeting reported, StrategyMeeting meeting, DateTimeOffset now, NationalMinimum minimum, MeetingRecord? current = null)
    {
        errors.When(reported.ActualStart is null, "actualStart", "actualStart is required.")
            .When(reported.ActualEnd is null, "actualEnd", "actualEnd is required.");
        if (reported is { ActualStart: { } start, ActualEnd: { } end })
        {
            errors.When(end <= start, "actualEnd", "actualEnd must be after actualStart.")
                .When(end - start > LongestMeeting, "actualEnd", $"A strategy meeting of more than {LongestMeeting.TotalHours:0} hours is not plausible; check the times.")
                .When(end > now + ClockSkew, "actualEnd", "The meeting cannot be recorded as ended before it has ended.")
                .When(start < meeting.DecisionAt, "actualStart", "The meeting cannot have started before the decision to convene it.");
        }

        // The team was told the deadline; moving the end now changes the record, not the deadline, and says why.
        if (current is { CirculationDeadlineFixedAt: { } fixedAt } && reported.ActualEnd is { } newEnd && newEnd.ToUniversalTime() != current.ActualEnd)
        {
            errors.When(
                string.IsNullOrWhiteSpace(reported.EndCorrectionReason),
                "endCorrectionReason",
                $"The circulation deadline ({current.CirculationDeadline:u}) was notified at {fixedAt:u} and is now fixed. Give the reason for correcting the end time; the deadline will not move.");
        }

        errors.MaxLength("endCorrectionReason", reported.EndCorrectionReason, MaxReasonLength);

        var attendance = ValidateAttendance(errors, reported.Attendance, meeting);

        errors.Required("chairName", reported.ChairName)
            .Required("chairAgencyCode", reported.ChairAgencyCode);
        if (attendance is not null && !string.IsNullOrWhiteSpace(reported.ChairAgencyCode)
            && !attendance.Any(a => a.Attended && string.Equals(a.AgencyCode, reported.ChairAgencyCode.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("chairAgencyCode", "The chair's agency must be one recorded as attending (in person or by dial-in).");
        }

        var missing = attendance is null ? [] : MissingFromMinimum(attendance, minimum);
        if (missing.Count > 0)
        {
            errors.When(
                reported.BelowMinimumReason is null,
                "belowMinimumReason",
                $"Nobody attended for {string.Join(", ", missing)}: the national minimum is {string.Join(", ", minimum.Requirements.Select(r => r.Name))}. Record why the meeting went ahead without them.")
                .When(
                    reported.BelowMinimumReason == BelowMinimumReason.Other && string.IsNullOrWhiteSpace(reported.BelowMinimumReasonText),
                    "belowMinimumReasonText",
                    "belowMinimumReasonText is required when belowMinimumReason is Other.")
                .MaxLength("belowMinimumReasonText", reported.BelowMinimumReasonText, 500);
        }

        errors.When(reported.SectionFortySevenEnquiry is null, "sectionFortySevenEnquiry", "sectionFortySevenEnquiry is required: record whether a section 47 enquiry starts.")
            .When(
                reported.SectionFortySevenEnquiry == true && reported.Investigation is null,
                "investigation",
                "investigation is required for a section 47 enquiry: SingleAgency or JointWithPolice.")
            .Required("immediateSafetyActions", reported.ImmediateSafetyActions, MaxTextLength)
            .Required("familyTold", reported.FamilyTold, MaxTextLength)
            .When(reported.ChildViews is null, "childViews", "childViews is required: Recorded, or NotYetObtained.")
            .When(
                reported.ChildViews == ChildViews.Recorded && string.IsNullOrWhiteSpace(reported.ChildViewsText),
                "childViewsText",
                "childViewsText is required when the child's views are recorded.")
            .MaxLength("childViewsText", reported.ChildViewsText, MaxTextLength);

        if (errors.Any || attendance is null)
        {
            return null;
        }

        return new RecordDetails(
            reported.ActualStart!.Value.ToUniversalTime(),
            reported.ActualEnd!.Value.ToUniversalTime(),
            reported.ChairName!.Trim(),
            attendance.First(a => string.Equals(a.AgencyCode, reported.ChairAgencyCode!.Trim(), StringComparison.OrdinalIgnoreCase)).AgencyCode,
            attendance,
            missing.Count > 0,
            missing.Count > 0 ? reported.BelowMinimumReason : null,
            missing.Count > 0 ? Trimmed(reported.BelowMinimumReasonText) : null,
            reported.SectionFortySevenEnquiry!.Value,
            reported.SectionFortySevenEnquiry == true ? reported.Investigation : null,
            reported.ImmediateSafetyActions!.Trim(),
            reported.FamilyTold!.Trim(),
            reported.ChildViews!.Value,
            Trimmed(reported.ChildViewsText),
            Trimmed(reported.EndCorrectionReason));
    }

    /// <summary>One entry per invited agency, no more and no fewer.</summary>
    private static List<MeetingAttendance>? ValidateAttendance(ValidationErrors errors, IReadOnlyList<ReportedAttendance>? requested, StrategyMeeting meeting)
    {
        var invited = meeting.Agencies.Where(a => a.Invited).ToDictionary(a => a.AgencyCode, StringComparer.OrdinalIgnoreCase);
        if (requested is null || requested.Count == 0)
        {
            errors.Add("attendance", $"attendance is required: one entry for each invited agency ({string.Join(", ", invited.Keys.Order(StringComparer.Ordinal))}).");
            return null;
        }

        var result = new List<MeetingAttendance>();
        foreach (var (entry, i) in requested.Select((e, i) => (e, i)))
        {
            var field = $"attendance[{i}]";
            if (string.IsNullOrWhiteSpace(entry.AgencyCode) || !invited.TryGetValue(entry.AgencyCode.Trim(), out var agency))
            {
                errors.Add($"{field}.agencyCode", $"'{entry.AgencyCode}' was not invited to this meeting.");
                continue;
            }

            if (result.Any(a => a.AgencyCode == agency.AgencyCode))
            {
                errors.Add($"{field}.agencyCode", $"{agency.AgencyCode} is listed twice.");
                continue;
            }

            if (entry.Mode is null)
            {
                errors.Add($"{field}.mode", "mode is required: AttendedInPerson, AttendedByDialIn, WrittenContributionOnly or Absent.");
                continue;
            }

            if (entry.WithApologies == true && entry.Mode != AttendanceMode.Absent)
            {
                errors.Add($"{field}.withApologies", "Apologies apply only to an agency recorded as Absent.");
                continue;
            }

            result.Add(new MeetingAttendance
            {
                MeetingId = meeting.Id,
                AgencyCode = agency.AgencyCode,
                AgencyName = agency.AgencyName,
                AgencyKind = agency.AgencyKind,
                Mode = entry.Mode.Value,
                WithApologies = entry.WithApologies == true,
            });
        }

        var missing = invited.Keys.Where(code => !requested.Any(r => string.Equals(r.AgencyCode?.Trim(), code, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal).ToList();
        errors.When(missing.Count > 0, "attendance", $"Record what happened for every invited agency; missing: {string.Join(", ", missing)}.");
        return errors.Any ? null : result;
    }

    /// <summary>The complete list of agreed actions, numbered in the order given; owners must be invited agencies.</summary>
    public static List<AgreedAction>? ValidateActions(ValidationErrors errors, IReadOnlyList<ProposedAction>? requested, StrategyMeeting meeting, DateOnly notBefore)
    {
        if (requested is null)
        {
            errors.Add("actions", "actions is required (an empty list when the meeting agreed none).");
            return null;
        }

        errors.When(requested.Count > MaxActions, "actions", $"At most {MaxActions} agreed actions.");
        var invited = meeting.Agencies.Where(a => a.Invited).ToDictionary(a => a.AgencyCode, StringComparer.OrdinalIgnoreCase);
        var result = new List<AgreedAction>();
        foreach (var (action, i) in requested.Select((a, i) => (a, i)))
        {
            var field = $"actions[{i}]";
            errors.Required($"{field}.description", action.Description, 1000);
            var owner = action.OwnerAgencyCode is { } code && invited.TryGetValue(code.Trim(), out var found) ? found : null;
            errors.When(owner is null, $"{field}.ownerAgencyCode", $"The owner must be an agency invited to the meeting ({string.Join(", ", invited.Keys.Order(StringComparer.Ordinal))}).")
                .When(action.DueDate is null, $"{field}.dueDate", "dueDate is required.")
                .When(action.DueDate < notBefore, $"{field}.dueDate", $"dueDate cannot be before the meeting ({notBefore:yyyy-MM-dd}).");
            if (owner is not null && action.DueDate is { } due && !string.IsNullOrWhiteSpace(action.Description))
            {
                result.Add(new AgreedAction
                {
                    Id = MassTransit.NewId.NextGuid(),
                    MeetingId = meeting.Id,
                    Number = i + 1,
                    Description = action.Description.Trim(),
                    OwnerAgencyCode = owner.AgencyCode,
                    DueDate = due,
                    Status = action.Status ?? AgreedActionStatus.Open,
                });
            }
        }

        return errors.Any ? null : result;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
