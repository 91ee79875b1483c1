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

    /// <summary>Free text as stored: trimmed, and blank is none.</summary>
    public static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
