using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Text;

namespace Jtai.Strategy.ActionPlan.Import;

/// <summary>
/// A CSV file with a header row, read by column name. Header problems (unknown, duplicate or missing
/// columns, ragged rows) are reported as field errors so an administrator can fix the file in one go.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> columns;

    private CsvTable(Dictionary<string, int> columns, IReadOnlyList<CsvRecord> records)
    {
        this.columns = columns;
        Records = records;
    }

    public IReadOnlyList<CsvRecord> Records { get; }

    public bool Has(string column) => columns.ContainsKey(column);

    public static CsvTable? Read(TextReader reader, IReadOnlyList<string> required, IReadOnlyList<string> optional, ValidationErrors errors, int maxRows = 5000)
    {
        IReadOnlyList<IReadOnlyList<string>> parsed;
        try
        {
            parsed = Csv.Parse(reader);
        }
        catch (FormatException ex)
        {
            errors.Add("file", ex.Message);
            return null;
        }

        if (parsed.Count == 0)
        {
            errors.Add("file", "The file is empty: expected a header row and at least one row.");
            return null;
        }

        var header = parsed[0].Select((name, index) => (Name: name.Trim().TrimStart('\uFEFF').ToLowerInvariant(), Index: index)).ToList();
        var known = required.Concat(optional).ToHashSet(StringComparer.Ordinal);
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, index) in header)
        {
            if (!known.Contains(name))
            {
                errors.Add("header", $"Unknown column '{name}'. Expected columns: {string.Join(", ", required.Concat(optional))}.");
            }
            else if (!map.TryAdd(name, index))
            {
                errors.Add("header", $"Column '{name}' appears twice.");
            }
        }

        foreach (var missing in required.Where(c => !map.ContainsKey(c)))
        {
            errors.Add("header", $"Required column '{missing}' is missing.");
        }

        if (parsed.Count == 1)
        {
            errors.Add("file", "The file has a header but no rows.");
        }

        if (parsed.Count - 1 > maxRows)
        {
            errors.Add("file", $"The file has {parsed.Count - 1} rows; at most {maxRows} are accepted.");
        }

        for (var i = 1; i < parsed.Count; i++)
        {
            if (parsed[i].Count != header.Count)
            {
                errors.Add(CsvRecord.Field(i + 1, "row"), $"Has {parsed[i].Count} fields; the header has {header.Count}.");
            }
        }

        return errors.Any ? null : new CsvTable(map, parsed.Skip(1).Select((r, i) => new CsvRecord(i + 2, r, map)).ToList());
    }
}

/// <summary>One data row; <see cref="Row"/> counts the header as row 1, as a spreadsheet shows it.</summary>
internal sealed class CsvRecord(int row, IReadOnlyList<string> fields, Dictionary<string, int> columns)
{
    public int Row { get; } = row;

    /// <summary>The trimmed value, or "" when the column is absent.</summary>
    public string this[string column] => columns.TryGetValue(column, out var index) ? fields[index].Trim() : string.Empty;

    public string Field(string column) => Field(Row, column);

    public static string Field(int row, string column) => $"row {row}.{column}";
}
