using Jtai.Strategy.Contracts.Meetings;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>The meetings service's events for one meeting, as the MASDG's lists read them (each with its own message id).</summary>
public sealed record OversightMeeting(string Reference, string Team, DateTimeOffset End)
{
    public Guid Id { get; } = Guid.NewGuid();

    public DateTimeOffset Deadline => End.AddHours(24);

    public ScriptedEvent Held(bool belowMinimum = false) => new(Guid.NewGuid(), new MeetingHeld(
        Id, Reference, Team, End.AddHours(-1), End, belowMinimum, belowMinimum ? "PartnerDidNotAttend" : null, false, false, true, Deadline, End.AddMinutes(5)));

    public ScriptedEvent Warning() => new(Guid.NewGuid(), new ActionCirculationWarning(Id, Reference, Team, Deadline, End.AddHours(20)));

    public ScriptedEvent Overdue(int repeat) => new(Guid.NewGuid(), new ActionCirculationOverdue(Id, Reference, Team, Deadline, repeat, Deadline.AddDays(repeat)));

    public ScriptedEvent Circulated(DateTimeOffset at) => new(Guid.NewGuid(), new AgreedActionsCirculated(
        Id, Reference, Team, 1, 2, End, Deadline, at, at <= Deadline, [], new Uri("https://meetings.test/"), at));

    public ScriptedEvent Cancelled(DateTimeOffset at) => new(Guid.NewGuid(), new StrategyMeetingCancelled(Id, Reference, "Duplicate referral", at));
}
