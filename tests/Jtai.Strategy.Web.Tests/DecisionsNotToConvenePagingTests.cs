using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The team's decisions not to convene are paged: the meetings API takes a page size and a cursor, says whether more
/// exist and states its order (latest decision first, then the id), refuses a page size or cursor it did not give as a
/// validation problem; the page pages through them with Previous and Next, each decision once, in that order; in
/// Debian's Chromium against the running services.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class DecisionsNotToConvenePagingTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task The_decisions_not_to_convene_page_through_the_api_each_once_latest_first()
    {
        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        // Five decisions two days ago, an hour apart, and the last two at the same minute: the id breaks the tie.
        var at = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(-2).UtcDateTime.Date.AddHours(9), TimeSpan.Zero);
        var mine = new List<string>();
        foreach (var hour in new[] { 0, 1, 2, 3, 3 })
        {
            var caseReference = $"NP-{system.Run}-{mine.Count + 1}";
            var recorded = await api.PostAsJsonAsync("api/decisions-not-to-convene", new
            {
                caseReference,
                concernCategory = "Neglect",
                reason = "ThresholdNotMet",
                decidedAt = at.AddHours(hour),
            });
            Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
            mine.Add(caseReference);
        }

        // The API, two at a time: the stated order, "more exist" until the last page, each decision once.
        var seen = new List<(string Case, DateTimeOffset DecidedAt, Guid Id)>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await api.GetAsync("api/decisions-not-to-convene?pageSize=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            Assert.Equal("decidedAt desc,id desc", response.Headers.GetValues("X-Sort-Order").Single());
            var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items.Select(d => ((string)d!["caseReference"]!, DateTimeOffset.Parse((string)d!["decidedAt"]!, CultureInfo.InvariantCulture), Guid.Parse((string)d!["id"]!))));
            var hasMore = response.Headers.GetValues("X-Has-More").Single() == "true";
            cursor = hasMore ? response.Headers.GetValues("X-Next-Cursor").Single() : null;
            Assert.Equal(hasMore, response.Headers.Contains("Link"));
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Null(cursor);
        Assert.Equal(seen.Count, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(mine.Order(StringComparer.Ordinal), seen.Select(s => s.Case).Where(mine.Contains).Order(StringComparer.Ordinal));
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i - 1].DecidedAt >= seen[i].DecidedAt, $"{seen[i - 1].Case} before {seen[i].Case}: latest decision first");
        }

        // The two at the same minute come by id, descending, as the database orders uuids.
        var tied = seen.Where(s => s.Case == mine[3] || s.Case == mine[4]).Select(s => s.Case).ToList();
        var byId = await system.MeetingsDatabase.ScalarAsync<string>(
            "SELECT string_agg(case_reference, ',' ORDER BY id DESC) FROM meetings.decision_not_to_convene WHERE case_reference IN (@a, @b)", ("a", mine[3]), ("b", mine[4]));
        Assert.Equal(byId, string.Join(',', tied));

        // A page size out of range, or a cursor the API did not give: a validation problem naming the field.
        foreach (var (query, field) in new[] { ("pageSize=0", "pageSize"), ("pageSize=201", "pageSize"), ("cursor=not-a-cursor", "cursor") })
        {
            using var refused = await api.GetAsync("api/decisions-not-to-convene?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]![field]);
        }

        // The page, two at a time: Next until there is none, then Previous back to the first; the rows as the API gave them.
        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, "team/decisions-not-to-convene?pageSize=2").ToString());
        var shown = new List<string>();
        var number = 1;
        while (true)
        {
            shown.AddRange(await manager.Locator("#decisions tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.case)"));
            if (number == 2)
            {
                await PageChecks.AssertAccessibleAsync(manager, "decisions-not-to-convene-page-2");
            }

            var next = manager.Locator(".govuk-pagination__next a");
            if (await next.CountAsync() == 0)
            {
                break;
            }

            await next.ClickAsync();
            number++;
            await Assertions.Expect(manager.Locator(".govuk-pagination__prev a")).ToContainTextAsync($"Page {number - 1}");
        }

        Assert.Equal(seen.Select(s => s.Case), shown);
        for (; number > 1; number--)
        {
            await manager.Locator(".govuk-pagination__prev a").ClickAsync();
        }

        await Assertions.Expect(manager.Locator(".govuk-pagination__prev a")).ToHaveCountAsync(0);
        await Assertions.Expect(manager.Locator("#decisions tbody tr").First).ToHaveAttributeAsync("data-case", seen[0].Case);
    }
}
