namespace Jtai.Strategy.ActionPlan.Domain;

/// <summary>
/// One action of the plan. Its timescale has two parts: the ORIGINAL one the plan was submitted
/// with (what "actions due by December 2018" counts), and a REVISED one that only an executive
/// approval (<see cref="TimescaleRevision"/>) can set. Overdue is judged on the revised one when there is one.
/// </summary>
public sealed class PlanAction
{
    public Guid Id { get; init; }

    public Guid PlanId { get; init; }

    /// <summary>Ref plus a letter for its place under the ref, e.g. <c>1.1e</c>; unique in the plan.</summary>
    public required string Key { get; init; }

    public required string Ref { get; init; }

    public int ThemeNumber { get; init; }

    /// <summary>Position in the imported plan (keeps the plan's own order).</summary>
    public int Ordinal { get; init; }

    /// <summary>The finding this action answers (the area-for-improvement text of its row).</summary>
    public required string AreaForImprovement { get; init; }

    /// <summary>What will be done (the plan's "Action (intent)").</summary>
    public required string Intent { get; init; }

    /// <summary>Lead agency or group as the plan names it ("Police", "MASDG", "CRC, NPS &amp; YOS").</summary>
    public required string Lead { get; init; }

    public string? OriginalTimescaleText { get; set; }

    public DateOnly? OriginalDueDate { get; set; }

    public DateOnly? RevisedDueDate { get; set; }

    public required string OversightGroup { get; init; }

    public required string ExpectedImpact { get; init; }

    /// <summary>The plan's "Scrutiny &amp; Audit Programme (Evidence of Impact)".</summary>
    public required string EvidenceOfImpact { get; init; }

    public ActionStatus Status { get; private set; } = ActionStatus.NotStarted;

    public DateTimeOffset? StatusChangedAt { get; private set; }

    /// <summary>The latest period's evidence of a linked metric missed its target (kept by <see cref="Evidence.EvidenceAssessment"/>).</summary>
    public bool EvidenceBelowTarget { get; set; }

    /// <summary>End (exclusive) of the latest period any linked metric gave evidence for.</summary>
    public DateOnly? LatestEvidencePeriodEnd { get; set; }

    public long Version { get; set; } = 1;

    public List<StatusChange> StatusHistory { get; init; } = [];

    public List<TimescaleRevision> Revisions { get; init; } = [];

    public DateOnly? DueDate => RevisedDueDate ?? OriginalDueDate;

    /// <summary>Past its (revised) timescale and not complete. An undated action is never overdue.</summary>
    public bool IsOverdue(DateOnly today) => Status != ActionStatus.Green && DueDate is { } due && due < today;

    /// <summary>Was the action due by <paramref name="date"/> when the plan was agreed (the progress table's question)?</summary>
    public bool OriginallyDueBy(DateOnly date) => OriginalDueDate is { } due && due <= date;

    /// <summary>
    /// Records a status change with who, when and why. Yellow needs the executive's approval of a
    /// revised timescale in the same step; callers validate first, this guards the rule. The history
    /// must be loaded (it numbers the entries; a unique key catches a caller that forgot).
    /// </summary>
    public StatusChange ChangeStatus(ActionStatus to, string reason, Actor actor, DateTimeOffset now, Provenance source, TimescaleRevision? revision = null)
    {
        if (to == ActionStatus.Yellow && revision is null)
        {
            throw new InvalidOperationException("Yellow means the timescale was revised with the executive's approval; record the approval with the change.");
        }

        if (to == Status && revision is null)
        {
            throw new InvalidOperationException($"Action {Key} is already {Status}.");
        }

        var change = new StatusChange
        {
            Id = Guid.CreateVersion7(now),
            ActionId = Id,
            Sequence = StatusHistory.Count + 1,
            FromStatus = Status,
            ToStatus = to,
            Reason = reason,
            ChangedBySubject = actor.Subject,
            ChangedByName = actor.Name,
            ChangedAt = now,
            TimescaleRevisionId = revision?.Id,
            Source = source,
        };
        StatusHistory.Add(change);
        Status = to;
        StatusChangedAt = now;
        Version++;
        return change;
    }

    /// <summary>Revises the timescale to a later date, as the executive approved (recorded with who entered it).</summary>
    public TimescaleRevision ReviseTimescale(DateOnly revisedDueDate, ExecutiveApproval approval, Actor actor, DateTimeOffset now, Provenance source)
    {
        if (DueDate is { } current && revisedDueDate <= current)
        {
            throw new InvalidOperationException($"A revised timescale must be later than the current one ({current:yyyy-MM-dd}).");
        }

        var revision = NewRevision(DueDate, RevisedDueDate is null ? OriginalTimescaleText : null, revisedDueDate, approval, actor, now, source);
        RevisedDueDate = revisedDueDate;
        return revision;
    }

    /// <summary>
    /// For a plan imported in a version that already shows a revised timescale (Durham's V2): the
    /// current timescale becomes the revised one and the original is restored from the revision record.
    /// </summary>
    public TimescaleRevision RecordEarlierRevision(string? originalTimescaleText, DateOnly originalDueDate, ExecutiveApproval approval, Actor actor, DateTimeOffset now, Provenance source)
    {
        if (Revisions.Count > 0 || RevisedDueDate is not null)
        {
            throw new InvalidOperationException($"Action {Key} already has a recorded timescale revision.");
        }

        if (OriginalDueDate is not { } shown || originalDueDate >= shown)
        {
            throw new InvalidOperationException($"Action {Key}: the original timescale must be earlier than the one the plan shows.");
        }

        var revision = NewRevision(originalDueDate, originalTimescaleText, shown, approval, actor, now, source);
        RevisedDueDate = shown;
        OriginalDueDate = originalDueDate;
        OriginalTimescaleText = originalTimescaleText;
        return revision;
    }

    private TimescaleRevision NewRevision(DateOnly? previous, string? previousText, DateOnly revised, ExecutiveApproval approval, Actor actor, DateTimeOffset now, Provenance source)
    {
        var revision = new TimescaleRevision
        {
            Id = Guid.CreateVersion7(now),
            ActionId = Id,
            Sequence = Revisions.Count + 1,
            PreviousDueDate = previous,
            PreviousTimescaleText = previousText,
            RevisedDueDate = revised,
            ApprovedBy = approval.ApprovedBy,
            ApprovedOn = approval.ApprovedOn,
            Reason = approval.Reason,
            RecordedBySubject = actor.Subject,
            RecordedByName = actor.Name,
            RecordedAt = now,
            Source = source,
            ExecutiveDecisionId = approval.DecisionId,
        };
        Revisions.Add(revision);
        Version++;
        return revision;
    }
}

/// <summary>
/// The executive's decision to revise a timescale: who approved (e.g. LSCB Executive Group), when, and why; with
/// <paramref name="DecisionId"/> the recorded <see cref="ExecutiveDecision"/> it rests on (none for free text and imports).
/// </summary>
public sealed record ExecutiveApproval(string ApprovedBy, DateOnly ApprovedOn, string Reason, Guid? DecisionId = null);

/// <summary>One entry of an action's status history.</summary>
public sealed class StatusChange
{
    public Guid Id { get; init; }

    public Guid ActionId { get; init; }

    /// <summary>1, 2, … per action: the order of the history, even for changes in the same instant.</summary>
    public int Sequence { get; init; }

    public ActionStatus FromStatus { get; init; }

    public ActionStatus ToStatus { get; init; }

    public required string Reason { get; init; }

    public required string ChangedBySubject { get; init; }

    public required string ChangedByName { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>The approval a change to Yellow rests on.</summary>
    public Guid? TimescaleRevisionId { get; init; }

    /// <summary>Where this entry came from: a user through the API, an imported file, or reconstructed from a progress report.</summary>
    public Provenance Source { get; init; }
}

/// <summary>A revised timescale and the executive approval behind it.</summary>
public sealed class TimescaleRevision
{
    public Guid Id { get; init; }

    public Guid ActionId { get; init; }

    /// <summary>1, 2, … per action.</summary>
    public int Sequence { get; init; }

    public DateOnly? PreviousDueDate { get; init; }

    public string? PreviousTimescaleText { get; init; }

    public DateOnly RevisedDueDate { get; init; }

    public required string ApprovedBy { get; init; }

    public DateOnly ApprovedOn { get; init; }

    public required string Reason { get; init; }

    public required string RecordedBySubject { get; init; }

    public required string RecordedByName { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Where this revision came from: a user through the API, an imported file, or reconstructed from a progress report.</summary>
    public Provenance Source { get; init; }

    /// <summary>The recorded executive decision behind it; null where only the free-text approved by / on were given (older rows, imports).</summary>
    public Guid? ExecutiveDecisionId { get; init; }
}
