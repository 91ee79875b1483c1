using System.Net.Http.Json;
using Jtai.Strategy.ActionPlan;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MetricsExceptionReport = Jtai.Strategy.Metrics.Apis.ExceptionReport;
using PlanExceptionReport = Jtai.Strategy.ActionPlan.Reports.ExceptionReport;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// Issue 13: the metrics service owns the thresholds. Its March publication reaches the action plan on one broker with
/// the rules it judged by; the action plan's quarterly exception report then names exactly the figures the metrics
/// service's own report breaches, with the metrics service's thresholds, even where a link's own target said otherwise.
/// </summary>
public sealed class OneThresholdSourceAcrossServicesTests : IAsyncLifetime
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    // Against the scripted March (ScriptedMonthTests): the rules differ from Durham's link targets on purpose.
    private static readonly List<ExceptionRule> Rules =
    [
        // 10/15 = 66.7% overall: no breach at 60%, where link 1.1a's own target (at least 80%) would have missed.
        Rule("attended-below-60", MetricKeys.Attended, ExceptionRule.Overall, "lt", 0.6),
        // By agency, from 2 invitations (the link asks 5, under which none of March's agencies would be judged):
        // CDDFT 2/4 and GP 0/2 breach; DCC-EDUCATION 1 invitation not judged.
        Rule("agency-attended-below-80", MetricKeys.Attended, ExceptionRule.PerAgency, "lt", 0.8, minimum: 2),
        Rule("answered-within-limit-below-90", MetricKeys.AnsweredWithinLimit, ExceptionRule.Overall, "lt", 0.9),   // 12/15: breach
        Rule("below-minimum-over-5", MetricKeys.BelowNationalMinimum, ExceptionRule.Overall, "gt", 0.05),          // 1/4: breach
        Rule("circulation-on-time-below-95", MetricKeys.CirculatedOnTime, ExceptionRule.Overall, "lt", 0.95),      // 2/4: breach
        Rule("gp-contributions-below-50", MetricKeys.GpContributions, ExceptionRule.Overall, "lt", 0.5),           // 1/2: no breach
        Rule("agency-no-answer-over-5", MetricKeys.NoAnswer, ExceptionRule.PerAgency, "gt", 0.05, minimum: 2),     // GP 1/2: breach
        new() { Key = "decision-to-meeting-median-over-24h", MetricKey = MetricKeys.DecisionToMeeting, Statistic = "median", Scope = ExceptionRule.Overall, Comparison = "gt", Threshold = 1440 },
    ];

    private PostgresDatabase metricsDatabase = null!;
    private PostgresDatabase planDatabase = null!;
    private RabbitMqVirtualHost broker = null!;

    public async Task InitializeAsync()
    {
        metricsDatabase = await PostgresDatabase.CreateAsync();
        planDatabase = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        await planDatabase.DisposeAsync();
        await metricsDatabase.DisposeAsync();
    }

    [Fact]
    public async Task Both_quarterly_exception_reports_give_the_metrics_services_verdict_for_each_linked_figure()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 4, 2, 9, 0, 0, TimeSpan.Zero));
        await using var metrics = await MetricsHost.StartAsync(metricsDatabase, broker, clock, o => o.ExceptionRules = Rules);
        await using var plan = new ServiceHost<ActionPlanService>(
            planDatabase, broker, new Dictionary<string, string?> { ["ActionPlan:SeedDurhamSamplePlan"] = "true" }, s => s.AddSingleton<TimeProvider>(clock));
        await plan.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        var planMasdg = plan.ClientAs(JtaiRoles.Masdg);
        await Eventually.TrueAsync(async () => (await planMasdg.GetAsync($"{Plan}/actions/1.1a")).IsSuccessStatusCode, because: "Durham's plan and links are seeded");

        await metrics.PublishAsync(ScriptedMonth.Events);
        await Eventually.TrueAsync(async () => await metricsDatabase.LoggedEventsAsync() == ScriptedMonth.Events.Count, TimeSpan.FromSeconds(60), "every event is projected");
        var published = await metrics.ClientAs(JtaiRoles.Masdg).PostAsJsonAsync("/api/metrics/publications", new { period = "2026-03" });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());

        // The action plan records March against every linked action (1.1a, c, e, f, g).
        await Eventually.TrueAsync(
            async () => await planDatabase.ScalarAsync<long>("SELECT count(DISTINCT action_id) FROM action_plan.metric_evidence WHERE period_start = '2026-03-01'") == 5,
            TimeSpan.FromSeconds(60), "the publication reaches the action plan");

        var metricsReport = await ReadAsync<MetricsExceptionReport>(await metrics.ClientAs(JtaiRoles.Masdg).GetAsync("/api/metrics/exception-report?quarter=2026-Q1"));
        var planReport = await ReadAsync<PlanExceptionReport>(await planMasdg.GetAsync($"{Plan}/reports/exceptions?quarter=2026-Q1"));

        // The same figures breached, with the same thresholds; the duration rule has no link and stays the metrics service's alone.
        var linked = new HashSet<string>(StringComparer.Ordinal)
        {
            MetricKeys.Attended, MetricKeys.AnsweredWithinLimit, MetricKeys.BelowNationalMinimum, MetricKeys.CirculatedOnTime, MetricKeys.GpContributions, MetricKeys.NoAnswer,
        };
        var breaches = Ordered(metricsReport.Breaches.Where(b => linked.Contains(b.MetricKey) && b.TeamCode is null)
            .Select(b => (b.MetricKey, b.AgencyCode, decimal.Round((decimal)b.Threshold, 4))));
        var misses = Ordered(planReport.MissedTargets.Select(m => (m.MetricKey, m.AgencyCode, m.Target)).Distinct());
        Assert.Equal(
            [
                (MetricKeys.Attended, "CDDFT", 0.8m), (MetricKeys.Attended, "GP", 0.8m), (MetricKeys.BelowNationalMinimum, null, 0.05m),
                (MetricKeys.CirculatedOnTime, null, 0.95m), (MetricKeys.AnsweredWithinLimit, null, 0.9m), (MetricKeys.NoAnswer, "GP", 0.05m),
            ],
            breaches);
        Assert.Equal(breaches, misses);
        Assert.Contains(metricsReport.Breaches, b => b.RuleKey == "decision-to-meeting-median-over-24h");

        // Where the metrics service found no breach, the action plan shows its threshold and a met figure: 1.1a overall at 60%,
        // not the link's 80%; DCC-EDUCATION's single invitation is not judged, as the metrics service did not judge it.
        var spoc = await ReadAsync<ActionDetail>(await planMasdg.GetAsync($"{Plan}/actions/1.1a"));
        var overall = Assert.Single(spoc.Evidence, e => e.MetricKey == MetricKeys.Attended && e.AgencyCode is null);
        Assert.Equal((10L, 15L, 0.6m, true), (overall.Numerator, overall.Denominator, overall.Target, overall.Met));
        Assert.Null(Assert.Single(spoc.Evidence, e => e.MetricKey == MetricKeys.Attended && e.AgencyCode == "DCC-EDUCATION").Met);
        Assert.True(Assert.Single(spoc.Evidence, e => e.MetricKey == MetricKeys.Attended && e.AgencyCode == "DURHAM-POLICE").Met);
        var gpPilot = await ReadAsync<ActionDetail>(await planMasdg.GetAsync($"{Plan}/actions/1.1f"));
        Assert.True(Assert.Single(gpPilot.Evidence).Met);
    }

    private static List<(string MetricKey, string? AgencyCode, decimal Threshold)> Ordered(IEnumerable<(string MetricKey, string? AgencyCode, decimal Threshold)> rows) =>
        [.. rows.OrderBy(r => r.MetricKey, StringComparer.Ordinal).ThenBy(r => r.AgencyCode, StringComparer.Ordinal)];

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, MetricsHost.Json)!;
    }

    private static ExceptionRule Rule(string key, string metric, string scope, string comparison, double threshold, long minimum = 1) =>
        new() { Key = key, MetricKey = metric, Scope = scope, Comparison = comparison, Threshold = threshold, MinimumDenominator = minimum };
}
