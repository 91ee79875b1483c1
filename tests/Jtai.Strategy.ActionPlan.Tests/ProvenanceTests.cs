using System.Net;
using System.Text;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>Sample data only when asked for, never in Production, and every status and revision labelled with where it came from.</summary>
public sealed class ProvenanceTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    [Fact]
    public async Task Without_the_opt_in_no_sample_plan_is_seeded()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var plain = new ServiceHost<ActionPlanService>(database, broker);

        var masdg = plain.ClientAs(JtaiRoles.Masdg);
        Assert.Empty(await ActionPlanHost.ReadAsync<List<PlanSummary>>(await masdg.GetAsync("/api/plans")));
        Assert.Equal(HttpStatusCode.NotFound, (await masdg.GetAsync(Plan)).StatusCode);
    }

    [Fact]
    public async Task The_service_refuses_to_start_in_Production_with_the_sample_opted_in()
    {
        var (exitCode, output) = await ServiceProcess.MigrateAsync("ActionPlan", "Jtai.Strategy.ActionPlan", new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ActionPlan:SeedDurhamSamplePlan"] = "true",
            ["ConnectionStrings:Postgres"] = host.Database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = host.Broker.ConnectionString,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("never seeded in Production", output);
    }

    [Fact]
    public async Task The_samples_revisions_and_their_Yellow_statuses_are_labelled_reconstructed_and_a_users_change_recorded_by_user()
    {
        var masdg = host.Masdg();

        // Theme 1's revised action is a judgement from Table 1's counts: the data says so.
        var judged = await ActionPlanHost.ReadAsync<ActionDetail>(await masdg.GetAsync($"{Plan}/actions/1.1f"));
        Assert.Equal(Provenance.ReconstructedFromProgressReport, Assert.Single(judged.TimescaleRevisions).Source);
        Assert.Equal((ActionStatus.Yellow, Provenance.ReconstructedFromProgressReport), (Assert.Single(judged.StatusHistory).To, judged.StatusHistory[0].Source));

        // A status the MASDG sets is recorded by a user.
        var changed = await ActionPlanHost.ReadAsync<ActionDetail>(await ActionPlanHost.PostJsonAsync(masdg, $"{Plan}/actions/1.1f/status",
            new ChangeStatusRequest(ActionStatus.Amber, "GP pilot running in two localities", null)));
        Assert.Equal([Provenance.ReconstructedFromProgressReport, Provenance.RecordedByUser], changed.StatusHistory.Select(c => c.Source));
    }

    [Fact]
    public async Task A_revisions_file_without_a_source_is_imported_and_one_claiming_a_user_is_refused()
    {
        var admin = host.Administrator();
        var plan = "theme_number,theme_name,ref,action,timescale_text\n1,Strategy Meetings,1.1,Hold briefings,Jun.19\n1,Strategy Meetings,1.1,Pilot dial-in,Jun.19\n";
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/api/plans/provenance?title=Provenance", Csv(plan))).StatusCode);

        var claimsUser = "action_key,original_due_date,revised_due_date,approved_by,approved_on,reason,source\n1.1b,2019-03-31,2019-06-30,LSCB Executive Group,2019-03-01,Moved,recorded-by-user\n";
        var refused = await admin.PostAsync("/api/plans/provenance/timescale-revisions", Csv(claimsUser));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("row 2.source", await refused.Content.ReadAsStringAsync());

        var revisions = "action_key,original_due_date,revised_due_date,approved_by,approved_on,reason\n1.1a,2019-03-31,2019-06-30,LSCB Executive Group,2019-03-01,Moved after the focused visit\n";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/plans/provenance/timescale-revisions", Csv(revisions))).StatusCode);
        var action = await ActionPlanHost.ReadAsync<ActionDetail>(await host.Masdg().GetAsync("/api/plans/provenance/actions/1.1a"));
        Assert.Equal(Provenance.Imported, Assert.Single(action.TimescaleRevisions).Source);
        Assert.Equal(Provenance.Imported, Assert.Single(action.StatusHistory).Source);
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
}
