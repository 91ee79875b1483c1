namespace Jtai.Strategy.Meetings.Domain;

/// <summary>
/// Invariants every capability relies on, pure so they are tested without a clock or a database.
/// (The convening time checks, which speak in request fields, are <c>Convening.ConveningRules</c>.)
/// </summary>
public static class MeetingRules
{
    /// <summary>
    /// When an invitation issued at <paramref name="issuedAt"/> must be answered: the escalation limit,
    /// but never after the meeting starts. The reminder is due earlier, and only if before that.
    /// </summary>
    public static (DateTimeOffset RespondBy, DateTimeOffset? RemindAt, bool Escalate) ChaseTimes(
        DateTimeOffset issuedAt, DateTimeOffset meetingStart, TimeSpan reminderAfter, TimeSpan escalateAfter)
    {
        var escalateAt = issuedAt + escalateAfter;
        var respondBy = escalateAt < meetingStart ? escalateAt : meetingStart;
        var remindAt = issuedAt + reminderAfter;
        return (respondBy, remindAt < respondBy ? remindAt : null, escalateAt < meetingStart);
    }

    /// <summary>
    /// How long after issue the reminder and the escalation fall, for an invitation issued
    /// <paramref name="lead"/> before the meeting starts: proportional to the lead, so a meeting
    /// convened for this afternoon is still chased, never earlier than the floor and never later
    /// than the caps (the long-lead times). <see cref="ChaseTimes(DateTimeOffset, DateTimeOffset, TimeSpan, TimeSpan)"/>
    /// then drops a step that would fall at or after the start.
    /// </summary>
    public static (TimeSpan ReminderAfter, TimeSpan EscalateAfter) ChaseOffsets(TimeSpan lead, ChasePolicy policy)
    {
        var lengthOfLead = lead > TimeSpan.Zero ? lead : TimeSpan.Zero;
        return (Clamp(lengthOfLead * policy.ReminderFraction, policy.Floor, policy.ReminderCap),
            Clamp(lengthOfLead * policy.EscalationFraction, policy.Floor, policy.EscalationCap));
    }

    /// <summary>The chase of an invitation issued at <paramref name="issuedAt"/>, with offsets proportional to the lead time.</summary>
    public static (DateTimeOffset RespondBy, DateTimeOffset? RemindAt, bool Escalate) ChaseTimes(
        DateTimeOffset issuedAt, DateTimeOffset meetingStart, ChasePolicy policy)
    {
        var (reminderAfter, escalateAfter) = ChaseOffsets(meetingStart - issuedAt, policy);
        return ChaseTimes(issuedAt, meetingStart, reminderAfter, escalateAfter);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan floor, TimeSpan cap) =>
        value < floor ? floor : value > cap ? cap : value;

    /// <summary>Free text as stored: trimmed, and blank is none.</summary>
    public static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>
/// The partnership's chase of an unanswered invitation: the reminder and the escalation fall at a
/// fraction of the time between issue and start, at least <see cref="Floor"/> after issue and at
/// most the caps (the times used when the meeting is far off).
/// </summary>
public sealed record ChasePolicy(double ReminderFraction, double EscalationFraction, TimeSpan Floor, TimeSpan ReminderCap, TimeSpan EscalationCap);
