using System.Text;

namespace Jtai.Strategy.BuildingBlocks.Text;

/// <summary>RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.</summary>
public static class Csv
{
    /// <summary>Reads every record; the first is the header when the caller says so.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Parse(TextReader reader)
    {
        var records = new List<IReadOnlyList<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        int read;
        while ((read = reader.Read()) != -1)
        {
            var c = (char)read;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        field.Append('"');
                        reader.Read();
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"CSV ends inside a quoted field (record {records.Count + 1}).");
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || record.Count > 0)
            {
                record.Add(field.ToString());
                records.Add(record);
            }

            record = [];
            field.Clear();
            fieldStarted = false;
        }
    }

    /// <summary>
    /// One field as written to every export: quoted where RFC 4180 needs it, and a text that a spreadsheet would run
    /// as a formula (starting <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) prefixed with an
    /// apostrophe, so no export can carry a formula into a reader's spreadsheet (OWASP's CSV injection guard).
    /// A plain number (<c>-3</c>, <c>+0.5</c>) is data, not a formula, and is left as it is.
    /// </summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static bool IsPlainNumber(string value) =>
        decimal.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out _);
}

/// <summary>
/// The one way every service writes CSV: a header, then rows of fields, each through <see cref="Csv.Escape"/>,
/// records ended by CRLF (RFC 4180).
/// </summary>
public sealed class CsvWriter
{
    public const string MediaType = "text/csv";

    public const string ContentType = MediaType + "; charset=utf-8";

    private readonly StringBuilder text = new();

    public CsvWriter(params IEnumerable<string> header) => Row(header);

    public CsvWriter Row(params IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                text.Append(',');
            }

            text.Append(Csv.Escape(field));
            first = false;
        }

        text.Append("\r\n");
        return this;
    }

    public override string ToString() => text.ToString();
}
