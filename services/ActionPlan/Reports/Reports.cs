using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Reports;

/// <summary>One theme's line of the progress table (the shape of Table 1, plus what Table 1 had none of).</summary>
public sealed record ProgressLine(int? ThemeNumber, string Theme, int Green, int Amber, int Yellow, int NotStarted, int Total, int Overdue);

/// <summary>
/// Progress against the actions whose ORIGINAL timescale fell on or before <see cref="DueBy"/>
/// (a revised timescale does not take an action out: it is what Yellow counts). Statuses are as
/// recorded now; <see cref="Overdue"/> counts those past their (revised) timescale on <see cref="JudgedOn"/>.
/// </summary>
public sealed record ProgressReport(string PlanCode, string PlanTitle, DateOnly DueBy, DateOnly JudgedOn, IReadOnlyList<ProgressLine> Themes, ProgressLine Totals);

public sealed record OverdueAction(string Key, int ThemeNumber, string Ref, string Intent, string Lead, DateOnly? OriginalDueDate, DateOnly? RevisedDueDate, DateOnly DueDate, ActionStatus Status, int DaysOverdue);

public sealed record RevisedTimescale(string Key, int ThemeNumber, string Intent, string Lead, DateOnly? PreviousDueDate, DateOnly RevisedDueDate, string ApprovedBy, DateOnly ApprovedOn, string Reason, ActionStatus Status);

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
    IReadOnlyList<AgencyConcerned> AgenciesConcerned);

public static class PlanReports
{
    public static async Task<ProgressReport> ProgressAsync(ActionPlanDbContext db, Plan plan, DateOnly dueBy, DateOnly today, CancellationToken cancellationToken)
    {
        var actions = await db.Actions.AsNoTracking().Where(a => a.PlanId == plan.Id).ToListAsync(cancellationToken);
        var due = actions.Where(a => a.OriginallyDueBy(dueBy)).ToList();
        var lines = plan.Themes.OrderBy(t => t.Number)
            .Select(t => Line(t.Number, t.Name, due.Where(a => a.ThemeNumber == t.Number), today))
            .ToList();
        return new ProgressReport(plan.Code, plan.Title, dueBy, today, lines, Line(null, "Total", due, today));
    }

    private static ProgressLine Line(int? number, string name, IEnumerable<PlanAction> actions, DateOnly today)
    {
        var list = actions.ToList();
        int Count(ActionStatus status) => list.Count(a => a.Status == status);
        return new ProgressLine(number, name, Count(ActionStatus.Green), Count(ActionStatus.Amber), Count(ActionStatus.Yellow), Count(ActionStatus.NotStarted), list.Count,
            list.Count(a => a.IsOverdue(today)));
    }

    public static async Task<ExceptionReport> ExceptionsAsync(ActionPlanDbContext db, Plan plan, Quarter quarter, DateOnly today, CancellationToken cancellationToken)
    {
        // A closed quarter is judged as it closed (the day after its last day); the current one as of today.
        var judgedOn = today > quarter.LastDay ? quarter.LastDay.AddDays(1) : today;
        var actions = await db.Actions.AsNoTracking().Include(a => a.Revisions).Where(a => a.PlanId == plan.Id)
            .OrderBy(a => a.Ordinal).ToListAsync(cancellationToken);
        var byId = actions.ToDictionary(a => a.Id);

        var overdue = actions.Where(a => a.IsOverdue(judgedOn))
            .Select(a => new OverdueAction(a.Key, a.ThemeNumber, a.Ref, a.Intent, a.Lead, a.OriginalDueDate, a.RevisedDueDate, a.DueDate!.Value, a.Status,
                judgedOn.DayNumber - a.DueDate.Value.DayNumber))
            .ToList();

        var revised = actions
            .SelectMany(a => a.Revisions.Where(r => r.ApprovedOn >= quarter.FirstDay && r.ApprovedOn <= quarter.LastDay).Select(r => (Action: a, Revision: r)))
            .OrderBy(x => x.Action.Ordinal).ThenBy(x => x.Revision.Sequence)
            .Select(x => new RevisedTimescale(x.Action.Key, x.Action.ThemeNumber, x.Action.Intent, x.Action.Lead, x.Revision.PreviousDueDate, x.Revision.RevisedDueDate,
                x.Revision.ApprovedBy, x.Revision.ApprovedOn, x.Revision.Reason, x.Action.Status))
            .ToList();

        var actionIds = byId.Keys.ToList();
        var misses = await db.MetricEvidence.AsNoTracking()
            .Where(e => actionIds.Contains(e.ActionId) && e.Met == false && e.PeriodStart >= quarter.FirstDay && e.PeriodStart <= quarter.LastDay)
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

        return new ExceptionReport(plan.Code, plan.Title, quarter.ToString(), quarter.FirstDay, quarter.LastDay, judgedOn, overdue, revised, missed, agencies);
    }

    private static string LeadOrUnnamed(string lead) => lead.Length == 0 ? "(no lead named)" : lead;
}
