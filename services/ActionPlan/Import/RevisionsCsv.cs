using System.Globalization;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Http;

namespace Jtai.Strategy.ActionPlan.Import;

/// <summary>A revision the imported plan already shows: the plan's timescale is the revised one; this row says what it was.</summary>
public sealed record EarlierRevisionRow(
    int Row,
    string ActionKey,
    string? ActionStartsWith,
    string? OriginalTimescaleText,
    DateOnly OriginalDueDate,
    DateOnly RevisedDueDate,
    ExecutiveApproval Approval,
    Provenance Source);

/// <summary>
/// The revisions CSV (docs/action-plan.md, "Revisions CSV") for a plan published after some of its
/// timescales were revised, as Durham's V2 of February 2019 was.
/// </summary>
public static class RevisionsCsv
{
    public static readonly string[] RequiredColumns = ["action_key", "original_due_date", "revised_due_date", "approved_by", "approved_on", "reason"];

    public static readonly string[] OptionalColumns = ["action_starts_with", "original_timescale_text", "source"];

    /// <summary>The <c>source</c> column's values. A file cannot claim a user recorded it; empty or absent means imported.</summary>
    public const string ImportedSource = "imported";

    public const string ReconstructedSource = "reconstructed-from-progress-report";

    public static IReadOnlyList<EarlierRevisionRow> Read(TextReader reader, DateOnly today, ValidationErrors errors)
    {
        var table = CsvTable.Read(reader, RequiredColumns, OptionalColumns, errors);
        if (table is null)
        {
            return [];
        }

        var rows = new List<EarlierRevisionRow>();
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in table.Records)
        {
            errors.Required(r.Field("action_key"), Empty(r["action_key"]), 20);
            errors.When(r["action_key"].Length > 0 && !keys.Add(r["action_key"]), r.Field("action_key"), $"Action {r["action_key"]} is listed twice.");
            var original = Date(r, "original_due_date", errors);
            var revised = Date(r, "revised_due_date", errors);
            var approvedOn = Date(r, "approved_on", errors);
            errors.When(original is { } o && revised is { } v && v <= o, r.Field("revised_due_date"), "revised_due_date must be later than original_due_date.");
            errors.When(approvedOn > today, r.Field("approved_on"), "approved_on cannot be in the future.");
            errors.Required(r.Field("approved_by"), Empty(r["approved_by"]), 200);
            errors.Required(r.Field("reason"), Empty(r["reason"]), 2000);
            errors.MaxLength(r.Field("original_timescale_text"), r["original_timescale_text"], 100);
            var source = r["source"].ToLowerInvariant() switch
            {
                "" or ImportedSource => Provenance.Imported,
                ReconstructedSource => Provenance.ReconstructedFromProgressReport,
                _ => (Provenance?)null,
            };
            errors.When(source is null, r.Field("source"), $"source must be {ImportedSource} (the default) or {ReconstructedSource}.");
            if (original is { } od && revised is { } rd && approvedOn is { } ad && source is { } s)
            {
                rows.Add(new EarlierRevisionRow(r.Row, r["action_key"], Empty(r["action_starts_with"]), Empty(r["original_timescale_text"]), od, rd,
                    new ExecutiveApproval(r["approved_by"], ad, r["reason"]), s));
            }
        }

        return errors.Any ? [] : rows;
    }

    private static DateOnly? Date(CsvRecord r, string column, ValidationErrors errors)
    {
        if (DateOnly.TryParseExact(r[column], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(r.Field(column), $"{column} must be a date as YYYY-MM-DD.");
        return null;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
