using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The administrator changes what is already there, in Debian's Chromium against the running services: a deputy's
/// period away (added with the directory's errors first, then removed), their details and their retirement, through
/// the SPOC's page; a bridge retired and a manager removed, through the team's page. After each step the directory's or
/// the meetings service's API holds the change. A manager is refused the SPOC's page. Each page passes axe at desktop
/// width and 320 px and leaves a screenshot.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class WebAdministrationChangesTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task The_administrator_covers_changes_and_retires_a_deputy_and_retires_a_bridge_and_removes_a_manager()
    {
        // A deputy of the education service of its own, so the other tests' SPOCs are left as they are.
        using var directory = await system.ApiAsAsync("admin", system.DirectoryAddress);
        var deputyEmail = $"cover-{system.Run}@durham-education.example";
        var created = await directory.PostAsJsonAsync("api/agencies/DCC-EDUCATION/spocs", new { fullName = "Corey Cover", secureEmail = deputyEmail, rank = 7 });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var deputyId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["spocId"]!;

        var admin = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(admin, system, "admin");
        await admin.GotoAsync(new Uri(system.WebAddress, "admin/agencies/DCC-EDUCATION").ToString());
        await admin.GetByRole(AriaRole.Link, new() { Name = "Change Corey Cover" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Corey Cover");
        await Assertions.Expect(admin.Locator("#no-covers")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(admin, "admin-spoc");

        // A period away: nothing filled in first, the directory's errors in the page's words.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add period away" }).ClickAsync();
        var summary = admin.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Enter when the period starts");
        await Assertions.Expect(summary).ToContainTextAsync("Enter why they are away");
        await Assertions.Expect(admin.Locator("#coverStartDate-error")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByLabel("Full name")).ToHaveValueAsync("Corey Cover");
        await PageChecks.AssertAccessibleAsync(admin, "admin-spoc-error");

        // In UK time: 9am on a winter day is 09:00 UTC, 5pm in summer is 16:00 UTC.
        var year = DateTime.UtcNow.Year + 1;
        await admin.GetByLabel("Away from (date)").FillAsync($"15/1/{year}");
        await admin.GetByLabel("Away from (time)").FillAsync("09:00");
        await admin.GetByLabel("Back on (date)").FillAsync($"15/7/{year}");
        await admin.GetByLabel("Back on (time)").FillAsync("17:00");
        await admin.GetByLabel("Reason").FillAsync("Secondment");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add period away" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The cover period was added");
        await Assertions.Expect(admin.Locator("#cover-list")).ToContainTextAsync($"15 January {year}, 9am to");
        var covers = JsonNode.Parse(await directory.GetStringAsync($"api/spocs/{deputyId}"))!["covers"]!.AsArray();
        var cover = Assert.Single(covers)!;
        Assert.Equal(new DateTimeOffset(year, 1, 15, 9, 0, 0, TimeSpan.Zero), cover["startsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(year, 7, 15, 16, 0, 0, TimeSpan.Zero), cover["endsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("Secondment", (string)cover["reason"]!);

        await admin.Locator("#cover-list").GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The cover period was removed");
        Assert.Empty(JsonNode.Parse(await directory.GetStringAsync($"api/spocs/{deputyId}"))!["covers"]!.AsArray());

        // Details: a phone number the directory refuses, then one it takes.
        await admin.GetByLabel("Phone (optional)").FillAsync("call me");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#phone-error")).ToContainTextAsync("Enter a phone number");
        await admin.GetByLabel("Phone (optional)").FillAsync("0191 555 0777");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Corey Cover's details were changed");
        await Assertions.Expect(admin.Locator($"tr[data-spoc='{deputyEmail}']")).ToContainTextAsync("0191 555 0777");
        Assert.Equal("0191 555 0777", (string)JsonNode.Parse(await directory.GetStringAsync($"api/spocs/{deputyId}"))!["phone"]!);

        // Retiring is confirmed on a page of its own (what will happen; nothing changed yet), needs a reason; then the
        // deputy leaves the agency's list and receives nothing more.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Change Corey Cover" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Retire Corey Cover" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Retire Corey Cover?");
        await Assertions.Expect(admin.Locator("#what-happens")).ToContainTextAsync("Corey Cover will receive no further invitations");
        Assert.True((bool)JsonNode.Parse(await directory.GetStringAsync($"api/spocs/{deputyId}"))!["active"]!);
        await PageChecks.AssertAccessibleAsync(admin, "admin-spoc-retire");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Yes, retire Corey Cover" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#retireReason-error")).ToContainTextAsync("Enter why they no longer receive invitations");
        Assert.True((bool)JsonNode.Parse(await directory.GetStringAsync($"api/spocs/{deputyId}"))!["active"]!);
        await admin.GetByLabel("Why they no longer receive invitations").FillAsync("Left the service");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Yes, retire Corey Cover" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Corey Cover was retired");
        await Assertions.Expect(admin.Locator($"tr[data-spoc='{deputyEmail}']")).ToHaveCountAsync(0);
        Assert.False((bool)JsonNode.Parse(await directory.GetStringAsync($"api/spocs/{deputyId}"))!["active"]!);

        // The team: a bridge and a manager of this test's own, retired and removed through the page.
        using var meetings = await system.ApiAsAsync("admin", system.MeetingsAddress);
        var label = "Spare " + system.Run;
        var managerEmail = $"leaving-{system.Run}@durham.gov.example";
        (await meetings.PostAsJsonAsync($"api/teams/{WebSystem.ManagerTeam}/bridges", new { label, dialInNumber = "0191 555 0123", conferenceCode = "4455" })).EnsureSuccessStatusCode();
        (await meetings.PostAsJsonAsync($"api/teams/{WebSystem.ManagerTeam}/managers", new { email = managerEmail, fullName = "Lee Leaving" })).EnsureSuccessStatusCode();
        await admin.GotoAsync(new Uri(system.WebAddress, $"admin/teams/{WebSystem.ManagerTeam}").ToString());
        // Retiring the bridge is confirmed on a page of its own (what will happen; nothing changed yet).
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Retire {label}" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Retire {label}?");
        await Assertions.Expect(admin.Locator("#what-happens")).ToContainTextAsync($"Meetings convened from now on will not book {label}");
        Assert.True(BridgeActive(JsonNode.Parse(await meetings.GetStringAsync($"api/teams/{WebSystem.ManagerTeam}"))!, label));
        await PageChecks.AssertAccessibleAsync(admin, "admin-bridge-retire");
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Yes, retire {label}" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"{label} was retired");
        await Assertions.Expect(admin.Locator($"tr[data-bridge='{label}']")).ToContainTextAsync("Retired");
        // Removing the manager is confirmed on a page of its own (what will happen; nothing changed yet).
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Remove {managerEmail}" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Remove Lee Leaving?");
        await Assertions.Expect(admin.Locator("#what-happens")).ToContainTextAsync("Lee Leaving will no longer be e-mailed");
        Assert.Contains(JsonNode.Parse(await meetings.GetStringAsync($"api/teams/{WebSystem.ManagerTeam}"))!["managers"]!.AsArray(), m => (string)m!["email"]! == managerEmail);
        await PageChecks.AssertAccessibleAsync(admin, "admin-manager-remove");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Yes, remove Lee Leaving" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"{managerEmail} was removed");
        await Assertions.Expect(admin.Locator($"li[data-manager='{managerEmail}']")).ToHaveCountAsync(0);
        await PageChecks.AssertAccessibleAsync(admin, "admin-team-changed");
        var team = JsonNode.Parse(await meetings.GetStringAsync($"api/teams/{WebSystem.ManagerTeam}"))!;
        Assert.False(BridgeActive(team, label));
        Assert.DoesNotContain(team["managers"]!.AsArray(), m => (string)m!["email"]! == managerEmail);

        // A manager cannot open a SPOC's page.
        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        var refused = await manager.GotoAsync(new Uri(system.WebAddress, $"admin/spocs/{deputyId}").ToString());
        Assert.Equal(403, refused!.Status);
    }

    private static bool BridgeActive(JsonNode team, string label) =>
        (bool)team["bridges"]!.AsArray().Single(b => (string)b!["label"]! == label)!["active"]!;
}
