using System.Net;
using System.Text.Json;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>
/// <c>GET /api/plans/{code}/action-evidence</c>: the actions with their evidence of impact text and their latest
/// published figures, paged in plan order, the same as one call per action gives (metrics published on the real broker,
/// stored in the real database).
/// </summary>
public sealed class ActionEvidenceListTests(ActionPlanHost host) : IClassFixture<ActionPlanHost>
{
    private const string Plan = "/api/plans/durham-jtai-2018";

    [Fact]
    public async Task Paging_through_the_list_gives_every_action_once_in_plan_order_with_its_latest_figures_and_evidence_text()
    {
        // January then February for 1.1a's attendance: only February's figures are the latest; 1.1e gets February's alone.
        await PublishAsync(Month(new DateOnly(2019, 1, 1), new MetricFigure(MetricKeys.Attended, 18, 20), new MetricFigure(MetricKeys.Attended, 1, 6, AgencyCode: "DURHAM-POLICE")));
        await PublishAsync(Month(new DateOnly(2019, 2, 1), new MetricFigure(MetricKeys.Attended, 14, 20), new MetricFigure(MetricKeys.CirculatedOnTime, 9, 10)));
        var masdg = host.Masdg();
        await Eventually.GetAsync(
            async () => await ActionPlanHost.ReadAsync<ActionDetail>(await masdg.GetAsync($"{Plan}/actions/1.1e")),
            a => a.Action.EvidenceBelowTarget && a.LatestEvidencePeriodEnd == new DateOnly(2019, 3, 1),
            because: "February's circulation figure is stored against 1.1e");
        await Eventually.GetAsync(
            async () => await ActionPlanHost.ReadAsync<ActionDetail>(await masdg.GetAsync($"{Plan}/actions/1.1a")),
            a => a.LatestEvidencePeriodEnd == new DateOnly(2019, 3, 1),
            because: "February's attendance figure is stored against 1.1a");

        var all = await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync($"{Plan}/actions"));
        var (paged, pages) = await PageThroughAsync(masdg, $"{Plan}/action-evidence?pageSize=7");
        Assert.Equal(all.Select(a => a.Key), paged.Select(a => a.Action.Key));
        Assert.Equal((all.Count + 6) / 7, pages);
        Assert.Equal(all, paged.Select(a => a.Action));

        // Each item's texts are the action's own endpoint's, and its figures are among that action's evidence.
        foreach (var key in new[] { "1.1a", "1.1e", "2.1a" })
        {
            var detail = await ActionPlanHost.ReadAsync<ActionDetail>(await masdg.GetAsync($"{Plan}/actions/{key}"));
            var item = paged.Single(a => a.Action.Key == key);
            Assert.Equal((detail.ExpectedImpact, detail.EvidenceOfImpact, detail.LatestEvidencePeriodEnd), (item.ExpectedImpact, item.EvidenceOfImpact, item.LatestEvidencePeriodEnd));
            Assert.All(item.LatestEvidence, e => Assert.Contains(e, detail.Evidence));
        }

        // The figures are those the flag is judged on: below target exactly when one of them missed.
        Assert.All(paged, a => Assert.Equal(a.Action.EvidenceBelowTarget, a.LatestEvidence.Any(e => e.Met == false)));

        // 1.1a: per link, its latest period. The overall link's is February (January's overall figure is not shown);
        // the per-agency link had figures in January only, so January's police figure is still its latest.
        Assert.StartsWith("Quarterly exception reports to LSCB Executive", paged.Single(a => a.Action.Key == "1.1a").EvidenceOfImpact, StringComparison.Ordinal);
        Assert.Equal(
            [(MetricKeys.Attended, (string?)null, new DateOnly(2019, 2, 1), 14L, 20L, (bool?)false), (MetricKeys.Attended, "DURHAM-POLICE", new DateOnly(2019, 1, 1), 1L, 6L, false)],
            paged.Single(a => a.Action.Key == "1.1a").LatestEvidence.Select(e => (e.MetricKey, e.AgencyCode, e.PeriodStart, e.Numerator, e.Denominator, e.Met)).ToList());
        Assert.Equal((MetricKeys.CirculatedOnTime, 0.9m), paged.Single(a => a.Action.Key == "1.1e").LatestEvidence.Select(e => (e.MetricKey, e.Value!.Value)).Single());
        Assert.Empty(paged.Single(a => a.Action.Key == "2.1a").LatestEvidence);

        // Only the actions originally due by a date, as /actions?dueBy= (the progress table's).
        var dueBy = await ActionPlanHost.ReadAsync<List<ActionSummary>>(await masdg.GetAsync($"{Plan}/actions?dueBy=2018-12-31"));
        var (dueByPaged, _) = await PageThroughAsync(masdg, $"{Plan}/action-evidence?dueBy=2018-12-31&pageSize=200");
        Assert.Equal(dueBy.Select(a => a.Key), dueByPaged.Select(a => a.Action.Key));
        Assert.True(dueBy.Count < all.Count);
    }

    [Fact]
    public async Task Bad_paging_unknown_plans_and_other_roles_are_refused_with_problems()
    {
        var masdg = host.Masdg();
        foreach (var (query, field) in new[] { ("pageSize=0", "pageSize"), ("pageSize=201", "pageSize"), ("cursor=not-a-cursor", "cursor"), ($"cursor={KeysetPaging.Encode(["x", "1.1a"])}", "cursor"), ($"cursor={KeysetPaging.Encode(["1"])}", "cursor") })
        {
            var refused = await masdg.GetAsync($"{Plan}/action-evidence?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var errors = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{query}: {errors}");
        }

        var unknown = await masdg.GetAsync("/api/plans/no-such-plan/action-evidence");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.OK, (await host.Administrator().GetAsync($"{Plan}/action-evidence")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(JtaiRoles.TeamManager).GetAsync($"{Plan}/action-evidence")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(JtaiRoles.Spoc).GetAsync($"{Plan}/action-evidence")).StatusCode);
        using var anonymous = host.As(JtaiRoles.Masdg);
        anonymous.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{Plan}/action-evidence")).StatusCode);
    }

    /// <summary>Follows X-Next-Cursor to the end, checking the paging headers of each page.</summary>
    private static async Task<(List<ActionEvidence> Items, int Pages)> PageThroughAsync(HttpClient client, string first)
    {
        var items = new List<ActionEvidence>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var response = await client.GetAsync(cursor is null ? first : $"{first}&cursor={cursor}");
            items.AddRange(await ActionPlanHost.ReadAsync<List<ActionEvidence>>(response));
            pages++;
            Assert.Equal(ActionEvidenceApi.Order, response.Headers.GetValues(KeysetPaging.SortOrderHeader).Single());
            var hasMore = response.Headers.GetValues(KeysetPaging.HasMoreHeader).Single() == "true";
            cursor = hasMore ? response.Headers.GetValues(KeysetPaging.NextCursorHeader).Single() : null;
            Assert.Equal(hasMore, response.Headers.TryGetValues("Link", out var link) && link.Single().Contains("rel=\"next\"", StringComparison.Ordinal));
            Assert.True(pages < 100, "the cursor never ends");
        }
        while (cursor is not null);

        return (items, pages);
    }

    private Task PublishAsync(AttendanceMetricsPublished message) =>
        host.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = NewId.NextGuid());

    private static AttendanceMetricsPublished Month(DateOnly start, params MetricFigure[] figures) =>
        MetricsEvidenceTests.Month(start, new DateTimeOffset(start.AddMonths(1).AddDays(1), TimeOnly.MinValue, TimeSpan.Zero), figures);
}
