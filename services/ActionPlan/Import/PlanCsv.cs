using System.Globalization;
using System.Text.RegularExpressions;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Http;

namespace Jtai.Strategy.ActionPlan.Import;

/// <summary>One action row of a plan CSV, validated.</summary>
public sealed record PlanRow(
    int Row,
    int ThemeNumber,
    string ThemeName,
    string Ref,
    string AreaForImprovement,
    string Intent,
    string Lead,
    string? TimescaleText,
    DateOnly? DueDate,
    string OversightGroup,
    string ExpectedImpact,
    string EvidenceOfImpact);

/// <summary>
/// The plan CSV (docs/action-plan.md, "Plan CSV"): one row per action, in plan order. Required
/// columns: theme_number, theme_name, ref, action; the others may be absent or empty.
/// </summary>
public static partial class PlanCsv
{
    public static readonly string[] RequiredColumns = ["theme_number", "theme_name", "ref", "action"];

    public static readonly string[] OptionalColumns =
        ["area_for_improvement", "lead", "timescale_text", "due_date", "oversight_group", "expected_impact", "evidence_of_impact"];

    private const int MaxText = 8000;

    public static IReadOnlyList<PlanRow> Read(TextReader reader, ValidationErrors errors)
    {
        var table = CsvTable.Read(reader, RequiredColumns, OptionalColumns, errors);
        if (table is null)
        {
            return [];
        }

        var rows = new List<PlanRow>();
        var themeNames = new Dictionary<int, string>();
        var refThemes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in table.Records)
        {
            var themeOk = int.TryParse(r["theme_number"], NumberStyles.None, CultureInfo.InvariantCulture, out var theme) && theme is >= 1 and <= 99;
            errors.When(!themeOk, r.Field("theme_number"), "theme_number must be a whole number from 1 to 99.");
            var themeName = r["theme_name"];
            errors.Required(r.Field("theme_name"), NullIfEmpty(themeName), 200);
            if (themeOk && themeName.Length > 0 && !themeNames.TryAdd(theme, themeName) && themeNames[theme] != themeName)
            {
                errors.Add(r.Field("theme_name"), $"Theme {theme} is named '{themeNames[theme]}' on an earlier row; one name per theme.");
            }

            var reference = r["ref"];
            if (!RefPattern().IsMatch(reference))
            {
                errors.Add(r.Field("ref"), "ref must be numbers separated by dots, e.g. 1.1 or 2.15.");
            }
            else if (themeOk && !reference.StartsWith(theme.ToString(CultureInfo.InvariantCulture) + ".", StringComparison.Ordinal))
            {
                errors.Add(r.Field("ref"), $"ref {reference} does not belong to theme {theme} (it must start with '{theme}.').");
            }
            else if (themeOk && !refThemes.TryAdd(reference, theme) && refThemes[reference] != theme)
            {
                errors.Add(r.Field("ref"), $"ref {reference} already appears under theme {refThemes[reference]}.");
            }

            errors.Required(r.Field("action"), NullIfEmpty(r["action"]), MaxText);
            errors.MaxLength(r.Field("lead"), r["lead"], 200);
            errors.MaxLength(r.Field("timescale_text"), r["timescale_text"], 100);
            foreach (var column in new[] { "area_for_improvement", "oversight_group", "expected_impact", "evidence_of_impact" })
            {
                errors.MaxLength(r.Field(column), r[column], MaxText);
            }

            var due = ReadDueDate(r, errors);
            if (themeOk)
            {
                rows.Add(new PlanRow(
                    r.Row, theme, themeName, reference, r["area_for_improvement"], r["action"], r["lead"], NullIfEmpty(r["timescale_text"]), due,
                    r["oversight_group"], r["expected_impact"], r["evidence_of_impact"]));
            }
        }

        return errors.Any ? [] : rows;
    }

    /// <summary>due_date wins; without one the timescale text is read; when both are given they must agree.</summary>
    private static DateOnly? ReadDueDate(CsvRecord r, ValidationErrors errors)
    {
        var text = r["timescale_text"];
        var (reading, fromText) = Timescale.Read(text);
        var dueText = r["due_date"];
        if (dueText.Length == 0)
        {
            errors.When(reading == Timescale.Reading.Unreadable, r.Field("timescale_text"),
                $"'{text}' is not a timescale the service can read (e.g. Mar.19, Sept. 19, Dec 2018, Ongoing); give due_date as YYYY-MM-DD.");
            return fromText;
        }

        if (!DateOnly.TryParseExact(dueText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
        {
            errors.Add(r.Field("due_date"), $"'{dueText}' is not a date: use YYYY-MM-DD, e.g. 2019-03-31.");
            return null;
        }

        errors.When(fromText is { } parsed && parsed != due, r.Field("due_date"),
            $"due_date {due:yyyy-MM-dd} disagrees with timescale_text '{text}' (which reads as {fromText:yyyy-MM-dd}).");
        return due;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex(@"^\d{1,2}(\.\d{1,3}){1,3}$")]
    private static partial Regex RefPattern();
}
