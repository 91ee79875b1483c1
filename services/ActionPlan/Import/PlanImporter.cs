using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Http;

namespace Jtai.Strategy.ActionPlan.Import;

/// <summary>Turns validated CSV rows into a plan, and applies revisions the plan already shows. Deterministic: same rows, same plan.</summary>
public static class PlanImporter
{
    public static Plan Build(string code, string title, IReadOnlyList<PlanRow> rows, Actor actor, DateTimeOffset now)
    {
        var plan = new Plan { Id = Guid.CreateVersion7(now), Code = code, Title = title, ImportedAt = now, ImportedBy = actor.Name };
        foreach (var theme in rows.GroupBy(r => r.ThemeNumber).OrderBy(g => g.Key))
        {
            plan.Themes.Add(new Theme { PlanId = plan.Id, Number = theme.Key, Name = theme.First().ThemeName });
        }

        var areas = new Dictionary<string, AreaForImprovement>(StringComparer.Ordinal);
        var perRef = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordinal = 0;
        foreach (var row in rows)
        {
            if (!areas.TryGetValue(row.Ref, out var area))
            {
                area = new AreaForImprovement { PlanId = plan.Id, Ref = row.Ref, ThemeNumber = row.ThemeNumber, Ordinal = areas.Count + 1 };
                areas.Add(row.Ref, area);
                plan.Areas.Add(area);
            }

            if (row.AreaForImprovement.Length > 0 && !area.Findings.Contains(row.AreaForImprovement, StringComparer.Ordinal))
            {
                area.Findings.Add(row.AreaForImprovement);
            }

            var position = perRef[row.Ref] = perRef.GetValueOrDefault(row.Ref) + 1;
            plan.Actions.Add(new PlanAction
            {
                Id = Guid.CreateVersion7(now),
                PlanId = plan.Id,
                Key = row.Ref + Letters(position),
                Ref = row.Ref,
                ThemeNumber = row.ThemeNumber,
                Ordinal = ++ordinal,
                AreaForImprovement = row.AreaForImprovement,
                Intent = row.Intent,
                Lead = row.Lead,
                OriginalTimescaleText = row.TimescaleText,
                OriginalDueDate = row.DueDate,
                OversightGroup = row.OversightGroup,
                ExpectedImpact = row.ExpectedImpact,
                EvidenceOfImpact = row.EvidenceOfImpact,
            });
        }

        return plan;
    }

    /// <summary>
    /// Records each revision the plan already shows and marks the action Yellow (when nothing has been
    /// reported on it yet). All rows or none: <paramref name="errors"/> says what did not fit.
    /// </summary>
    public static IReadOnlyList<PlanAction> ApplyEarlierRevisions(IReadOnlyList<PlanAction> actions, IReadOnlyList<EarlierRevisionRow> rows, Actor actor, DateTimeOffset now, ValidationErrors errors)
    {
        var byKey = actions.ToDictionary(a => a.Key, StringComparer.OrdinalIgnoreCase);
        var matched = new List<(PlanAction Action, EarlierRevisionRow Row)>();
        foreach (var row in rows)
        {
            var field = CsvRecord.Field(row.Row, "action_key");
            if (!byKey.TryGetValue(row.ActionKey, out var action))
            {
                errors.Add(field, $"The plan has no action {row.ActionKey}.");
                continue;
            }

            if (row.ActionStartsWith is { } start && !action.Intent.StartsWith(start, StringComparison.Ordinal))
            {
                errors.Add(CsvRecord.Field(row.Row, "action_starts_with"), $"Action {action.Key} reads \"{Shorten(action.Intent)}\", not \"{start}…\": is the key right?");
                continue;
            }

            if (action.Revisions.Count > 0 || action.RevisedDueDate is not null)
            {
                errors.Add(field, $"Action {action.Key} already has a recorded timescale revision.");
                continue;
            }

            if (action.OriginalDueDate != row.RevisedDueDate)
            {
                errors.Add(CsvRecord.Field(row.Row, "revised_due_date"),
                    $"Action {action.Key}'s plan timescale is {action.OriginalDueDate?.ToString("yyyy-MM-dd") ?? "undated"}, not {row.RevisedDueDate:yyyy-MM-dd}; this file records revisions the plan already shows.");
                continue;
            }

            matched.Add((action, row));
        }

        if (errors.Any)
        {
            return [];
        }

        foreach (var (action, row) in matched)
        {
            // The Yellow status rests on the same document as the revision, so it carries the revision's source.
            var revision = action.RecordEarlierRevision(row.OriginalTimescaleText, row.OriginalDueDate, row.Approval, actor, now, row.Source);
            if (action.Status == ActionStatus.NotStarted)
            {
                action.ChangeStatus(ActionStatus.Yellow, row.Approval.Reason, actor, now, row.Source, revision);
            }
        }

        return matched.Select(m => m.Action).ToList();
    }

    /// <summary>a, b, … z, aa, ab, … (the action's place under its ref).</summary>
    public static string Letters(int position)
    {
        var letters = string.Empty;
        for (var n = position; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('a' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
