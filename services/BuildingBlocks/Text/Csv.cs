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

    public static string Escape(string? value)
    {
        value ??= string.Empty;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
