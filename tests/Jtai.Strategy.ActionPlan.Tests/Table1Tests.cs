using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Reports;
using Jtai.Strategy.BuildingBlocks.Text;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>Table 1 of the Overview &amp; Scrutiny report of 11 February 2019 (seed 002), reproduced from recorded statuses.</summary>
public sealed class Table1Tests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    [Fact]
    public async Task With_Durhams_December_2018_statuses_the_progress_table_reproduces_Table_1()
    {
        var table1 = SampleData.Table1();
        var masdg = host.Masdg();
        var due = await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync($"{Plan}/actions?dueBy=2018-12-31"));
        Assert.Equal(table1[0].Total, due.Count);

        // Per theme, the first actions (in plan order) not already Yellow become Green, the rest Amber.
        foreach (var theme in due.GroupBy(a => a.ThemeNumber))
        {
            var open = theme.Where(a => a.Status != ActionStatus.Yellow).ToList();
            Assert.Equal(table1[theme.Key].Green + table1[theme.Key].Amber, open.Count);
            for (var i = 0; i < open.Count; i++)
            {
                var status = i < table1[theme.Key].Green ? ActionStatus.Green : ActionStatus.Amber;
                var response = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/{open[i].Key}/status", new ChangeStatusRequest(status, "Progress report to O&S, February 2019", null));
                await ActionPlanHost.ReadAsync<ActionDetail>(response);
            }
        }

        // An action first due after December 2018 is not in the table, whatever its status.
        var later = (await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync($"{Plan}/actions?theme=3"))).First(a => a.OriginalDueDate > new DateOnly(2018, 12, 31));
        await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/{later.Key}/status", new ChangeStatusRequest(ActionStatus.Green, "Done early", null)));

        var report = await ActionPlanHost.ReadAsync<ProgressReport>(await masdg.GetAsync($"{Plan}/reports/progress?dueBy=2018-12-31"));
        Assert.Equal([1, 2, 3, 4, 5], report.Themes.Select(t => t.ThemeNumber!.Value));
        foreach (var line in report.Themes)
        {
            Assert.Equal(table1[line.ThemeNumber!.Value], (line.Green, line.Amber, line.Yellow, line.Total));
            Assert.Equal(0, line.NotStarted);
        }

        Assert.Equal(table1[0], (report.Totals.Green, report.Totals.Amber, report.Totals.Yellow, report.Totals.Total));
        Assert.Equal((45, 6, 11, 62), (report.Totals.Green, report.Totals.Amber, report.Totals.Yellow, report.Totals.Total));

        // The CSV says the same.
        var csvResponse = await masdg.GetAsync($"{Plan}/reports/progress?dueBy=2018-12-31&format=csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = Csv.Parse(new StringReader(await csvResponse.Content.ReadAsStringAsync()));
        Assert.Equal(["theme_number", "theme", "green", "amber", "yellow", "not_started", "total", "overdue"], csv[0]);
        foreach (var row in csv.Skip(1))
        {
            var expected = table1[row[0].Length == 0 ? 0 : int.Parse(row[0])];
            Assert.Equal(expected, (int.Parse(row[2]), int.Parse(row[3]), int.Parse(row[4]), int.Parse(row[6])));
        }

        // And the printable page has the totals row.
        var html = await masdg.GetStringAsync($"{Plan}/reports/progress?dueBy=2018-12-31&format=html");
        Assert.Contains("<th scope=\"row\">Totals</th><td>45</td><td>6</td><td>11</td><td>0</td><td><strong>62</strong>", html);
    }
}
