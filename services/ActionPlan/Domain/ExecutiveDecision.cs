namespace Jtai.Strategy.ActionPlan.Domain;

/// <summary>
/// The executive's decision that approves timescale revisions, as a record rather than free text: who approved,
/// in which role or meeting, when, and the document that minutes it. Recorded by a MASDG user (who and when kept),
/// never changed afterwards (the database refuses it); one decision may approve several revisions.
/// </summary>
public sealed class ExecutiveDecision
{
    public Guid Id { get; init; }

    public Guid PlanId { get; init; }

    /// <summary>Who approved: the person (e.g. the chair) or the body.</summary>
    public required string Approver { get; init; }

    /// <summary>The role they approved in, or the meeting that decided (e.g. "LSCB Executive Group, 20 March 2019").</summary>
    public required string RoleOrMeeting { get; init; }

    public DateOnly ApprovedOn { get; init; }

    /// <summary>Where the decision is written down (minutes and item, decision log reference).</summary>
    public required string DocumentReference { get; init; }

    public required string RecordedBySubject { get; init; }

    public required string RecordedByName { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>What a revision keeps in its <c>approved_by</c> text, so readers of that field still see who approved.</summary>
    public string ApprovedByText => $"{Approver} ({RoleOrMeeting})";
}
