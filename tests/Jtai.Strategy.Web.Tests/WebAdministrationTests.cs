using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The administrator's pages and the paged lists, in Debian's Chromium against the running services: the administrator
/// adds a deputy to an agency and a bridge to a team through the pages (the APIs' errors first, as GOV.UK error
/// summaries), and the directory and meetings APIs hold them; other roles cannot open those pages; a manager and a SPOC
/// page through their lists with "Next" and "Previous", and every row comes once. Each page passes axe at desktop width
/// and 320 px and leaves a screenshot.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class WebAdministrationTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task The_administrator_adds_a_deputy_and_a_bridge_and_sees_them_and_other_roles_cannot()
    {
        var admin = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(admin, system, "admin");
        await Assertions.Expect(admin).ToHaveURLAsync(new Uri(system.WebAddress, "admin/agencies").ToString());
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Agencies and their SPOCs" })).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(admin, "admin-agencies");

        // The health trust: its SPOC (given by the test system), then a deputy added through the form.
        await admin.Locator("tr[data-agency='CDDFT'] a").ClickAsync();
        await Assertions.Expect(admin.Locator($"tr[data-spoc='{system.SpocEmails["CDDFT"]}']")).ToContainTextAsync("SPOC");
        await PageChecks.AssertAccessibleAsync(admin, "admin-agency");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        var summary = admin.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the full name");
        await Assertions.Expect(summary).ToContainTextAsync("Enter a secure e-mail address");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the rank");
        await Assertions.Expect(admin.Locator("#fullName-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(admin, "admin-agency-error");

        var deputyEmail = $"deputy-{system.Run}@cddft.nhs.example";
        await admin.GetByLabel("Full name").FillAsync("Dee Deputy");
        await admin.GetByLabel("Secure e-mail address").FillAsync(deputyEmail);
        await admin.GetByLabel("Rank").FillAsync("1");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Dee Deputy was added");
        await Assertions.Expect(admin.Locator($"tr[data-spoc='{deputyEmail}']")).ToContainTextAsync("Deputy 1");

        // The rank is the primary's: the directory refuses, and the page says why.
        await admin.GetByLabel("Full name").FillAsync("Second Primary");
        await admin.GetByLabel("Secure e-mail address").FillAsync($"second-{system.Run}@cddft.nhs.example");
        await admin.GetByLabel("Rank").FillAsync("0");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-error-summary #refusal")).ToBeVisibleAsync();

        using var directory = await system.ApiAsAsync("admin", system.DirectoryAddress);
        var spocs = JsonNode.Parse(await directory.GetStringAsync("api/agencies/CDDFT/spocs"))!.AsArray();
        var deputy = spocs.Single(s => (string)s!["secureEmail"]! == deputyEmail)!;
        Assert.Equal(1, (int)deputy["rank"]!);
        Assert.Equal("Dee Deputy", (string)deputy["fullName"]!);
        Assert.DoesNotContain(spocs, s => (string)s!["fullName"]! == "Second Primary");

        // The team: its bridges, and one more added through the form.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Teams and bridges" }).ClickAsync();
        await Assertions.Expect(admin.Locator($"tr[data-team='{WebSystem.ManagerTeam}']")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(admin, "admin-teams");
        await admin.Locator($"tr[data-team='{WebSystem.ManagerTeam}'] a").ClickAsync();
        await Assertions.Expect(admin.Locator("tr[data-bridge='Bridge 1']")).ToContainTextAsync("0191 555 0001");
        await PageChecks.AssertAccessibleAsync(admin, "admin-team");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Add bridge" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-error-summary")).ToContainTextAsync("Enter a label for the bridge");
        await Assertions.Expect(admin.Locator("#dialInNumber-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(admin, "admin-team-error");

        var label = "Bridge " + system.Run;
        await admin.GetByLabel("Label").FillAsync(label);
        await admin.GetByLabel("Dial-in number").FillAsync("0191 555 0099");
        await admin.GetByLabel("Conference code").FillAsync("998877");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add bridge" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"{label} was added");
        await Assertions.Expect(admin.Locator($"tr[data-bridge='{label}']")).ToContainTextAsync("In use");

        using var meetings = await system.ApiAsAsync("admin", system.MeetingsAddress);
        var team = JsonNode.Parse(await meetings.GetStringAsync($"api/teams/{WebSystem.ManagerTeam}"))!;
        var bridge = team["bridges"]!.AsArray().Single(b => (string)b!["label"]! == label)!;
        Assert.Equal("0191 555 0099", (string)bridge["dialInNumber"]!);
        Assert.Equal("998877", (string)bridge["conferenceCode"]!);

        // A manager and a SPOC are refused the administrator's pages.
        foreach (var user in new[] { "manager.easington", "spoc.police" })
        {
            var page = await Chromium.NewPageAsync();
            await WebSignInSteps.SignInAsync(page, system, user);
            foreach (var path in new[] { "admin/agencies", "admin/agencies/CDDFT", $"admin/teams/{WebSystem.ManagerTeam}" })
            {
                var refused = await page.GotoAsync(new Uri(system.WebAddress, path).ToString());
                Assert.Equal(403, refused!.Status);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot see this page");
            }

            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Agencies and SPOCs" })).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task A_manager_and_a_spoc_page_through_their_lists_and_each_row_comes_once()
    {
        var convened = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            convened.Add((string)(await system.ConveneAsync(TimeSpan.FromHours(20 + i), $"LL-2026-P{i}{system.Run}"))["reference"]!);
        }

        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await ManagerPagesAsync(manager, convened);

        var spoc = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(spoc, system, "spoc.csc");
        await SpocPagesAsync(spoc, convened);
    }

    [Fact]
    public async Task A_manager_sees_the_teams_notice_of_a_meeting_convened_below_the_national_minimum()
    {
        // Convened without the police (a national-minimum agency, left out with a reason): the meetings service tells
        // the team's managers, here the convening manager's own address, and the notifications service sends it.
        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var now = DateTimeOffset.UtcNow;
        var convened = await api.PostAsJsonAsync("api/meetings", new
        {
            caseReference = "LL-2026-N" + system.Run,
            concernCategory = "Neglect",
            incidentAt = now.AddHours(-6),
            decisionAt = now.AddMinutes(-30),
            thresholdReason = "RepeatIncidentsCumulativeRisk",
            thresholdReasonText = "Third police call-out to the household in four weeks.",
            scheduledStart = now.AddHours(18),
            lengthMinutes = 60,
            caseFacts = new { ageBand = "FiveToTen", unbornChild = false, adultKnownToProbation = false, knownToYos = false },
            removeAgencies = new[] { new { agencyCode = "DURHAM-POLICE", reason = "InformationAlreadyShared" } },
        });
        var body = await convened.Content.ReadAsStringAsync();
        Assert.True(convened.IsSuccessStatusCode, body);
        var reference = (string)JsonNode.Parse(body)!["reference"]!;

        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GetByRole(AriaRole.Link, new() { Name = "My team's notices" }).ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "My team's notices" })).ToBeVisibleAsync();
        var row = manager.Locator($"tr[data-meeting='{reference}'][data-kind='below-minimum-at-convening']");
        await Eventually.TrueAsync(async () =>
        {
            await manager.ReloadAsync();
            return await row.CountAsync() == 1 && (await row.InnerTextAsync()).Contains("Sent to 1 of 1", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "the notice is listed as sent");
        await Assertions.Expect(row).ToContainTextAsync("Convened below the national minimum");
        await PageChecks.AssertAccessibleAsync(manager, "team-notices");

        // Another team's manager does not see it.
        var other = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(other, system, "manager.derwentside");
        await other.GotoAsync(new Uri(system.WebAddress, "team/notices").ToString());
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "My team's notices" })).ToBeVisibleAsync();
        Assert.DoesNotContain(reference, await other.ContentAsync(), StringComparison.Ordinal);
    }

    private async Task ManagerPagesAsync(IPage page, IReadOnlyList<string> convened)
    {
        // One a page: "Next" goes on, "Previous" comes back to the same row.
        await page.GotoAsync(new Uri(system.WebAddress, "team/meetings?pageSize=1").ToString());
        var rows = page.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var first = await rows.First.Locator("th").InnerTextAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Previous page" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page.Locator("caption")).ToContainTextAsync("(page 2)");
        Assert.NotEqual(first, await rows.First.Locator("th").InnerTextAsync());
        await PageChecks.AssertAccessibleAsync(page, "team-meetings-page-2");
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        await Assertions.Expect(page.Locator("caption")).Not.ToContainTextAsync("(page");
        Assert.Equal(first, await rows.First.Locator("th").InnerTextAsync());

        var seen = await FollowNextAsync(page, "team/meetings?pageSize=2", "tbody tr th a");
        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var all = JsonNode.Parse(await api.GetStringAsync($"api/meetings?pageSize=200&when=upcoming"))!.AsArray();
        Assert.Equal(all.Select(m => (string)m!["reference"]!), seen);
        Assert.All(convened, reference => Assert.Single(seen, reference));
    }

    private async Task SpocPagesAsync(IPage page, IReadOnlyList<string> convened)
    {
        var seen = await FollowNextAsync(page, "agency/invitations?pageSize=2", "tbody tr th");
        // Each invitation once (the row's header also names the team on a second line).
        var references = seen.Select(s => s.Split('\n')[0].Trim()).ToList();
        Assert.Equal(references.Count, references.Distinct().Count());
        Assert.All(convened, reference => Assert.Single(references, reference));
        await PageChecks.AssertAccessibleAsync(page, "agency-invitations-last-page");
    }

    /// <summary>Reads every page from the first by its "Next" link; the rows' texts in order.</summary>
    private async Task<List<string>> FollowNextAsync(IPage page, string start, string rowSelector)
    {
        await page.GotoAsync(new Uri(system.WebAddress, start).ToString());
        var seen = new List<string>();
        for (var pages = 1; ; pages++)
        {
            Assert.True(pages < 100, "the pages end");
            seen.AddRange((await page.Locator(rowSelector).AllInnerTextsAsync()).Select(t => t.Trim()));
            var next = page.GetByRole(AriaRole.Link, new() { Name = "Next page" });
            if (await next.CountAsync() == 0)
            {
                return seen;
            }

            await next.ClickAsync();
            await Assertions.Expect(page.Locator("caption")).ToContainTextAsync($"(page {pages + 1})");
        }
    }
}

/// <summary>Signing in through the provider's form, as a person would (shared by the browser tests that need it).</summary>
public static class WebSignInSteps
{
    public static async Task SignInAsync(IPage page, WebSystem system, string userName)
    {
        await page.GotoAsync(new Uri(system.WebAddress, "sign-in").ToString());
        Assert.StartsWith(system.Authority.GetLeftPart(UriPartial.Authority), page.Url, StringComparison.Ordinal);
        await page.Locator($"input[name='user'][value='{userName}']").CheckAsync();
        await page.GetByLabel("Password").FillAsync(WebSystem.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(system.WebAddress.ToString(), StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal));
    }
}
