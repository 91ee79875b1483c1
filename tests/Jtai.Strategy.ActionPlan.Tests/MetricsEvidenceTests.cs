using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Reports;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>
/// Attendance metrics published on the real broker (the test plays the metrics service) become
/// evidence of impact against Durham's section-1 actions, in the real database.
/// </summary>
public sealed class MetricsEvidenceTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    private static readonly DateOnly February = new(2019, 2, 1);
    private static readonly DateOnly March = new(2019, 3, 1);

    [Fact]
    public async Task A_published_metrics_event_below_target_marks_the_linked_action_and_appears_in_the_quarterly_exception_report()
    {
        var masdg = host.Masdg();
        var publication = Month(February, new DateTimeOffset(2019, 3, 2, 6, 0, 0, TimeSpan.Zero),
            new MetricFigure(MetricKeys.Attended, 14, 20),                                  // 70% overall: below 80%
            new MetricFigure(MetricKeys.Attended, 2, 6, AgencyCode: "DURHAM-POLICE"),      // 33%: below, 6 ≥ minimum 5
            new MetricFigure(MetricKeys.Attended, 6, 6, AgencyCode: "CDDFT"),              // met
            new MetricFigure(MetricKeys.Attended, 1, 3, AgencyCode: "GP"),                 // 3 invitations: under the minimum, not judged
            new MetricFigure(MetricKeys.Attended, 1, 2, TeamCode: "FF-EASINGTON"),         // team figures are not the plan's
            new MetricFigure(MetricKeys.AnsweredWithinLimit, 19, 20),                      // 95%: met
            new MetricFigure(MetricKeys.CirculatedOnTime, 9, 10),                          // 90%: below 95%
            new MetricFigure(MetricKeys.GpContributions, 3, 4));                           // 75%: met

        await PublishAsync(publication);

        var spoc = await Eventually.GetAsync(() => GetAsync("1.1a"), a => a.Action.EvidenceBelowTarget, because: "1.1a's attendance is below 80%");
        Assert.Equal(March, spoc.LatestEvidencePeriodEnd);
        Assert.Equal(
            [("attendance.attended", null, false), ("attendance.attended", "CDDFT", true), ("attendance.attended", "DURHAM-POLICE", false), ("attendance.attended", "GP", null),
                ("invitations.answered-within-limit", null, true)],
            spoc.Evidence.OrderBy(e => e.MetricKey).ThenBy(e => e.AgencyCode).Select(e => (e.MetricKey, e.AgencyCode, e.Met)).ToList());
        Assert.Equal(0.7m, spoc.Evidence.Single(e => e.MetricKey == MetricKeys.Attended && e.AgencyCode is null).Value);
        Assert.True((await GetAsync("1.1e")).Action.EvidenceBelowTarget);
        var gpPilot = await GetAsync("1.1f");
        Assert.False(gpPilot.Action.EvidenceBelowTarget);
        Assert.Equal(0.75m, Assert.Single(gpPilot.Evidence).Value);
        var flagged = await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync($"{Plan}/actions?evidenceBelowTarget=true"));
        Assert.Equal(["1.1a", "1.1e"], flagged.Select(a => a.Key));

        var report = await ActionPlanHost.ReadAsync<ExceptionReport>(await masdg.GetAsync($"{Plan}/reports/exceptions?quarter=2019-Q1"));
        Assert.Equal(
            [("1.1a", MetricKeys.Attended, null), ("1.1a", MetricKeys.Attended, "DURHAM-POLICE"), ("1.1e", MetricKeys.CirculatedOnTime, null)],
            report.MissedTargets.Select(m => (m.Key, m.MetricKey, m.AgencyCode)).ToList());
        var police = Assert.Single(report.MissedTargets, m => m.AgencyCode == "DURHAM-POLICE");
        Assert.Equal((2L, 6L, 0.8m, new DateOnly(2019, 2, 28)), (police.Numerator, police.Denominator, police.Target, police.PeriodEnd));
        Assert.Contains(report.AgenciesConcerned, a => a.Agency == "DURHAM-POLICE" && a.MissedTargets == 1);
        Assert.Contains(report.AgenciesConcerned, a => a.Agency == "Children's Services" && a.MissedTargets == 1);

        var csv = await masdg.GetStringAsync($"{Plan}/reports/exceptions?quarter=2019-Q1&format=csv");
        Assert.Contains("metric-target-missed,1.1a,1,", csv);
        Assert.Contains(",DURHAM-POLICE,", csv);
        var html = await masdg.GetStringAsync($"{Plan}/reports/exceptions?quarter=2019-Q1&format=html");
        Assert.Contains("Evidence of impact below target (3)", html);
        Assert.Contains("33.3% (2 of 6)", html);

        // The next quarter's report does not carry February's misses.
        var next = await ActionPlanHost.ReadAsync<ExceptionReport>(await masdg.GetAsync($"{Plan}/reports/exceptions?quarter=2019-Q2"));
        Assert.Empty(next.MissedTargets);
    }

    [Fact]
    public async Task A_redelivered_publication_is_recorded_once_and_a_later_period_on_target_clears_the_flag()
    {
        var messageId = NewId.NextGuid();
        var january = Month(new DateOnly(2019, 1, 1), new DateTimeOffset(2019, 2, 2, 6, 0, 0, TimeSpan.Zero), new MetricFigure(MetricKeys.NoAnswer, 3, 10, AgencyCode: "NPS"));
        await PublishAsync(january, messageId);
        await PublishAsync(january, messageId);
        await Eventually.GetAsync(() => GetAsync("1.1g"), a => a.Action.EvidenceBelowTarget, because: "30% of NPS invitations unanswered is above 5%");

        // A correction of the same period (new publication, new message) replaces the figure instead of adding one.
        var corrected = january with { PublicationId = Guid.NewGuid(), PublishedAt = january.PublishedAt.AddDays(1), Figures = [new MetricFigure(MetricKeys.NoAnswer, 0, 10, AgencyCode: "NPS")] };
        await PublishAsync(corrected);
        var cleared = await Eventually.GetAsync(() => GetAsync("1.1g"), a => !a.Action.EvidenceBelowTarget, because: "the corrected January figure is on target");
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM action_plan.metric_evidence WHERE metric_key = 'invitations.no-answer'"));
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM action_plan.inbox_state WHERE message_id = @id", ("id", messageId)));
        Assert.Equal(corrected.PublicationId, Assert.Single(cleared.Evidence).PublicationId);

        // February misses again, March is back on target: the flag follows the latest period.
        await PublishAsync(Month(February, new DateTimeOffset(2019, 3, 2, 6, 0, 0, TimeSpan.Zero), new MetricFigure(MetricKeys.NoAnswer, 2, 8, AgencyCode: "NPS")));
        await Eventually.GetAsync(() => GetAsync("1.1g"), a => a.Action.EvidenceBelowTarget);
        await PublishAsync(Month(March, new DateTimeOffset(2019, 4, 2, 6, 0, 0, TimeSpan.Zero), new MetricFigure(MetricKeys.NoAnswer, 0, 9, AgencyCode: "NPS")));
        var latest = await Eventually.GetAsync(() => GetAsync("1.1g"), a => !a.Action.EvidenceBelowTarget);
        Assert.Equal(new DateOnly(2019, 4, 1), latest.LatestEvidencePeriodEnd);
        Assert.Equal(3, latest.Evidence.Count);
    }

    [Fact]
    public async Task Administrators_edit_the_links_and_a_deleted_link_no_longer_decides_the_flag()
    {
        var admin = host.Administrator();
        var invalid = await ActionPlanHost.PostJsonAsync(admin, $"{Plan}/metric-links",
            new MetricLinkRequest("1.1d", "attendance.dial-in-minutes", TargetComparison.AtLeast, 1.5m, AgencyScope.Agency, null, "fortnight", 0, ""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors");
        Assert.All(new[] { "metricKey", "target", "agencyCode", "periodKind", "minimumDenominator", "description" }, f => Assert.True(errors.TryGetProperty(f, out _), f));

        var request = new MetricLinkRequest("1.1d", MetricKeys.AttendedByDialIn, TargetComparison.AtLeast, 0.25m, AgencyScope.Agency, "durham-police", PeriodKinds.Month, 1,
            "Dial-in used by the police");
        Assert.Equal(HttpStatusCode.Forbidden, (await ActionPlanHost.PostJsonAsync(host.Masdg(), $"{Plan}/metric-links", request)).StatusCode);
        var created = await ActionPlanHost.ReadAsync<MetricLinkView>(await ActionPlanHost.PostJsonAsync(admin, $"{Plan}/metric-links", request));
        Assert.Equal(("1.1d", "DURHAM-POLICE", "Plan Administrator"), (created.ActionKey, created.AgencyCode, created.UpdatedBy));

        await PublishAsync(Month(new DateOnly(2018, 12, 1), new DateTimeOffset(2019, 1, 2, 6, 0, 0, TimeSpan.Zero),
            new MetricFigure(MetricKeys.AttendedByDialIn, 1, 10, AgencyCode: "DURHAM-POLICE"), new MetricFigure(MetricKeys.AttendedByDialIn, 1, 10, AgencyCode: "CDDFT")));
        var flagged = await Eventually.GetAsync(() => GetAsync("1.1d"), a => a.Action.EvidenceBelowTarget);
        Assert.Equal("DURHAM-POLICE", Assert.Single(flagged.Evidence).AgencyCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{Plan}/metric-links/{created.Id}")).StatusCode);
        var after = await GetAsync("1.1d");
        Assert.False(after.Action.EvidenceBelowTarget);
        Assert.Single(after.Evidence); // kept as history
        var links = await ActionPlanHost.ReadAsync<List<MetricLinkView>>(await host.Masdg().GetAsync($"{Plan}/metric-links"));
        Assert.DoesNotContain(links, l => l.Id == created.Id);
        Assert.Equal(7, links.Count); // the seeded Durham links
    }

    private Task<ActionDetail> GetAsync(string key) => host.Masdg().GetAsync($"{Plan}/actions/{key}").ContinueWith(t => ActionPlanHost.ReadAsync<ActionDetail>(t.Result)).Unwrap();

    private Task PublishAsync(AttendanceMetricsPublished message, Guid? messageId = null) =>
        host.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid());

    /// <summary>A month's publication as the metrics service sends it, with only these figures.</summary>
    internal static AttendanceMetricsPublished Month(DateOnly start, DateTimeOffset publishedAt, params MetricFigure[] figures) =>
        new(Guid.NewGuid(), PeriodKinds.Month, start, start.AddMonths(1), publishedAt, figures, [], [], []);
}
