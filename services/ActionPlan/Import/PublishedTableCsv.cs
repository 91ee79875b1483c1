using System.Globalization;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Http;

namespace Jtai.Strategy.ActionPlan.Import;

/// <summary>
/// A published progress table as CSV (docs/action-plan.md, "Published progress table CSV"): one row per theme
/// with its counts, and optionally the document's own totals row (empty theme_number), which must add up.
/// </summary>
public static class PublishedTableCsv
{
    public static readonly string[] RequiredColumns = ["theme_number", "theme_name", "green", "amber", "yellow", "total"];

    public static IReadOnlyList<PublishedProgressLine> Read(TextReader reader, IReadOnlySet<int> planThemes, ValidationErrors errors)
    {
        var table = CsvTable.Read(reader, RequiredColumns, [], errors, maxRows: 100);
        if (table is null)
        {
            return [];
        }

        var lines = new List<PublishedProgressLine>();
        var seen = new HashSet<int>();
        foreach (var r in table.Records)
        {
            int? theme = null;
            if (r["theme_number"].Length > 0)
            {
                if (int.TryParse(r["theme_number"], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && planThemes.Contains(number))
                {
                    theme = number;
                    errors.When(!seen.Add(number), r.Field("theme_number"), $"Theme {number} is listed twice.");
                }
                else
                {
                    errors.Add(r.Field("theme_number"), $"theme_number must be one of the plan's themes ({string.Join(", ", planThemes.Order())}), or empty for the totals row.");
                }
            }
            else
            {
                errors.When(!seen.Add(0), r.Field("theme_number"), "Only one totals row (empty theme_number) is allowed.");
            }

            errors.Required(r.Field("theme_name"), r["theme_name"].Length == 0 ? null : r["theme_name"], 200);
            var green = Count(r, "green", errors);
            var amber = Count(r, "amber", errors);
            var yellow = Count(r, "yellow", errors);
            var total = Count(r, "total", errors);
            errors.When(green + amber + yellow > total, r.Field("total"), "total is less than green + amber + yellow.");
            lines.Add(new PublishedProgressLine { Ordinal = r.Row - 1, ThemeNumber = theme, Theme = r["theme_name"], Green = green, Amber = amber, Yellow = yellow, Total = total });
        }

        // A document whose totals do not add up is refused rather than stored as if its figures agreed.
        var themes = lines.Where(l => l.ThemeNumber is not null).ToList();
        if (!errors.Any && lines.SingleOrDefault(l => l.ThemeNumber is null) is { } totals)
        {
            foreach (var (column, sum, stated) in new[]
                     {
                         ("green", themes.Sum(l => l.Green), totals.Green), ("amber", themes.Sum(l => l.Amber), totals.Amber),
                         ("yellow", themes.Sum(l => l.Yellow), totals.Yellow), ("total", themes.Sum(l => l.Total), totals.Total),
                     })
            {
                errors.When(sum != stated, CsvRecord.Field(totals.Ordinal + 1, column), $"The totals row says {stated} but the themes add up to {sum}.");
            }
        }

        errors.When(!errors.Any && themes.Count == 0, "file", "The file has no theme rows.");
        return errors.Any ? [] : lines;
    }

    private static int Count(CsvRecord r, string column, ValidationErrors errors)
    {
        if (int.TryParse(r[column], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 100_000)
        {
            return count;
        }

        errors.Add(r.Field(column), $"{column} must be a whole number of actions (0 or more).");
        return 0;
    }
}
