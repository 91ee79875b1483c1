using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.ActionPlan.Reports;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Testing;
using Npgsql;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>
/// Table 1 of the progress report kept as the published document it is, beside the tracker's own table for the same
/// date: read through the HTTP API of the service's own process, started as scripts/run.sh starts it.
/// </summary>
public sealed class PublishedTableTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    [Fact]
    public async Task The_running_sample_shows_Table_1_as_published_beside_the_trackers_own_table_and_why_they_differ()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        // What scripts/run.sh gives the service (with JTAI_DEV_TOKENS=1): Development, its servers, the sample opted in.
        var settings = new Dictionary<string, string?>(ActionPlanHost.SampleOptIn)
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
        };
        var (exitCode, output) = await ServiceProcess.MigrateAsync("ActionPlan", "Jtai.Strategy.ActionPlan", settings);
        Assert.True(exitCode == 0, output);
        await using var service = await ServiceProcess.StartAsync("ActionPlan", "Jtai.Strategy.ActionPlan", settings);
        using var masdg = Client(service, JtaiRoles.Masdg);
        var table1 = SampleData.Table1();

        // The imported document: its figures as published, where they came from, and the hash of the file.
        var published = Assert.Single(await ActionPlanHost.ReadAsync<List<PublishedTableView>>(await masdg.GetAsync($"{Plan}/published-progress-tables")));
        Assert.Equal((DurhamTable1Seeder.SourceDocument, new DateOnly(2019, 2, 11), new DateOnly(2018, 12, 31)), (published.SourceDocument, published.PublishedOn, published.DueBy));
        Assert.Contains("11 February 2019", published.SourceDocument);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SampleData.Text("table1-december-2018.csv")))), published.ContentSha256);
        Assert.Equal(table1.OrderBy(t => t.Key == 0 ? int.MaxValue : t.Key).Select(t => t.Value),
            published.Lines.Select(l => (l.Green, l.Amber, l.Yellow, l.Total)));
        Assert.Equal([1, 2, 3, 4, 5, null], published.Lines.Select(l => l.ThemeNumber));

        // The tracker's own table for the same date: only the 11 reconstructed revisions are recorded (Yellow), the rest not started.
        var own = await ActionPlanHost.ReadAsync<ProgressReport>(await masdg.GetAsync($"{Plan}/reports/progress?dueBy=2018-12-31"));
        foreach (var line in own.Themes)
        {
            var t = table1[line.ThemeNumber!.Value];
            Assert.Equal((0, 0, t.Yellow, t.Total - t.Yellow, t.Total, t.Yellow), (line.Green, line.Amber, line.Yellow, line.NotStarted, line.Total, line.Reconstructed));
        }

        Assert.Equal((0, 0, 11, 51, 62), (own.Totals.Green, own.Totals.Amber, own.Totals.Yellow, own.Totals.NotStarted, own.Totals.Total));

        // Side by side: every theme differs by exactly the actions whose status is not recorded in the tracker.
        var comparison = await ActionPlanHost.ReadAsync<ProgressComparison>(await masdg.GetAsync($"{Plan}/published-progress-tables/{published.Id}/comparison"));
        Assert.Equal((published.Id, published.ContentSha256, new DateOnly(2018, 12, 31)), (comparison.PublishedTableId, comparison.ContentSha256, comparison.DueBy));
        foreach (var line in comparison.Themes)
        {
            var t = table1[line.ThemeNumber!.Value];
            Assert.Equal(new StatusCounts(t.Green, t.Amber, t.Yellow, 0, t.Total), line.Published);
            Assert.Equal(new StatusCounts(0, 0, t.Yellow, t.Green + t.Amber, t.Total), line.Tracker);
            Assert.Equal(new StatusCounts(-t.Green, -t.Amber, 0, t.Green + t.Amber, 0), line.Difference);
            var notStarted = await ActionPlanHost.ReadAsync<List<ActionSummary>>(
                await masdg.GetAsync($"{Plan}/actions?dueBy=2018-12-31&status=NotStarted&theme={line.ThemeNumber}"));
            Assert.Equal(notStarted.Select(a => a.Key), line.NotRecordedActions);
            Assert.False(line.Agrees);
            Assert.Contains("not yet recorded in the tracker", line.Explanation);
        }

        Assert.Equal(new StatusCounts(-45, -6, 0, 51, 0), comparison.Totals.Difference);

        // Once the MASDG records theme 1's two statuses, theme 1 agrees and the others are unchanged.
        foreach (var (key, status) in comparison.Themes[0].NotRecordedActions.Zip([ActionStatus.Green, ActionStatus.Amber]))
        {
            await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/{key}/status",
                new ChangeStatusRequest(status, "As reported to O&S, February 2019", null)));
        }

        var after = await ActionPlanHost.ReadAsync<ProgressComparison>(await masdg.GetAsync($"{Plan}/published-progress-tables/{published.Id}/comparison"));
        Assert.True(after.Themes[0].Agrees, after.Themes[0].Explanation);
        Assert.Empty(after.Themes[0].NotRecordedActions);
        Assert.Equal(comparison.Themes.Skip(1).Select(l => l.Tracker), after.Themes.Skip(1).Select(l => l.Tracker));
        Assert.Equal(new StatusCounts(-44, -5, 0, 49, 0), after.Totals.Difference);

        // As at the report's own date the tracker had recorded nothing (the sample was loaded today): it says so.
        var then = await ActionPlanHost.ReadAsync<ProgressComparison>(await masdg.GetAsync($"{Plan}/published-progress-tables/{published.Id}/comparison?asAt=2019-02-11"));
        Assert.Equal(new StatusCounts(0, 0, 0, 62, 62), then.Totals.Tracker);
        Assert.Equal(62, then.Themes.Sum(l => l.NotRecordedActions.Count));
    }

    [Fact]
    public async Task A_published_table_is_imported_once_as_given_refused_if_its_totals_do_not_add_up_and_never_changed()
    {
        var admin = host.Administrator();
        const string Url = $"{Plan}/published-progress-tables?sourceDocument=MASDG%20minutes%2C%2020%20March%202019&publishedOn=2019-03-20&dueBy=2019-03-31";
        const string Csv = "theme_number,theme_name,green,amber,yellow,total\n1,Strategy Meetings,2,1,1,5\n5,Voice of the Child,3,0,8,11\n,Totals,5,1,9,16\n";

        var wrongTotals = await admin.PostAsync(Url, Body(Csv.Replace(",Totals,5,1,9,16", ",Totals,5,1,9,17", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, wrongTotals.StatusCode);
        Assert.Contains("row 4.total", await wrongTotals.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Masdg().PostAsync(Url, Body(Csv))).StatusCode);

        var created = await ActionPlanHost.ReadAsync<PublishedTableView>(await admin.PostAsync(Url, Body(Csv)));
        Assert.Equal(("MASDG minutes, 20 March 2019", "plan-admin", 1), (created.SourceDocument, created.ImportedBy, created.Lines[0].NotStarted));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync(Url, Body(Csv))).StatusCode);

        // The database keeps it as issued, whatever path a change takes.
        var update = await Assert.ThrowsAsync<PostgresException>(() => host.Database.ExecuteAsync(
            $"UPDATE action_plan.published_progress_line SET green = 3 WHERE table_id = '{created.Id}' AND theme_number = 1"));
        Assert.Contains("kept as issued", update.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => host.Database.ExecuteAsync($"DELETE FROM action_plan.published_progress_table WHERE id = '{created.Id}'"));

        var comparison = await ActionPlanHost.ReadAsync<ProgressComparison>(await host.Masdg().GetAsync($"{Plan}/published-progress-tables/{created.Id}/comparison"));
        Assert.Equal("MASDG minutes, 20 March 2019", comparison.SourceDocument);
        Assert.Equal([1, 2, 3, 4, 5], comparison.Themes.Select(l => l.ThemeNumber!.Value));
        Assert.Null(comparison.Themes[1].Published);
        Assert.Equal(new StatusCounts(2, 1, 1, 1, 5), comparison.Themes[0].Published);
    }

    private static StringContent Body(string csv) => new(csv, Encoding.UTF8, "text/csv");

    private static HttpClient Client(ServiceProcess service, string role)
    {
        var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Mint("masdg-chair", [role], name: "MASDG Chair", now: DateTimeOffset.UtcNow));
        return client;
    }
}
