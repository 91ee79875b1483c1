using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The team's meetings in two views, each paged by cursor: "Upcoming" (from yesterday on) and "Past" (latest first),
/// so a meeting held days ago and still not circulated shows in the list with its overdue countdown in red; in Debian's
/// Chromium against the running services. A meeting cannot be convened in the past, so the held one is convened with
/// a decision six days ago, recorded as held then through the meetings API, and its scheduled time moved to when it
/// was held in the meetings database (as if it had been convened for then).
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class TeamMeetingsViewsTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task A_meeting_held_days_ago_and_not_circulated_shows_under_past_overdue_in_red()
    {
        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var now = DateTimeOffset.UtcNow;
        var held = await CirculationCountdownTests.ConveneDecidedDaysAgoAsync(api, "TV-2026-P" + system.Run, now, TimeSpan.FromHours(58));
        var heldFrom = now.AddDays(-6).AddHours(1);
        await CirculationCountdownTests.RecordAsync(api, held, heldFrom);
        await system.MeetingsDatabase.ExecuteAsync(
            $"UPDATE meetings.strategy_meeting SET scheduled_start = '{heldFrom.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}', scheduled_end = '{heldFrom.AddMinutes(60).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}' WHERE id = '{(string)held["id"]!}'");
        var upcoming = await system.ConveneAsync(TimeSpan.FromHours(57), "TV-2026-U" + system.Run);
        var heldReference = (string)held["reference"]!;
        var upcomingReference = (string)upcoming["reference"]!;

        // Upcoming (the default): the meeting to come, not the one held six days ago.
        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, "team/meetings?pageSize=200").ToString());
        await Assertions.Expect(manager.Locator("#upcoming-link")).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(manager.Locator($"tr[data-meeting='{upcomingReference}']")).ToHaveCountAsync(1);
        await Assertions.Expect(manager.Locator($"tr[data-meeting='{heldReference}']")).ToHaveCountAsync(0);

        // Past, by keyboard: the held meeting with "Overdue: …" in red; the one to come is not there.
        await KeyboardSteps.KeyboardToAsync(manager, "#past-link");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.Locator("#past-link")).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(manager.Locator("caption")).ToContainTextAsync("Past meetings, latest first");
        var countdown = manager.Locator($"tr[data-meeting='{heldReference}'] [data-countdown]");
        await Assertions.Expect(countdown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Overdue: circulate by .+ \(\d+ (days|hours) ago\)$"));
        Assert.Equal("rgb(212, 53, 28)", await countdown.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await Assertions.Expect(manager.Locator($"tr[data-meeting='{upcomingReference}']")).ToHaveCountAsync(0);
        await PageChecks.AssertAccessibleAsync(manager, "team-meetings-past");

        // The API's past view: latest first, stated; the page's rows in the API's order, paged one at a time.
        using var pastPage = await api.GetAsync("api/meetings?when=past&pageSize=200");
        Assert.Equal("scheduledStart desc,id desc", pastPage.Headers.GetValues("X-Sort-Order").Single());
        var past = JsonNode.Parse(await pastPage.Content.ReadAsStringAsync())!.AsArray().Select(m => (string)m!["reference"]!).ToList();
        Assert.Contains(heldReference, past);
        Assert.DoesNotContain(upcomingReference, past);
        Assert.Equal(past, await manager.Locator("#meetings tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.meeting)"));

        // Paged one at a time, the view is kept: each page's Next stays in "Past".
        await manager.GotoAsync(new Uri(system.WebAddress, "team/meetings?show=past&pageSize=1").ToString());
        var shown = new List<string>();
        for (var page = 1; page <= past.Count; page++)
        {
            shown.Add((await manager.Locator("#meetings tbody tr").GetAttributeAsync("data-meeting"))!);
            var next = manager.Locator(".govuk-pagination__next a");
            if (await next.CountAsync() == 0)
            {
                break;
            }

            Assert.Contains("show=past", await next.GetAttributeAsync("href"), StringComparison.Ordinal);
            await next.ClickAsync();
            await Assertions.Expect(manager.Locator("caption")).ToContainTextAsync($"(page {page + 1})");
        }

        Assert.Equal(past, shown);

        // A view the API does not have: a validation problem naming it.
        using var refused = await api.GetAsync("api/meetings?when=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!["when"]);
    }
}
