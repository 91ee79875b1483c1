using System.Net;
using System.Text.Json;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.BuildingBlocks.Text;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>Setting statuses: who, when and why; Yellow only with the executive's approval; overdue derived.</summary>
public sealed class StatusTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    [Fact]
    public async Task Yellow_without_an_executive_approval_is_refused_with_a_clear_error()
    {
        var masdg = host.Masdg();

        var response = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1a/status", new ChangeStatusRequest(ActionStatus.Yellow, "Needs longer", null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty("timescaleRevision")[0].GetString();
        Assert.Contains("executive's approval", message);
        Assert.Contains("approvedBy", message);

        var action = await ActionPlanHost.ReadAsync<ActionDetail>(await masdg.GetAsync($"{Plan}/actions/1.1a"));
        Assert.Equal(ActionStatus.NotStarted, action.Action.Status);
        Assert.Empty(action.StatusHistory);
    }

    [Fact]
    public async Task Yellow_with_the_executives_approval_revises_the_timescale_and_records_who_when_and_why()
    {
        var masdg = host.Masdg("masdg-secretary", "Pat Example");
        var request = new ChangeStatusRequest(ActionStatus.Yellow, "Workshops rescheduled after the Ofsted focused visit",
            new TimescaleRevisionRequest(new DateOnly(2019, 6, 30), "LSCB Executive Group", new DateOnly(2019, 3, 20)));

        var action = await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1b/status", request));

        Assert.Equal(ActionStatus.Yellow, action.Action.Status);
        Assert.Equal(new DateOnly(2019, 3, 31), action.Action.OriginalDueDate);
        Assert.Equal(new DateOnly(2019, 6, 30), action.Action.DueDate);
        Assert.False(action.Action.Overdue);
        var change = Assert.Single(action.StatusHistory);
        Assert.Equal((ActionStatus.NotStarted, ActionStatus.Yellow, "masdg-secretary", "Pat Example", host.Clock.GetUtcNow()),
            (change.From, change.To, change.ChangedBy, change.ChangedByName, change.ChangedAt));
        Assert.Equal("Workshops rescheduled after the Ofsted focused visit", change.Reason);
        var revision = Assert.Single(action.TimescaleRevisions);
        Assert.Equal((new DateOnly(2019, 3, 31), new DateOnly(2019, 6, 30), "LSCB Executive Group", new DateOnly(2019, 3, 20), change.TimescaleRevisionId),
            (revision.PreviousDueDate, revision.RevisedDueDate, revision.ApprovedBy, revision.ApprovedOn, (Guid?)revision.Id));

        // The quarterly exception report carries the revision.
        var report = await ActionPlanHost.ReadAsync<Reports.ExceptionReport>(await masdg.GetAsync($"{Plan}/reports/exceptions?quarter=2019-Q1"));
        Assert.Contains(report.RevisedTimescales, r => r.Key == "1.1b" && r.ApprovedBy == "LSCB Executive Group" && r.RevisedDueDate == new DateOnly(2019, 6, 30));
    }

    [Fact]
    public async Task A_reason_typed_as_a_formula_reaches_the_exported_csv_as_text_not_as_a_formula()
    {
        var masdg = host.Masdg();
        var request = new ChangeStatusRequest(ActionStatus.Yellow, "=HYPERLINK(\"http://evil.example\",\"click\")",
            new TimescaleRevisionRequest(new DateOnly(2019, 6, 30), "@LSCB Executive Group", new DateOnly(2019, 3, 20)));
        var changed = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/2.5b/status", request);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var csv = Csv.Parse(new StringReader(await masdg.GetStringAsync($"{Plan}/reports/exceptions?quarter=2019-Q1&format=csv")));

        var header = csv[0].ToList();
        var row = Assert.Single(csv, r => r[header.IndexOf("action_key")] == "2.5b" && r[header.IndexOf("section")] == "revised-timescale");
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", row[header.IndexOf("detail")]);
        Assert.Equal("'@LSCB Executive Group", row[header.IndexOf("approved_by")]);
    }

    [Fact]
    public async Task A_revised_timescale_must_be_later_and_its_approval_not_in_the_future()
    {
        var masdg = host.Masdg();
        var request = new ChangeStatusRequest(ActionStatus.Yellow, "Revised",
            new TimescaleRevisionRequest(new DateOnly(2019, 1, 31), "LSCB Executive Group", new DateOnly(2019, 5, 1)));

        var response = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1c/status", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Contains("later than the current timescale (2019-03-31)", errors.GetProperty("timescaleRevision.revisedDueDate")[0].GetString());
        Assert.Contains("future", errors.GetProperty("timescaleRevision.approvedOn")[0].GetString());
    }

    [Fact]
    public async Task An_action_past_its_timescale_and_not_green_is_overdue_until_it_is_green()
    {
        var masdg = host.Masdg();

        // 1.1d was due 31 December 2018; the clock says 10 April 2019.
        var before = await ActionPlanHost.ReadAsync<ActionDetail>(await masdg.GetAsync($"{Plan}/actions/1.1d"));
        Assert.True(before.Action.Overdue);
        var amber = await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1d/status", new ChangeStatusRequest(ActionStatus.Amber, "Bridges in 5 of 8 teams", null)));
        Assert.True(amber.Action.Overdue);
        var overdueList = await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync($"{Plan}/actions?overdue=true&theme=1"));
        Assert.Contains(overdueList, a => a.Key == "1.1d");

        var green = await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1d/status", new ChangeStatusRequest(ActionStatus.Green, "All teams have dial-in bridges", null)));
        Assert.False(green.Action.Overdue);
        Assert.Equal([ActionStatus.Amber, ActionStatus.Green], green.StatusHistory.Select(c => c.To));

        var again = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1d/status", new ChangeStatusRequest(ActionStatus.Green, "Again", null));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Only_the_MASDG_sets_statuses_and_reads_reports()
    {
        var body = new ChangeStatusRequest(ActionStatus.Amber, "Started", null);

        Assert.Equal(HttpStatusCode.Forbidden, (await ActionPlanHost.PostJsonAsync(host.As(JtaiRoles.TeamManager), $"{Plan}/actions/2.1a/status", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActionPlanHost.PostJsonAsync(host.Administrator(), $"{Plan}/actions/2.1a/status", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(JtaiRoles.Spoc).GetAsync($"{Plan}/reports/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Administrator().GetAsync($"{Plan}/reports/exceptions")).StatusCode);
        using var anonymous = host.As(JtaiRoles.Masdg);
        anonymous.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Plan}/actions")).StatusCode);
        var unknown = await ActionPlanHost.PostJsonAsync(host.Masdg(), $"{Plan}/actions/9.9z/status", body);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
