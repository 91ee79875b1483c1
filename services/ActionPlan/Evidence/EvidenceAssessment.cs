using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Evidence;

/// <summary>
/// Keeps each action's "evidence below target" flag: for every current link of the action, the
/// figures of the latest period it has evidence for; below target when any judged figure there
/// missed. A later period that meets the target clears it; a deleted link no longer counts.
/// </summary>
public static class EvidenceAssessment
{
    /// <summary>Reassesses the given (tracked) actions from the evidence in the database plus what is pending in <paramref name="pending"/>.</summary>
    public static async Task ReassessAsync(ActionPlanDbContext db, IReadOnlyCollection<PlanAction> actions, IEnumerable<MetricEvidence> pending, CancellationToken cancellationToken)
    {
        var ids = actions.Select(a => a.Id).ToList();
        var linkIds = await db.MetricLinks.Where(l => ids.Contains(l.ActionId)).Select(l => l.Id).ToListAsync(cancellationToken);
        var stored = await db.MetricEvidence.AsNoTracking()
            .Where(e => e.LinkId != null && linkIds.Contains(e.LinkId.Value))
            .ToListAsync(cancellationToken);

        // Pending rows (this unit of work) replace the stored rows they update.
        var pendingList = pending.Where(e => e.LinkId is { } l && linkIds.Contains(l)).ToList();
        var pendingIds = pendingList.Select(e => e.Id).ToHashSet();
        var all = stored.Where(e => !pendingIds.Contains(e.Id)).Concat(pendingList).ToList();

        foreach (var action in actions)
        {
            var latest = all.Where(e => e.ActionId == action.Id)
                .GroupBy(e => e.LinkId)
                .Select(g => g.Where(e => e.PeriodEnd == g.Max(x => x.PeriodEnd)).ToList())
                .ToList();
            action.EvidenceBelowTarget = latest.Any(rows => rows.Any(e => e.Met == false));
            action.LatestEvidencePeriodEnd = latest.Count == 0 ? null : latest.Max(rows => rows[0].PeriodEnd);
        }
    }
}
