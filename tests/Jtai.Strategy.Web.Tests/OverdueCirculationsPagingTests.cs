using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The dashboard's open overdue circulations, paged through the metrics API, in Debian's Chromium. The overdue
/// circulations are made the real way: meetings decided days ago (convened late, with the delay's reason), recorded as
/// held then and never circulated, so the meetings service's circulation deadline has passed when it is stored; its
/// deadline poller raises the overdue event and the metrics service lists the meeting.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class OverdueCirculationsPagingTests(WebSystem system) : BrowserTests
{
    private const int PageSize = 2;
    private static readonly TimeSpan ListedWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_masdg_pages_through_the_teams_overdue_circulations_forward_and_back()
    {
        using var manager = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var references = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // Decided 4 days ago plus i hours, held an hour after the decision: due 24 hours after it ended, days ago.
            var decidedAgo = TimeSpan.FromDays(4) + TimeSpan.FromHours(i);
            var meeting = await system.ConveneDecidedAsync(decidedAgo, TimeSpan.FromHours(70 + (2 * i)), $"OC-2026-{i}{system.Run}");
            await CirculationCountdownTests.RecordAsync(manager, meeting, DateTimeOffset.UtcNow - decidedAgo + TimeSpan.FromHours(1));
            references.Add((string)meeting["reference"]!);
        }

        // Listed by the metrics service once the meetings service's deadlines fired and the events were projected.
        using var metrics = await system.ApiAsAsync("masdg", system.MetricsAddress);
        var listed = await Eventually.GetAsync(
            async () => JsonNode.Parse(await metrics.GetStringAsync($"api/metrics/overdue-circulations?team={WebSystem.ManagerTeam}&pageSize=200"))!,
            list => references.All(r => list["items"]!.AsArray().Any(item => (string)item!["meetingReference"]! == r)),
            ListedWithin, "the three meetings are listed as overdue");
        var expected = listed["items"]!.AsArray().Select(item => (string)item!["meetingReference"]!).ToList();
        var pages = (expected.Count + PageSize - 1) / PageSize;

        var masdg = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(masdg, system, "masdg");
        await masdg.GotoAsync(new Uri(system.WebAddress, $"masdg?team={WebSystem.ManagerTeam}&pageSize={PageSize}").ToString());
        await Assertions.Expect(masdg.Locator("#overdue-heading")).ToContainTextAsync(WebSystem.ManagerTeam);

        // Forward with "Next" to the last page: every overdue meeting once, most overdue first, the API's order.
        var seen = new List<string>();
        for (var page = 1; page <= pages; page++)
        {
            var rows = await masdg.Locator("#overdue tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.overdue)");
            Assert.InRange(rows.Length, 1, PageSize);
            seen.AddRange(rows);
            if (page > 1)
            {
                await Assertions.Expect(masdg.Locator("#overdue caption")).ToContainTextAsync($"(page {page})");
            }

            var next = masdg.Locator("nav.govuk-pagination a[rel='next']");
            if (page < pages)
            {
                await Assertions.Expect(next).ToContainTextAsync($"Page {page + 1}");
                await next.ClickAsync();
                await masdg.WaitForURLAsync(url => url.Contains("cursor=", StringComparison.Ordinal) && url.Contains($"team={WebSystem.ManagerTeam}", StringComparison.Ordinal));
            }
            else
            {
                await Assertions.Expect(next).ToHaveCountAsync(0);
            }
        }

        Assert.Equal(expected, seen);
        var hoursOverdue = await masdg.Locator("#overdue tbody tr td:nth-child(4)").AllInnerTextsAsync();
        Assert.All(hoursOverdue, h => Assert.True(double.Parse(h, CultureInfo.InvariantCulture) >= 1, h));
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-overdue-last-page");

        // Back with "Previous" to the first page: the same rows as before, and no "Previous" there.
        for (var page = pages; page > 1; page--)
        {
            await masdg.Locator("nav.govuk-pagination a[rel='prev']").ClickAsync();
            await Assertions.Expect(masdg.Locator("#overdue tbody tr").First).ToBeVisibleAsync();
        }

        Assert.Equal(expected.Take(PageSize), await masdg.Locator("#overdue tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.overdue)"));
        await Assertions.Expect(masdg.Locator("nav.govuk-pagination a[rel='prev']")).ToHaveCountAsync(0);
        await Assertions.Expect(masdg.Locator("#overdue caption")).Not.ToContainTextAsync("(page");
    }
}
