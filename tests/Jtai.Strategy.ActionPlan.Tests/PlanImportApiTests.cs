using System.Net;
using System.Text;
using System.Text.Json;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Reports;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>Importing a plan and its earlier revisions through the API, on the real database.</summary>
public sealed class PlanImportApiTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private static StringContent CsvBody(string csv) => new(csv, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task Importing_the_sample_files_through_the_API_gives_the_same_plan_as_the_seeded_sample()
    {
        var admin = host.Administrator();

        var created = await admin.PutAsync("/api/plans/durham-copy?title=Durham%20copy", CsvBody(SampleData.Text("durham-jtai-2018.csv")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var summary = await ActionPlanHost.ReadAsync<PlanSummary>(created);
        Assert.Equal(108, summary.Actions);
        Assert.Equal([(1, 7, 0), (2, 28, 0), (3, 42, 2), (4, 20, 0), (5, 11, 0)], summary.Themes.Select(t => (t.Number, t.Actions, t.Undated)));

        var revised = await ActionPlanHost.ReadAsync<RevisionsImported>(await admin.PostAsync("/api/plans/durham-copy/timescale-revisions", CsvBody(SampleData.Text("durham-revisions-2018.csv"))));
        Assert.Equal(SampleData.Rows("durham-revisions-2018.csv").Select(r => r["action_key"]), revised.RevisedActions);

        var masdg = host.Masdg();
        var copy = await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync("/api/plans/durham-copy/actions"));
        var seeded = await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync("/api/plans/durham-jtai-2018/actions"));
        Assert.Equal(seeded.Select(Fingerprint), copy.Select(Fingerprint));

        var table1 = SampleData.Table1();
        var progress = await ActionPlanHost.ReadAsync<ProgressReport>(await masdg.GetAsync("/api/plans/durham-copy/reports/progress?dueBy=2018-12-31"));
        Assert.All(progress.Themes, line => Assert.Equal(
            (table1[line.ThemeNumber!.Value].Total, table1[line.ThemeNumber.Value].Yellow, table1[line.ThemeNumber.Value].Green + table1[line.ThemeNumber.Value].Amber),
            (line.Total, line.Yellow, line.NotStarted)));

        var yellow = await ActionPlanHost.ReadAsync<ActionDetail>(await masdg.GetAsync("/api/plans/durham-copy/actions/5.2a"));
        Assert.Equal(("Dec.18", new DateOnly(2018, 12, 31), new DateOnly(2019, 6, 30)), (yellow.Action.OriginalTimescaleText, yellow.Action.OriginalDueDate, yellow.Action.RevisedDueDate));
        Assert.Equal(("plan-admin", "Plan Administrator", ActionStatus.Yellow), (yellow.StatusHistory[0].ChangedBy, yellow.StatusHistory[0].ChangedByName, yellow.StatusHistory[0].To));
        Assert.Equal(new DateOnly(2019, 2, 11), Assert.Single(yellow.TimescaleRevisions).ApprovedOn);

        // Applying the same revisions twice is refused as a whole.
        var again = await admin.PostAsync("/api/plans/durham-copy/timescale-revisions", CsvBody(SampleData.Text("durham-revisions-2018.csv")));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already has a recorded timescale revision", await again.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsync("/api/plans/durham-copy?title=Again", CsvBody(SampleData.Text("durham-jtai-2018.csv")))).StatusCode);
    }

    [Fact]
    public async Task A_faulty_plan_file_is_refused_with_each_problem_by_row_and_column()
    {
        var csv = "theme_number,theme_name,ref,action,lead,timescale_text,due_date,owner\n" +
                  "1,Strategy Meetings,1.1,Hold briefings,MASDG,Mar.19,2019-03-30\n" +
                  "x,Strategy Meetings,1.2,,MASDG,Dec.18,\n";

        var response = await host.Administrator().PutAsync("/api/plans/faulty?title=Faulty", CsvBody(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Contains("Unknown column 'owner'", errors.GetProperty("header")[0].GetString());
        Assert.Contains("has 7 fields; the header has 8", errors.GetProperty("row 2.row")[0].GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Masdg().GetAsync("/api/plans/faulty")).StatusCode);

        var fixedHeader = csv.Replace(",owner", string.Empty, StringComparison.Ordinal);
        var second = await host.Administrator().PutAsync("/api/plans/faulty?title=Faulty", CsvBody(fixedHeader));
        using var rows = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        var rowErrors = rows.RootElement.GetProperty("errors");
        Assert.Contains("disagrees with timescale_text 'Mar.19'", rowErrors.GetProperty("row 2.due_date")[0].GetString());
        Assert.True(rowErrors.TryGetProperty("row 3.theme_number", out _));
        Assert.True(rowErrors.TryGetProperty("row 3.action", out _));
    }

    [Fact]
    public async Task Only_administrators_import_and_only_CSV()
    {
        var csv = SampleData.Text("durham-jtai-2018.csv");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Masdg().PutAsync("/api/plans/by-masdg?title=X", CsvBody(csv))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.Administrator().PutAsync("/api/plans/as-json?title=X", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        var badCode = await host.Administrator().PutAsync("/api/plans/Bad%20Code?title=X", CsvBody(csv));
        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        Assert.Contains("\"code\"", await badCode.Content.ReadAsStringAsync());
    }

    private static string Fingerprint(ActionSummary a) => $"{a.Key}|{a.ThemeNumber}|{a.Lead}|{a.OriginalTimescaleText}|{a.OriginalDueDate}|{a.RevisedDueDate}|{a.Status}|{a.Intent}";
}
