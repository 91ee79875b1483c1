using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The administrator registers, renames, deactivates and reactivates an agency, and creates and changes a team, by
/// keyboard in Debian's Chromium against the running services: the APIs' errors first (in the page's words, in the
/// summary and at the fields), then success banners; after each step the directory's or the meetings service's API
/// holds the change. Each page passes axe at desktop width and 320 px and leaves a screenshot.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class WebAgenciesAndTeamsTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task The_administrator_registers_renames_deactivates_and_reactivates_an_agency()
    {
        using var directory = await system.ApiAsAsync("admin", system.DirectoryAddress);
        var code = $"ADVOCACY-{system.Run.ToUpperInvariant()}";
        var admin = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(admin, system, "admin");
        await admin.GotoAsync(new Uri(system.WebAddress, "admin/agencies").ToString());

        // A code the directory refuses, no name and no kind: its errors in the page's words.
        await KeyboardSteps.TypeAsync(admin, "#code", "advocacy service");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Register agency')");
        await admin.Keyboard.PressAsync("Enter");
        var summary = admin.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Enter a code of 2 to 32 capital letters");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the agency's name");
        await Assertions.Expect(summary).ToContainTextAsync("Select the kind of agency");
        await Assertions.Expect(admin.Locator("#kind-error")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#code")).ToHaveValueAsync("advocacy service");
        await PageChecks.AssertAccessibleAsync(admin, "admin-agency-register-error");

        await KeyboardSteps.TypeAsync(admin, "#code", code);
        await KeyboardSteps.TypeAsync(admin, "#name", "Durham Advocacy");
        await SelectByKeyboardAsync(admin, "#kind", "Advocacy");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Register agency')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Durham Advocacy was registered");
        await Assertions.Expect(admin.Locator("#no-spoc")).ToBeVisibleAsync();
        var agency = JsonNode.Parse(await directory.GetStringAsync($"api/agencies/{code}"))!;
        Assert.Equal("Durham Advocacy", (string)agency["name"]!);
        Assert.Equal("Advocacy", (string)agency["kind"]!);
        Assert.True((bool)agency["active"]!);

        // The same code again: the directory's refusal as the summary's title.
        await admin.GotoAsync(new Uri(system.WebAddress, "admin/agencies").ToString());
        await KeyboardSteps.TypeAsync(admin, "#code", code);
        await KeyboardSteps.TypeAsync(admin, "#name", "Durham Advocacy again");
        await SelectByKeyboardAsync(admin, "#kind", "Other");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Register agency')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".govuk-error-summary__title")).ToHaveTextAsync("Agency already registered");

        // Renamed: an empty name first, then the new one and kind.
        await admin.GotoAsync(new Uri(system.WebAddress, $"admin/agencies/{code}").ToString());
        await Assertions.Expect(admin.Locator("#agencyName")).ToHaveValueAsync("Durham Advocacy");
        await KeyboardSteps.TypeAsync(admin, "#agencyName", " ");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Save agency')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator("#agencyName-error")).ToContainTextAsync("Enter the agency's name");
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Enter the agency's name" })).ToHaveAttributeAsync("href", "#agencyName");
        await PageChecks.AssertAccessibleAsync(admin, "admin-agency-change-error");

        await KeyboardSteps.TypeAsync(admin, "#agencyName", "Durham Independent Advocacy");
        await SelectByKeyboardAsync(admin, "#agencyKind", "DomesticAbuse");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Save agency')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The agency's details were changed");
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Durham Independent Advocacy");
        agency = JsonNode.Parse(await directory.GetStringAsync($"api/agencies/{code}"))!;
        Assert.Equal("Durham Independent Advocacy", (string)agency["name"]!);
        Assert.Equal("DomesticAbuse", (string)agency["kind"]!);

        // Deactivated, after the warning of what it means on a confirmation page of its own (nothing changed yet);
        // then reactivated.
        await Assertions.Expect(admin.Locator(".govuk-warning-text")).ToContainTextAsync("no longer suggested for new meetings and cannot be invited to them");
        await KeyboardSteps.KeyboardToAsync(admin, "a:has-text('Deactivate Durham Independent Advocacy')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Deactivate Durham Independent Advocacy?");
        await Assertions.Expect(admin.Locator("#what-happens")).ToContainTextAsync("Durham Independent Advocacy will no longer be suggested for new meetings");
        Assert.True((bool)JsonNode.Parse(await directory.GetStringAsync($"api/agencies/{code}"))!["active"]!);
        await PageChecks.AssertAccessibleAsync(admin, "admin-agency-deactivate");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Yes, deactivate Durham Independent Advocacy')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Durham Independent Advocacy was deactivated");
        await Assertions.Expect(admin.Locator("#agency-state")).ToContainTextAsync("Deactivated");
        Assert.False((bool)JsonNode.Parse(await directory.GetStringAsync($"api/agencies/{code}"))!["active"]!);
        await PageChecks.AssertAccessibleAsync(admin, "admin-agency-deactivated");
        await admin.GotoAsync(new Uri(system.WebAddress, "admin/agencies").ToString());
        await Assertions.Expect(admin.Locator($"tr[data-agency='{code}']")).ToContainTextAsync("Deactivated");

        await admin.Locator($"tr[data-agency='{code}'] a").ClickAsync();
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Reactivate Durham Independent Advocacy')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Durham Independent Advocacy was reactivated");
        Assert.True((bool)JsonNode.Parse(await directory.GetStringAsync($"api/agencies/{code}"))!["active"]!);
    }

    [Fact]
    public async Task The_administrator_creates_a_team_and_changes_it()
    {
        using var meetings = await system.ApiAsAsync("admin", system.MeetingsAddress);
        var code = $"FF-NEW-{system.Run.ToUpperInvariant()}";
        var admin = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(admin, system, "admin");
        await admin.GotoAsync(new Uri(system.WebAddress, "admin/teams").ToString());

        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Create team')");
        await admin.Keyboard.PressAsync("Enter");
        var summary = admin.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Enter a code of 2 to 32 capital letters");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the team's name");
        await Assertions.Expect(admin.Locator("#name-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(admin, "admin-team-create-error");

        await KeyboardSteps.TypeAsync(admin, "#code", code);
        await KeyboardSteps.TypeAsync(admin, "#name", "Families First Seaham");
        await KeyboardSteps.TypeAsync(admin, "#area", "Seaham");
        await KeyboardSteps.KeyboardToAsync(admin, "#gpPilot");
        await admin.Keyboard.PressAsync("Space");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Create team')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Families First Seaham was created");
        await Assertions.Expect(admin.Locator("#no-managers")).ToBeVisibleAsync();
        var team = JsonNode.Parse(await meetings.GetStringAsync($"api/teams/{code}"))!;
        Assert.Equal("Families First Seaham", (string)team["name"]!);
        Assert.Equal("Seaham", (string)team["area"]!);
        Assert.True((bool)team["gpPilot"]!);
        Assert.True((bool)team["active"]!);

        // Changed: an area too long first, then renamed, out of the pilot and inactive.
        await Assertions.Expect(admin.Locator("#teamGpPilot")).ToBeCheckedAsync();
        await KeyboardSteps.TypeAsync(admin, "#teamArea", new string('a', 101));
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Save team')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator("#teamArea-error")).ToContainTextAsync("Enter an area of at most 100 characters");
        await PageChecks.AssertAccessibleAsync(admin, "admin-team-change-error");

        await KeyboardSteps.TypeAsync(admin, "#teamName", "Families First Seaham and Murton");
        await KeyboardSteps.TypeAsync(admin, "#teamArea", "Seaham");
        await KeyboardSteps.KeyboardToAsync(admin, "#teamGpPilot");
        await admin.Keyboard.PressAsync("Space");
        await KeyboardSteps.KeyboardToAsync(admin, "#teamActive");
        await admin.Keyboard.PressAsync("Space");
        await KeyboardSteps.KeyboardToAsync(admin, "button:has-text('Save team')");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The team's details were changed");
        await Assertions.Expect(admin.Locator("#team-state")).ToContainTextAsync("Inactive");
        await PageChecks.AssertAccessibleAsync(admin, "admin-team-changed-details");
        team = JsonNode.Parse(await meetings.GetStringAsync($"api/teams/{code}"))!;
        Assert.Equal("Families First Seaham and Murton", (string)team["name"]!);
        Assert.False((bool)team["gpPilot"]!);
        Assert.False((bool)team["active"]!);

        await admin.GotoAsync(new Uri(system.WebAddress, "admin/teams").ToString());
        await Assertions.Expect(admin.Locator($"tr[data-team='{code}']")).ToContainTextAsync("Inactive");
    }

    [Fact]
    public async Task The_administrator_pages_through_the_agencies_the_teams_and_an_agencys_spocs_each_row_once()
    {
        using var directory = await system.ApiAsAsync("admin", system.DirectoryAddress);
        var code = $"PAGED-{system.Run.ToUpperInvariant()}";
        Assert.True((await directory.PostAsJsonAsync("api/agencies", new { code, name = "Paged agency", kind = "Other" })).IsSuccessStatusCode);
        foreach (var rank in new[] { 0, 1, 2 })
        {
            var added = await directory.PostAsJsonAsync($"api/agencies/{code}/spocs", new { fullName = $"Paged Person {rank}", secureEmail = $"paged{rank}-{system.Run}@other.example", rank });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        var allAgencies = JsonNode.Parse(await directory.GetStringAsync("api/agencies?pageSize=200"))!.AsArray().Select(a => (string)a!["code"]!).ToList();
        var admin = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(admin, system, "admin");

        // The agencies, five a page: "Next" to the end, every agency once in the directory's order, then "Previous".
        await admin.GotoAsync(new Uri(system.WebAddress, "admin/agencies?pageSize=5").ToString());
        var seen = await ReadPagesAsync(admin, "tr[data-agency]", "data-agency");
        Assert.Equal(allAgencies, seen);
        await Assertions.Expect(admin.Locator("caption")).ToContainTextAsync("(page");
        await PageChecks.AssertAccessibleAsync(admin, "admin-agencies-last-page");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        await Assertions.Expect(admin.Locator("tr[data-agency]")).ToHaveCountAsync(5);

        // The teams, one a page.
        using var meetings = await system.ApiAsAsync("admin", system.MeetingsAddress);
        var allTeams = JsonNode.Parse(await meetings.GetStringAsync("api/teams?pageSize=200"))!.AsArray().Select(t => (string)t!["code"]!).ToList();
        await admin.GotoAsync(new Uri(system.WebAddress, "admin/teams?pageSize=1").ToString());
        Assert.Equal(allTeams, await ReadPagesAsync(admin, "tr[data-team]", "data-team"));

        // The agency's SPOC and deputies, two a page: the SPOC and deputy 1, then deputy 2.
        await admin.GotoAsync(new Uri(system.WebAddress, $"admin/agencies/{code}?pageSize=2").ToString());
        await Assertions.Expect(admin.Locator("tr[data-spoc]")).ToHaveCountAsync(2);
        await PageChecks.AssertAccessibleAsync(admin, "admin-agency-spocs-page-1");
        Assert.Equal([$"paged0-{system.Run}@other.example", $"paged1-{system.Run}@other.example", $"paged2-{system.Run}@other.example"],
            await ReadPagesAsync(admin, "tr[data-spoc]", "data-spoc"));
    }

    /// <summary>Reads the rows' keys of every page, following "Next page" by keyboard, and checks each page says its number.</summary>
    private static async Task<List<string>> ReadPagesAsync(IPage page, string rows, string key)
    {
        var keys = new List<string>();
        for (var number = 1; ; number++)
        {
            await Assertions.Expect(page.Locator(rows).First).ToBeVisibleAsync();
            keys.AddRange((await page.Locator(rows).EvaluateAllAsync<string[]>($"rs => rs.map(r => r.getAttribute('{key}'))")).ToList());
            var next = page.GetByRole(AriaRole.Link, new() { Name = "Next page" });
            if (await next.CountAsync() == 0)
            {
                return keys;
            }

            await next.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator("caption")).ToContainTextAsync($"(page {number + 1})");
        }
    }

    /// <summary>Tabs to a select and moves to the option with the arrow keys.</summary>
    private static async Task SelectByKeyboardAsync(IPage page, string selector, string value)
    {
        await KeyboardSteps.KeyboardToAsync(page, selector);
        var values = (await page.Locator($"{selector} option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)")).ToList();
        var from = values.IndexOf(await page.Locator(selector).InputValueAsync());
        var to = values.IndexOf(value);
        for (var i = from; i != to; i += Math.Sign(to - from))
        {
            await page.Keyboard.PressAsync(to > from ? "ArrowDown" : "ArrowUp");
        }

        Assert.Equal(value, await page.Locator(selector).InputValueAsync());
    }
}
