using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Import;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Http;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>The Durham sample plan as the importer reads it, checked against the seeds' own counts (no database needed).</summary>
public sealed class SamplePlanTests
{
    private static readonly DateTimeOffset Now = new(2019, 4, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly December2018 = new(2018, 12, 31);

    [Fact]
    public void The_sample_plan_has_108_actions_in_five_themes_as_the_seed_sections_hold_them()
    {
        var plan = DurhamSamplePlanSeeder.Build(Now, DateOnly.FromDateTime(Now.Date), out _);

        Assert.Equal(108, plan.Actions.Count);
        Assert.Equal([1, 2, 3, 4, 5], plan.Themes.Select(t => t.Number));
        // Per section of seed 003 (NOTES.md §2): 7, 28, 42, 20 and 11 actions.
        Assert.Equal([7, 28, 42, 20, 11], plan.Themes.Select(t => plan.Actions.Count(a => a.ThemeNumber == t.Number)));
        Assert.Equal(46, plan.Areas.Count);
        Assert.Equal(108, plan.Actions.Select(a => a.Key).Distinct().Count());
        // The two 3.14 rows of the fused line carry no timescale.
        Assert.Equal(["3.14b", "3.14c"], plan.Actions.Where(a => a.OriginalDueDate is null).Select(a => a.Key));
    }

    [Fact]
    public void With_the_revisions_applied_62_actions_were_originally_due_by_December_2018_matching_Table_1_per_theme()
    {
        var table1 = SampleData.Table1();
        var plan = DurhamSamplePlanSeeder.Build(Now, DateOnly.FromDateTime(Now.Date), out _);

        foreach (var theme in plan.Themes)
        {
            var actions = plan.Actions.Where(a => a.ThemeNumber == theme.Number).ToList();
            Assert.Equal(table1[theme.Number].Total, actions.Count(a => a.OriginallyDueBy(December2018)));
            Assert.Equal(table1[theme.Number].Yellow, actions.Count(a => a.Status == ActionStatus.Yellow));
            Assert.All(actions.Where(a => a.Status == ActionStatus.Yellow), a => Assert.True(a.OriginallyDueBy(December2018) && a.RevisedDueDate > December2018));
        }

        Assert.Equal(table1[0].Total, plan.Actions.Count(a => a.OriginallyDueBy(December2018)));
        Assert.Equal(62, table1[0].Total);
    }

    [Fact]
    public void The_plan_csv_alone_has_51_actions_due_by_December_2018_the_other_11_being_Table_1s_yellow_ones()
    {
        var errors = new ValidationErrors();
        var rows = PlanCsv.Read(DurhamSamplePlanSeeder.Open("durham-jtai-2018.csv"), errors);
        var table1 = SampleData.Table1();

        Assert.False(errors.Any);
        Assert.Equal(51, rows.Count(r => r.DueDate <= December2018));
        foreach (var theme in rows.Select(r => r.ThemeNumber).Distinct())
        {
            Assert.Equal(table1[theme].Total - table1[theme].Yellow, rows.Count(r => r.ThemeNumber == theme && r.DueDate <= December2018));
        }
    }

    [Fact]
    public void Importing_the_sample_plan_is_deterministic()
    {
        static string Fingerprint(Plan plan) => string.Join('\n', plan.Actions.OrderBy(a => a.Ordinal).Select(a =>
            $"{a.Key}|{a.ThemeNumber}|{a.Lead}|{a.OriginalTimescaleText}|{a.OriginalDueDate}|{a.RevisedDueDate}|{a.Status}|{a.Intent}"));

        var first = DurhamSamplePlanSeeder.Build(Now, DateOnly.FromDateTime(Now.Date), out var firstLinks);
        var second = DurhamSamplePlanSeeder.Build(Now.AddDays(3), DateOnly.FromDateTime(Now.Date), out var secondLinks);

        Assert.Equal(Fingerprint(first), Fingerprint(second));
        Assert.Equal(firstLinks.Select(l => (l.MetricKey, l.Target, l.AgencyScope)), secondLinks.Select(l => (l.MetricKey, l.Target, l.AgencyScope)));
    }

    [Fact]
    public void Every_timescale_text_of_the_sample_reads_as_its_due_date()
    {
        foreach (var row in SampleData.Rows("durham-jtai-2018.csv"))
        {
            var (_, due) = Timescale.Read(row["timescale_text"]);
            Assert.Equal(row["due_date"], due?.ToString("yyyy-MM-dd") ?? string.Empty);
        }
    }

    [Theory]
    [InlineData("Mar.19", "2019-03-31")]
    [InlineData("Sept. 19", "2019-09-30")]
    [InlineData("Jun. 19", "2019-06-30")]
    [InlineData("Feb.20", "2020-02-29")]
    [InlineData("Dec.18 - Mar.19", "2019-03-31")]
    [InlineData("Jan-19", "2019-01-31")]
    [InlineData("Dec 2018", "2018-12-31")]
    [InlineData("Ongoing", "")]
    [InlineData("TBC", "")]
    public void A_timescale_reads_as_the_last_day_of_its_last_month(string text, string expected)
    {
        Assert.Equal(expected, Timescale.Read(text).DueDate?.ToString("yyyy-MM-dd") ?? string.Empty);
    }

    [Fact]
    public void An_unreadable_timescale_without_a_due_date_is_refused_with_its_row()
    {
        var errors = new ValidationErrors();
        var csv = "theme_number,theme_name,ref,action,lead,timescale_text\n1,Strategy Meetings,1.1,Do it,MASDG,Marhc 19\n1,Strategy Meetings,2.1,Other,MASDG,Mar.19\n";

        var rows = PlanCsv.Read(new StringReader(csv), errors);

        Assert.Empty(rows);
        var problems = errors.ToDictionary();
        Assert.Contains("row 2.timescale_text", problems.Keys);
        Assert.Contains("row 3.ref", problems.Keys);
    }

    [Fact]
    public void Revision_keys_name_the_actions_the_revisions_file_says_they_do()
    {
        var plan = DurhamSamplePlanSeeder.Build(Now, DateOnly.FromDateTime(Now.Date), out _);
        foreach (var row in SampleData.Rows("durham-revisions-2018.csv"))
        {
            var action = plan.Actions.Single(a => a.Key == row["action_key"]);
            Assert.StartsWith(row["action_starts_with"], action.Intent, StringComparison.Ordinal);
            Assert.Equal(DateOnly.Parse(row["original_due_date"]), action.OriginalDueDate);
        }
    }
}
