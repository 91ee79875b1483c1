namespace Jtai.Strategy.ActionPlan.Domain;

/// <summary>
/// The recorded progress of an action, in the plan's own key (seed 002, Table 1). "Overdue" is not
/// a status anyone sets: it is derived (past its timescale and not Green), see <see cref="PlanAction.IsOverdue"/>.
/// </summary>
public enum ActionStatus
{
    /// <summary>Nothing reported yet (every action starts here).</summary>
    NotStarted,

    /// <summary>Commenced but not completed; needs further time to embed.</summary>
    Amber,

    /// <summary>Complete.</summary>
    Green,

    /// <summary>Timescale revised — only with the executive's recorded approval (a <see cref="TimescaleRevision"/>).</summary>
    Yellow,
}

/// <summary>Who did something, from the signed-in user's token (subject and display name).</summary>
public sealed record Actor(string Subject, string Name);

/// <summary>
/// Where a recorded status or timescale revision came from, so a report can say which of its figures
/// rest on what a user recorded and which were carried in from documents.
/// </summary>
public enum Provenance
{
    /// <summary>Recorded by a signed-in user through the API (who and when are the user's and the clock's).</summary>
    RecordedByUser,

    /// <summary>Taken from a file an administrator imported (e.g. the revisions CSV of a plan published after revisions).</summary>
    Imported,

    /// <summary>
    /// Reconstructed from a published progress report that gives counts, not per-action facts (Durham's sample:
    /// which action was revised in themes 1, 2 and 4, and the approval date, are judgements).
    /// </summary>
    ReconstructedFromProgressReport,
}
