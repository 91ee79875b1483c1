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
