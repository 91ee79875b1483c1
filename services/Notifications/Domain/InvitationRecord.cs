namespace Jtai.Strategy.Notifications.Domain;

/// <summary>
/// What this service remembers of an issued invitation, for the notices that follow it (reminder,
/// reschedule, cancellation) and carry less: names for the greeting and signature, the sign-in link,
/// the time last sent. Nothing about the child.
/// </summary>
public sealed class InvitationRecord
{
    public Guid InvitationId { get; init; }

    public Guid MeetingId { get; init; }

    public required string MeetingReference { get; init; }

    public required string TeamCode { get; init; }

    public required string TeamName { get; init; }

    public required string AgencyCode { get; init; }

    public required string AgencyName { get; init; }

    public required string SignInLink { get; init; }

    public DateTimeOffset ScheduledStart { get; private set; }

    public DateTimeOffset ScheduledEnd { get; private set; }

    public int CalendarSequence { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static InvitationRecord Issued(
        Guid invitationId, Guid meetingId, string meetingReference, string teamCode, string teamName, string agencyCode, string agencyName,
        Uri signInLink, DateTimeOffset start, DateTimeOffset end, int calendarSequence, DateTimeOffset now) => new()
    {
        InvitationId = invitationId,
        MeetingId = meetingId,
        MeetingReference = meetingReference,
        TeamCode = teamCode,
        TeamName = teamName,
        AgencyCode = agencyCode,
        AgencyName = agencyName,
        SignInLink = signInLink.AbsoluteUri,
        ScheduledStart = start,
        ScheduledEnd = end,
        CalendarSequence = calendarSequence,
        UpdatedAt = now,
    };

    /// <summary>Moves to the new time; an older revision arriving late changes nothing.</summary>
    public void Rescheduled(DateTimeOffset start, DateTimeOffset end, int calendarSequence, DateTimeOffset now)
    {
        if (calendarSequence < CalendarSequence)
        {
            return;
        }

        ScheduledStart = start;
        ScheduledEnd = end;
        CalendarSequence = calendarSequence;
        UpdatedAt = now;
    }
}
