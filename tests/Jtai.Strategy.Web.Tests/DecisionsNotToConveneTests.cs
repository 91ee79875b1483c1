using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// A team manager records a decision not to convene by keyboard, from the team's meetings, in Debian's Chromium against
/// the running services: sent empty first (the meetings service's errors in the summary and at the fields), then filled
/// with "another reason" and its words; the team's list shows it, and the meetings API holds it. Another team's manager
/// does not see it.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class DecisionsNotToConveneTests(WebSystem system) : BrowserTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public async Task A_manager_records_a_decision_not_to_convene_by_keyboard_and_the_team_lists_it()
    {
        var caseReference = "NC-2026-" + system.Run;
        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, "team/meetings").ToString());
        await KeyboardSteps.KeyboardToAsync(manager, "#decisions-link");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Decisions not to convene");
        await PageChecks.AssertAccessibleAsync(manager, "decisions-not-to-convene");

        await KeyboardSteps.KeyboardToAsync(manager, "#record-decision-button");
        await manager.Keyboard.PressAsync("Enter");
        var summary = manager.Locator(".govuk-error-summary");
        await Assertions.Expect(summary.Locator("a[href='#caseReference']")).ToHaveTextAsync("Enter the case reference");
        await Assertions.Expect(summary.Locator("a[href='#concernCategory']")).ToHaveTextAsync("Select the category of concern");
        await Assertions.Expect(summary.Locator("a[href='#reason']")).ToHaveTextAsync("Select why no meeting is convened");
        await Assertions.Expect(summary.Locator("a[href='#decidedDate']")).ToHaveTextAsync("Enter the date and time of the decision");
        await Assertions.Expect(manager.Locator("#caseReference-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(manager, "decisions-not-to-convene-error");

        // Decided an hour ago (UK time, to the minute); "another reason" needs its words.
        var decided = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(-1), London);
        decided = new DateTimeOffset(decided.Year, decided.Month, decided.Day, decided.Hour, decided.Minute, 0, decided.Offset);
        await KeyboardSteps.TypeAsync(manager, "#caseReference", caseReference);
        await KeyboardSteps.ChooseAsync(manager, "#concernCategory", 5, "Neglect");
        await KeyboardSteps.ChooseAsync(manager, "#reason", 6, "Other");
        await KeyboardSteps.TypeAsync(manager, "#reasonText", "The family moved out of the area before the decision; passed to their new authority.");
        await KeyboardSteps.TypeAsync(manager, "#decidedDate", decided.ToString("d/M/yyyy", CultureInfo.InvariantCulture));
        await KeyboardSteps.TypeAsync(manager, "#decidedDate-time", decided.ToString("HH:mm", CultureInfo.InvariantCulture));
        await KeyboardSteps.KeyboardToAsync(manager, "#record-decision-button");
        await manager.Keyboard.PressAsync("Enter");

        await Assertions.Expect(manager.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"The decision not to convene for {caseReference} was recorded.");
        var row = manager.Locator($"tr[data-case='{caseReference}']");
        await Assertions.Expect(row).ToContainTextAsync("Neglect");
        await Assertions.Expect(row).ToContainTextAsync("Another reason: The family moved out of the area");
        await PageChecks.AssertAccessibleAsync(manager, "decisions-not-to-convene-recorded");

        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var held = JsonNode.Parse(await api.GetStringAsync("api/decisions-not-to-convene"))!.AsArray()
            .Single(d => (string)d!["caseReference"]! == caseReference)!;
        Assert.Equal("Other", (string)held["reason"]!);
        Assert.Equal("Neglect", (string)held["concernCategory"]!);
        Assert.Equal(decided.UtcDateTime, DateTimeOffset.Parse((string)held["decidedAt"]!, CultureInfo.InvariantCulture).UtcDateTime);

        // The list is the team's own: another team's manager does not see it.
        var other = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(other, system, "manager.derwentside");
        await other.GotoAsync(new Uri(system.WebAddress, "team/decisions-not-to-convene").ToString());
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Decisions not to convene");
        await Assertions.Expect(other.Locator($"tr[data-case='{caseReference}']")).ToHaveCountAsync(0);
    }
}
