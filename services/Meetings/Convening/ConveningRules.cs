using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Convening;

/// <summary>The time rules of convening, pure so they are tested without a clock or a database.</summary>
public static class ConveningRules
{
    public static readonly TimeSpan MinLength = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(4);

    /// <summary>A little slack for clocks of the manager's device and the server.</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Checks a proposed start and length against the decision: never before the decision (nor in the
    /// past), and later than <paramref name="conveneWithin"/> after it only with a recorded delay reason.
    /// </summary>
    public static MeetingTimes? CheckTimes(
        ValidationErrors errors,
        DateTimeOffset decisionAt,
        DateTimeOffset? start,
        int? lengthMinutes,
        DelayReason? delayReason,
        string? delayText,
        TimeSpan conveneWithin,
        DateTimeOffset now)
    {
        errors.When(start is null, "scheduledStart", "scheduledStart is required.");
        errors.When(lengthMinutes is null, "lengthMinutes", "lengthMinutes is required.");
        if (lengthMinutes is { } minutes && (TimeSpan.FromMinutes(minutes) < MinLength || TimeSpan.FromMinutes(minutes) > MaxLength))
        {
            errors.Add("lengthMinutes", $"lengthMinutes must be between {MinLength.TotalMinutes} and {MaxLength.TotalMinutes}.");
        }

        if (start is not { } s || lengthMinutes is null)
        {
            return null;
        }

        var startUtc = s.ToUniversalTime();
        errors.When(startUtc < decisionAt, "scheduledStart", "scheduledStart must not be earlier than the decision to convene.");
        errors.When(startUtc < now - Skew, "scheduledStart", "scheduledStart is in the past.");
        var beyond = startUtc > decisionAt + conveneWithin;
        if (beyond && delayReason is null)
        {
            errors.Add("delayReason", $"The meeting starts more than {Describe(conveneWithin)} after the decision: record the reason for the delay (delayReason).");
        }

        if (delayReason == DelayReason.Other && string.IsNullOrWhiteSpace(delayText))
        {
            errors.Add("delayReasonText", "delayReasonText is required when delayReason is Other.");
        }

        errors.MaxLength("delayReasonText", delayText, 500);
        return new MeetingTimes(startUtc, startUtc.AddMinutes(lengthMinutes.Value), beyond, delayReason, MeetingRules.Trim(delayText));
    }

    public static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} hours" : $"{span.TotalMinutes:0} minutes";
}
