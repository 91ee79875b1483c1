using System.Net;
using System.Text.Json;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Reports;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>Reports read the history as it stood on their as-at day; an issued report is kept as issued, re-issued only as a new version with a reason.</summary>
public sealed class AsAtReportTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    [Fact]
    public async Task A_report_as_at_a_past_day_is_unchanged_by_later_changes_and_an_issued_report_is_kept_as_issued()
    {
        var masdg = host.Masdg();
        var firstDay = host.Clock.GetUtcNow();
        var asAt = DateOnly.FromDateTime(firstDay.UtcDateTime);
        const string Progress = $"{Plan}/reports/progress?dueBy=2019-03-31";

        // On the first day: 1.1a Green (1.1f is Yellow from the sample).
        await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1a/status",
            new ChangeStatusRequest(ActionStatus.Green, "SPOC process live", null)));
        var before = await masdg.GetStringAsync($"{Progress}&asAt={asAt:yyyy-MM-dd}");
        var firstIssue = await ActionPlanHost.ReadAsync<IssuedReportView>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/reports/issued",
            new IssueReportRequest(IssuedReportKind.Exceptions, null, "2019-Q1", null, null)));

        // Ten days later: 1.1a back to Amber, and 1.1b's timescale revised with an approval dated in Q1.
        host.Clock.Advance(TimeSpan.FromDays(10));
        await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1a/status",
            new ChangeStatusRequest(ActionStatus.Amber, "SPOC cover gaps found in audit", null)));
        await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1b/status",
            new ChangeStatusRequest(ActionStatus.Yellow, "Workshops moved", new TimescaleRevisionRequest(new DateOnly(2019, 9, 30), "LSCB Executive Group", new DateOnly(2019, 3, 20)))));

        // As at the first day the progress table is byte for byte what it was; today's is not.
        Assert.Equal(before, await masdg.GetStringAsync($"{Progress}&asAt={asAt:yyyy-MM-dd}"));
        var then = JsonSerializer.Deserialize<ProgressReport>(before, ActionPlanHost.Json)!;
        var now = await ActionPlanHost.ReadAsync<ProgressReport>(await masdg.GetAsync(Progress));
        Assert.Equal((1, 0, 1), (then.Themes[0].Green, then.Themes[0].Amber, then.Themes[0].Yellow));
        Assert.Equal((0, 1, 2), (now.Themes[0].Green, now.Themes[0].Amber, now.Themes[0].Yellow));
        Assert.Equal(asAt, then.AsAt);

        // The exception report as at the first day does not know the revision recorded later; today's does.
        var q1Then = await ActionPlanHost.ReadAsync<ExceptionReport>(await masdg.GetAsync($"{Plan}/reports/exceptions?quarter=2019-Q1&asAt={asAt:yyyy-MM-dd}"));
        var q1Now = await ActionPlanHost.ReadAsync<ExceptionReport>(await masdg.GetAsync($"{Plan}/reports/exceptions?quarter=2019-Q1"));
        Assert.DoesNotContain(q1Then.RevisedTimescales, r => r.Key == "1.1b");
        Assert.Contains(q1Now.RevisedTimescales, r => r.Key == "1.1b" && r.Source == Provenance.RecordedByUser);
        Assert.Equal(HttpStatusCode.BadRequest, (await masdg.GetAsync($"{Progress}&asAt=2030-01-01")).StatusCode);

        // The issued report is stored as issued: same content, same hash, after the changes.
        Assert.Equal((1, true, asAt), (firstIssue.Version, firstIssue.Intact, firstIssue.AsAt));
        var stored = await ActionPlanHost.ReadAsync<IssuedReportView>(await masdg.GetAsync($"{Plan}/reports/issued/{firstIssue.Id}"));
        Assert.Equal((firstIssue.ContentSha256, true), (stored.ContentSha256, stored.Intact));
        var bytes = await masdg.GetByteArrayAsync($"{Plan}/reports/issued/{firstIssue.Id}/content");
        Assert.Equal(stored.ContentSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        Assert.DoesNotContain(stored.Report!.Value.Deserialize<ExceptionReport>(ActionPlanHost.Json)!.RevisedTimescales, r => r.Key == "1.1b");

        // Issuing it again needs a reason and makes version 2; version 1 stays.
        var again = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/reports/issued", new IssueReportRequest(IssuedReportKind.Exceptions, null, "2019-Q1", null, null));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("reason", await again.Content.ReadAsStringAsync());
        var second = await ActionPlanHost.ReadAsync<IssuedReportView>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/reports/issued",
            new IssueReportRequest(IssuedReportKind.Exceptions, null, "2019-Q1", null, "1.1b's revision approved on 20 March was recorded late")));
        Assert.Equal((2, "1.1b's revision approved on 20 March was recorded late"), (second.Version, second.Reason));
        Assert.NotEqual(firstIssue.ContentSha256, second.ContentSha256);
        Assert.Contains(second.Report!.Value.Deserialize<ExceptionReport>(ActionPlanHost.Json)!.RevisedTimescales, r => r.Key == "1.1b");

        var versions = await ActionPlanHost.ReadAsync<List<IssuedReportView>>(await masdg.GetAsync($"{Plan}/reports/issued?kind=Exceptions&period=2019-Q1"));
        Assert.Equal([(2, second.ContentSha256), (1, firstIssue.ContentSha256)], versions.Select(v => (v.Version, v.ContentSha256)));
        Assert.All(versions, v => Assert.Null(v.Report));

        // The database refuses to change what was issued.
        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => host.Database.ExecuteAsync(
            $"UPDATE action_plan.issued_report SET content = replace(content, 'LSCB', 'XXXX') WHERE id = '{firstIssue.Id}'"));
        Assert.Contains("kept as issued", update.MessageText);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Administrator().GetAsync($"{Plan}/reports/issued")).StatusCode);
    }
}
