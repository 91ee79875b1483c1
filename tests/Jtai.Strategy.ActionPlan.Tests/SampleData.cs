using Jtai.Strategy.BuildingBlocks.Text;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>The shipped sample files, read as a spreadsheet would (header → value per row).</summary>
public static class SampleData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "SampleData", file);

    public static string Text(string file) => File.ReadAllText(PathOf(file));

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Rows(string file)
    {
        using var reader = new StreamReader(PathOf(file));
        var records = Csv.Parse(reader);
        return records.Skip(1).Select(r => (IReadOnlyDictionary<string, string>)records[0].Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    /// <summary>Table 1 of seed 002 (as converted): theme number → (green, amber, yellow, total); the TOTALS row under 0.</summary>
    public static IReadOnlyDictionary<int, (int Green, int Amber, int Yellow, int Total)> Table1() =>
        Rows("table1-december-2018.csv").ToDictionary(
            r => r["theme_number"].Length == 0 ? 0 : int.Parse(r["theme_number"]),
            r => (int.Parse(r["green"]), int.Parse(r["amber"]), int.Parse(r["yellow"]), int.Parse(r["total"])));
}
