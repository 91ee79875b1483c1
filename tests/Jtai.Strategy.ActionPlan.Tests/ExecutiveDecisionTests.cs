using System.Net;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Reports;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>An executive approval as a record (who, role or meeting, when, document reference), kept as recorded and shown on the report.</summary>
public sealed class ExecutiveDecisionTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    [Fact]
    public async Task A_revision_cites_a_recorded_decision_which_the_exception_report_shows_and_free_text_is_labelled_as_such()
    {
        var masdg = host.Masdg("masdg-secretary", "Pat Example");

        // Incomplete or future decisions are refused; administrators do not record them.
        var incomplete = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/executive-decisions", new ExecutiveDecisionRequest("Jane Chair", "", new DateOnly(2030, 1, 1), null));
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        var problem = await incomplete.Content.ReadAsStringAsync();
        Assert.Contains("roleOrMeeting", problem);
        Assert.Contains("documentReference", problem);
        Assert.Contains("future", problem);
        var request = new ExecutiveDecisionRequest("Jane Chair", "Independent Chair, LSCB Executive Group meeting of 20 March 2019", new DateOnly(2019, 3, 20),
            "LSCB EG minutes 2019-03-20, item 6");
        Assert.Equal(HttpStatusCode.Forbidden, (await ActionPlanHost.PostJsonAsync(host.Administrator(), $"{Plan}/executive-decisions", request)).StatusCode);

        var decision = await ActionPlanHost.ReadAsync<ExecutiveDecisionView>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/executive-decisions", request));
        Assert.Equal(("masdg-secretary", "Pat Example", host.Clock.GetUtcNow()), (decision.RecordedBy, decision.RecordedByName, decision.RecordedAt));
        Assert.Equal(decision, Assert.Single(await ActionPlanHost.ReadAsync<List<ExecutiveDecisionView>>(await host.Administrator().GetAsync($"{Plan}/executive-decisions"))));

        // Yellow citing the decision: who and when come from it.
        var action = await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/4.3a/status",
            new ChangeStatusRequest(ActionStatus.Yellow, "Audit moved after the restructure", new TimescaleRevisionRequest(new DateOnly(2019, 9, 30), null, null, decision.Id))));
        var revision = Assert.Single(action.TimescaleRevisions);
        Assert.Equal(("ExecutiveDecision", decision, new DateOnly(2019, 3, 20)), (revision.ApprovalRecord, revision.ExecutiveDecision, revision.ApprovedOn));
        Assert.Contains("Jane Chair", revision.ApprovedBy);

        // Both the decision and free text, or an unknown decision, are refused.
        var both = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/4.3b/status", new ChangeStatusRequest(ActionStatus.Yellow, "Moved",
            new TimescaleRevisionRequest(new DateOnly(2019, 9, 30), "Someone", new DateOnly(2019, 3, 1), decision.Id)));
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        var unknown = await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/4.3b/status", new ChangeStatusRequest(ActionStatus.Yellow, "Moved",
            new TimescaleRevisionRequest(new DateOnly(2019, 9, 30), null, null, Guid.NewGuid())));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("executive-decisions", await unknown.Content.ReadAsStringAsync());

        // The old free-text way still works, labelled as free text.
        var typed = await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/4.3b/status", new ChangeStatusRequest(ActionStatus.Yellow, "Moved",
            new TimescaleRevisionRequest(new DateOnly(2019, 9, 30), "LSCB Executive Group", new DateOnly(2019, 3, 21)))));
        Assert.Equal(("FreeText", (ExecutiveDecisionView?)null), (typed.TimescaleRevisions[0].ApprovalRecord, typed.TimescaleRevisions[0].ExecutiveDecision));

        // The exception report shows the decision, in JSON and on the printable page.
        var report = await ActionPlanHost.ReadAsync<ExceptionReport>(await masdg.GetAsync($"{Plan}/reports/exceptions?quarter=2019-Q1"));
        var cited = Assert.Single(report.RevisedTimescales, r => r.Key == "4.3a");
        Assert.Equal(new ApprovalOnRecord("Jane Chair", request.RoleOrMeeting!, new DateOnly(2019, 3, 20), "LSCB EG minutes 2019-03-20, item 6", "Pat Example", decision.RecordedAt),
            cited.Approval);
        Assert.Null(Assert.Single(report.RevisedTimescales, r => r.Key == "4.3b").Approval);
        var html = await masdg.GetStringAsync($"{Plan}/reports/exceptions?quarter=2019-Q1&format=html");
        Assert.Contains("ref. LSCB EG minutes 2019-03-20, item 6; recorded by Pat Example", html);
        Assert.Contains("LSCB Executive Group (as typed; no decision record)", html);

        // Kept as recorded.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => host.Database.ExecuteAsync(
            $"UPDATE action_plan.executive_decision SET approver = 'Someone else' WHERE id = '{decision.Id}'"));
    }
}
