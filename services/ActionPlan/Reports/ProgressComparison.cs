using System.Globalization;
using Jtai.Strategy.ActionPlan.Domain;

namespace Jtai.Strategy.ActionPlan.Reports;

public sealed record StatusCounts(int Green, int Amber, int Yellow, int NotStarted, int Total);

/// <summary>
/// One theme (or the totals) of a published table beside the tracker's own line for the same due-by date.
/// <see cref="Difference"/> is tracker minus published; <see cref="NotRecordedActions"/> are the actions the
/// tracker counts with no status recorded as at the as-at day; <see cref="Explanation"/> says why the two differ.
/// </summary>
public sealed record ComparisonLine(
    int? ThemeNumber, string Theme, string? PublishedTheme, StatusCounts? Published, StatusCounts Tracker, StatusCounts? Difference,
    IReadOnlyList<string> NotRecordedActions, bool Agrees, string Explanation);

/// <summary>A published progress table (as imported, with its source) beside the tracker's computation of the same table.</summary>
public sealed record ProgressComparison(
    string PlanCode, string PlanTitle, Guid PublishedTableId, string SourceDocument, DateOnly PublishedOn, string ContentSha256, DateOnly DueBy, DateOnly AsAt,
    IReadOnlyList<ComparisonLine> Themes, ComparisonLine Totals);

public static class ProgressComparisons
{
    public static ProgressComparison Compare(Plan plan, PublishedProgressTable published, DateOnly asAt, IReadOnlyList<ActionAsAt> actions)
    {
        var due = actions.Where(a => a.Action.OriginallyDueBy(published.DueBy)).ToList();
        var lines = plan.Themes.OrderBy(t => t.Number)
            .Select(t => Line(t.Number, t.Name, published.Lines.SingleOrDefault(l => l.ThemeNumber == t.Number), due.Where(a => a.Action.ThemeNumber == t.Number).ToList(), published.DueBy, asAt))
            .ToList();
        // Without a totals row in the document, its totals are the sum of its theme lines.
        var stated = published.Lines.SingleOrDefault(l => l.ThemeNumber is null);
        var themes = published.Lines.Where(l => l.ThemeNumber is not null).ToList();
        var publishedTotals = stated ?? new PublishedProgressLine
        {
            Theme = "Total", Green = themes.Sum(l => l.Green), Amber = themes.Sum(l => l.Amber), Yellow = themes.Sum(l => l.Yellow), Total = themes.Sum(l => l.Total),
        };
        return new ProgressComparison(plan.Code, plan.Title, published.Id, published.SourceDocument, published.PublishedOn, published.ContentSha256, published.DueBy, asAt,
            lines, Line(null, "Total", publishedTotals, due, published.DueBy, asAt));
    }

    private static ComparisonLine Line(int? number, string name, PublishedProgressLine? published, IReadOnlyList<ActionAsAt> due, DateOnly dueBy, DateOnly asAt)
    {
        int Count(ActionStatus status) => due.Count(a => a.Status == status);
        var tracker = new StatusCounts(Count(ActionStatus.Green), Count(ActionStatus.Amber), Count(ActionStatus.Yellow), Count(ActionStatus.NotStarted), due.Count);
        var notRecorded = due.Where(a => a.Status == ActionStatus.NotStarted).Select(a => a.Action.Key).ToList();
        if (published is null)
        {
            return new ComparisonLine(number, name, null, null, tracker, null, notRecorded, false, "The published table has no line for this theme.");
        }

        var given = new StatusCounts(published.Green, published.Amber, published.Yellow, published.NotStarted, published.Total);
        var difference = new StatusCounts(tracker.Green - given.Green, tracker.Amber - given.Amber, tracker.Yellow - given.Yellow, tracker.NotStarted - given.NotStarted,
            tracker.Total - given.Total);
        var agrees = difference == new StatusCounts(0, 0, 0, 0, 0);
        return new ComparisonLine(number, name, published.Theme, given, tracker, difference, notRecorded, agrees,
            agrees ? "The tracker's figures agree with the published table." : Explain(given, tracker, notRecorded, dueBy, asAt));
    }

    private static string Explain(StatusCounts published, StatusCounts tracker, IReadOnlyList<string> notRecorded, DateOnly dueBy, DateOnly asAt)
    {
        var reasons = new List<string>();
        if (tracker.Total != published.Total)
        {
            reasons.Add($"The tracker counts {tracker.Total} actions originally due by {Day(dueBy)}, the published table {published.Total}: " +
                        "the plan's timescales as recorded differ from those the report counted.");
        }

        if (notRecorded.Count > published.NotStarted)
        {
            reasons.Add($"{notRecorded.Count - published.NotStarted} more actions have no status recorded in the tracker as at {Day(asAt)} than the published table " +
                        $"counts as not started ({published.NotStarted}): their statuses are in the report but not yet recorded in the tracker. " +
                        $"Not recorded: {string.Join(", ", notRecorded)}.");
        }

        var over = new[] { ("Green", tracker.Green - published.Green), ("Amber", tracker.Amber - published.Amber), ("Yellow", tracker.Yellow - published.Yellow) }
            .Where(x => x.Item2 > 0).Select(x => $"{x.Item2} more {x.Item1}").ToList();
        if (over.Count > 0)
        {
            reasons.Add($"The tracker has {string.Join(" and ", over)} than the published table: statuses recorded in the tracker differ from those reported " +
                        "(changed since, or recorded differently).");
        }

        return reasons.Count > 0 ? string.Join(" ", reasons) : "The counts differ.";
    }

    private static string Day(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
