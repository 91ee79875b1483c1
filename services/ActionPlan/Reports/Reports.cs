using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Reports;

/// <summary>
/// One theme's line of the progress table (the shape of Table 1, plus what Table 1 had none of). Of the statuses
/// counted, <see cref="Imported"/> and <see cref="Reconstructed"/> rest on a document, not on a user's entry.
/// </summary>
public sealed record ProgressLine(int? ThemeNumber, string Theme, int Green, int Amber, int Yellow, int NotStarted, int Total, int Overdue, int Imported = 0, int Reconstructed = 0);

/// <summary>
/// Progress against the actions whose ORIGINAL timescale fell on or before <see cref="DueBy"/>
/// (a revised timescale does not take an action out: it is what Yellow counts). Statuses are as the
/// tracker had recorded them by the end of <see cref="AsAt"/> (default today); <see cref="Overdue"/> counts
/// those past their (revised) timescale on <see cref="JudgedOn"/>, which is the as-at day.
/// </summary>
public sealed record ProgressReport(string PlanCode, string PlanTitle, DateOnly DueBy, DateOnly JudgedOn, IReadOnlyList<ProgressLine> Themes, ProgressLine Totals, DateOnly AsAt = default);

/// <summary>
/// An action as the tracker had it recorded before an instant: its latest status change and timescale revision
/// recorded by then. The history is append-only, so a report as at a past day gives the same answer whenever it is run.
/// </summary>
public sealed record ActionAsAt(PlanAction Action, ActionStatus Status, Provenance? StatusSource, DateOnly? RevisedDueDate)
{
    public DateOnly? DueDate => RevisedDueDate ?? Action.OriginalDueDate;

    public bool IsOverdue(DateOnly day) => Status != ActionStatus.Green && DueDate is { } due && due < day;

    public static ActionAsAt Of(PlanAction action, DateTimeOffset before)
    {
        var change = action.StatusHistory.Where(c => c.ChangedAt < before).MaxBy(c => c.Sequence);
        var revision = action.Revisions.Where(r => r.RecordedAt < before).MaxBy(r => r.Sequence);
        return new ActionAsAt(action, change?.ToStatus ?? ActionStatus.NotStarted, change?.Source, revision?.RevisedDueDate);
    }
}

public sealed record OverdueAction(string Key, int ThemeNumber, string Ref, string Intent, string Lead, DateOnly? OriginalDueDate, DateOnly? RevisedDueDate, DateOnly DueDate, ActionStatus Status, int DaysOverdue);

/// <summary>
/// A revision in the exception report. <see cref="Approval"/> is the recorded executive decision (who, role or meeting, when,
/// document reference, who recorded it); null where the approval is only the free text in <see cref="ApprovedBy"/>.
/// </summary>
public sealed record RevisedTimescale(
    string Key, int ThemeNumber, string Intent, string Lead, DateOnly? PreviousDueDate, DateOnly RevisedDueDate, string ApprovedBy, DateOnly ApprovedOn, string Reason, ActionStatus Status,
    Provenance Source = Provenance.RecordedByUser, ApprovalOnRecord? Approval = null);

public sealed record ApprovalOnRecord(string Approver, string RoleOrMeeting, DateOnly ApprovedOn, string DocumentReference, string RecordedByName, DateTimeOffset RecordedAt);

public sealed record MissedTarget(
    string Key, int ThemeNumber, string Intent, string Lead, string MetricKey, string? AgencyCode, string PeriodKind, DateOnly PeriodStart, DateOnly PeriodEnd,
    long Numerator, long Denominator, decimal? Value, TargetComparison Comparison, decimal Target);

/// <summary>An agency or group named by the exceptions: the lead of an overdue or revised action, or the agency whose figure missed.</summary>
public sealed record AgencyConcerned(string Agency, int OverdueActions, int RevisedTimescales, int MissedTargets);

/// <summary>
/// The quarterly exception report for the executive: actions overdue when the quarter closed (or today,
/// during the quarter), timescales revised with approval in the quarter, and linked metric targets
/// missed in periods starting in the quarter — with the agencies concerned.
/// </summary>
public sealed record ExceptionReport(
    string PlanCode, string PlanTitle, string Quarter, DateOnly From, DateOnly To, DateOnly JudgedOn,
    IReadOnlyList<OverdueAction> Overdue, IReadOnlyList<RevisedTimescale> RevisedTimescales, IReadOnlyList<MissedTarget> MissedTargets,
    IReadOnlyList<AgencyConcerned> AgenciesConcerned,
    DateOnly AsAt = default);

public static class PlanReports
{
    /// <summary>The plan's actions with their history and revisions, as at the end of <paramref name="asAt"/>.</summary>
    public static async Task<List<ActionAsAt>> ActionsAsAtAsync(ActionPlanDbContext db, Plan plan, DateTimeOffset before, CancellationToken cancellationToken) =>
        (await db.Actions.AsNoTracking().Include(a => a.StatusHistory).Include(a => a.Revisions).AsSplitQuery()
            .Where(a => a.PlanId == plan.Id).OrderBy(a => a.Ordinal).ToListAsync(cancellationToken))
        .Select(a => ActionAsAt.Of(a, before))
        .ToList();

    public static async Task<ProgressReport> ProgressAsync(ActionPlanDbContext db, Plan plan, DateOnly dueBy, DateOnly asAt, DateTimeOffset before, CancellationToken cancellationToken) =>
        Progress(plan, dueBy, asAt, await ActionsAsAtAsync(db, plan, before, cancellationToken));

    public static ProgressReport Progress(Plan plan, DateOnly dueBy, DateOnly asAt, IReadOnlyList<ActionAsAt> actions)
    {
        var due = actions.Where(a => a.Action.OriginallyDueBy(dueBy)).ToList();
        var lines = plan.Themes.OrderBy(t => t.Number)
            .Select(t => Line(t.Number, t.Name, due.Where(a => a.Action.ThemeNumber == t.Number), asAt))
            .ToList();
        return new ProgressReport(plan.Code, plan.Title, dueBy, asAt, lines, Line(null, "Total", due, asAt), asAt);
    }

    private static ProgressLine Line(int? number, string name, IEnumerable<ActionAsAt> actions, DateOnly judgedOn)
    {
        var list = actions.ToList();
        int Count(ActionStatus status) => list.Count(a => a.Status == status);
        return new ProgressLine(number, name, Count(ActionStatus.Green), Count(ActionStatus.Amber), Count(ActionStatus.Yellow), Count(ActionStatus.NotStarted), list.Count,
            list.Count(a => a.IsOverdue(judgedOn)), list.Count(a => a.StatusSource == Provenance.Imported),
            list.Count(a => a.StatusSource == Provenance.ReconstructedFromProgressReport));
    }

    public static async Task<ExceptionReport> ExceptionsAsync(ActionPlanDbContext db, Plan plan, Quarter quarter, DateOnly asAt, DateTimeOffset before, CancellationToken cancellationToken)
    {
        // A closed quarter is judged as it closed (the day after its last day); the current one as of the as-at day.
        var judgedOn = asAt > quarter.LastDay ? quarter.LastDay.AddDays(1) : asAt;
        var actions = await ActionsAsAtAsync(db, plan, before, cancellationToken);
        var byId = actions.ToDictionary(a => a.Action.Id, a => a.Action);

        var overdue = actions.Where(a => a.IsOverdue(judgedOn))
            .Select(a => new OverdueAction(a.Action.Key, a.Action.ThemeNumber, a.Action.Ref, a.Action.Intent, a.Action.Lead, a.Action.OriginalDueDate, a.RevisedDueDate,
                a.DueDate!.Value, a.Status, judgedOn.DayNumber - a.DueDate.Value.DayNumber))
            .ToList();

        var decisions = (await db.ExecutiveDecisions.AsNoTracking().Where(d => d.PlanId == plan.Id).ToListAsync(cancellationToken))
            .ToDictionary(d => d.Id, d => new ApprovalOnRecord(d.Approver, d.RoleOrMeeting, d.ApprovedOn, d.DocumentReference, d.RecordedByName, d.RecordedAt));
        var revised = actions
            .SelectMany(a => a.Action.Revisions.Where(r => r.ApprovedOn >= quarter.FirstDay && r.ApprovedOn <= quarter.LastDay && r.RecordedAt < before)
                .Select(r => (Action: a, Revision: r)))
            .OrderBy(x => x.Action.Action.Ordinal).ThenBy(x => x.Revision.Sequence)
            .Select(x => new RevisedTimescale(x.Action.Action.Key, x.Action.Action.ThemeNumber, x.Action.Action.Intent, x.Action.Action.Lead, x.Revision.PreviousDueDate,
                x.Revision.RevisedDueDate, x.Revision.ApprovedBy, x.Revision.ApprovedOn, x.Revision.Reason, x.Action.Status, x.Revision.Source,
                x.Revision.ExecutiveDecisionId is { } id ? decisions[id] : null))
            .ToList();

        // Evidence recorded after the as-at day is left out. A correction replaces a period's figure in place,
        // so only an issued report keeps what a superseded figure was.
        var actionIds = byId.Keys.ToList();
        var misses = await db.MetricEvidence.AsNoTracking()
            .Where(e => actionIds.Contains(e.ActionId) && e.Met == false && e.PeriodStart >= quarter.FirstDay && e.PeriodStart <= quarter.LastDay && e.RecordedAt < before)
            .ToListAsync(cancellationToken);
        var missed = misses
            .Select(e => (Evidence: e, Action: byId[e.ActionId]))
            .OrderBy(x => x.Action.Ordinal).ThenBy(x => x.Evidence.MetricKey, StringComparer.Ordinal).ThenBy(x => x.Evidence.PeriodStart)
            .ThenBy(x => x.Evidence.AgencyCode ?? string.Empty, StringComparer.Ordinal)
            .Select(x => new MissedTarget(x.Action.Key, x.Action.ThemeNumber, x.Action.Intent, x.Action.Lead, x.Evidence.MetricKey, x.Evidence.AgencyCode,
                x.Evidence.PeriodKind, x.Evidence.PeriodStart, x.Evidence.PeriodEnd.AddDays(-1), x.Evidence.Numerator, x.Evidence.Denominator, x.Evidence.Value,
                x.Evidence.Comparison, x.Evidence.Target))
            .ToList();

        var agencies = overdue.Select(o => (Agency: LeadOrUnnamed(o.Lead), Kind: 0))
            .Concat(revised.Select(r => (Agency: LeadOrUnnamed(r.Lead), Kind: 1)))
            .Concat(missed.Select(m => (Agency: m.AgencyCode ?? LeadOrUnnamed(m.Lead), Kind: 2)))
            .GroupBy(x => x.Agency, StringComparer.Ordinal)
            .Select(g => new AgencyConcerned(g.Key, g.Count(x => x.Kind == 0), g.Count(x => x.Kind == 1), g.Count(x => x.Kind == 2)))
            .OrderByDescending(a => a.OverdueActions + a.RevisedTimescales + a.MissedTargets).ThenBy(a => a.Agency, StringComparer.Ordinal)
            .ToList();

        return new ExceptionReport(plan.Code, plan.Title, quarter.ToString(), quarter.FirstDay, quarter.LastDay, judgedOn, overdue, revised, missed, agencies, asAt);
    }

    private static string LeadOrUnnamed(string lead) => lead.Length == 0 ? "(no lead named)" : lead;
}
