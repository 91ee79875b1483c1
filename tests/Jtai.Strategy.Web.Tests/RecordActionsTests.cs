using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The record form takes more than three agreed actions: "Add another action" (a submit button, no script needed)
/// brings the form back as typed with one more empty row, on the record form and on the amendment form; and an absent
/// agency's apologies are recorded. In Debian's Chromium against the running services, the new parts by keyboard; the
/// meetings API holds all five actions and the apologies, then the amended seven.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class RecordActionsTests(WebSystem system) : BrowserTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, London).ToString("d/M/yyyy", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, London).ToString("HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_manager_records_five_actions_and_an_absent_agencys_apologies_then_amends_to_seven()
    {
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(28), "RA-2026-" + system.Run);
        var meetingId = (string)meeting["id"]!;
        // Held after the decision (half an hour before convening) and ended before now.
        var now = DateTimeOffset.UtcNow;
        var due = now.AddDays(4);

        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, $"team/meetings/{meetingId}/record").ToString());
        await Assertions.Expect(manager.Locator("input[id$='-description']")).ToHaveCountAsync(3);

        await KeyboardSteps.TypeAsync(manager, "#startDate", Date(now.AddMinutes(-25)));
        await KeyboardSteps.TypeAsync(manager, "#startDate-time", Time(now.AddMinutes(-25)));
        await KeyboardSteps.TypeAsync(manager, "#endDate", Date(now.AddMinutes(-5)));
        await KeyboardSteps.TypeAsync(manager, "#endDate-time", Time(now.AddMinutes(-5)));
        await KeyboardSteps.TypeAsync(manager, "#chairName", "M. Easington");
        await manager.Locator("#chairAgencyCode").SelectOptionAsync("DCC-CSC");
        foreach (var attendance in await manager.Locator("select[id^='attendance-']").AllAsync())
        {
            await attendance.SelectOptionAsync("AttendedInPerson");
        }

        // The police did not come and sent apologies (by keyboard: the mode, then Space on the box).
        await KeyboardSteps.ChooseAsync(manager, "#attendance-DURHAM-POLICE", 4, "Absent");
        await KeyboardSteps.KeyboardToAsync(manager, "#apologies-DURHAM-POLICE");
        await manager.Keyboard.PressAsync("Space");
        Assert.True(await manager.Locator("#apologies-DURHAM-POLICE").IsCheckedAsync());
        await KeyboardSteps.ChooseAsync(manager, "#belowMinimumReason", 1, "PartnerDidNotAttend");
        await manager.Locator("#sectionFortySeven-no").CheckAsync();
        await KeyboardSteps.TypeAsync(manager, "#immediateSafetyActions", "None needed tonight.");
        await KeyboardSteps.TypeAsync(manager, "#familyTold", "Father told by the social worker.");
        await manager.Locator("#childViews-not").CheckAsync();

        for (var i = 0; i < 3; i++)
        {
            await FillActionAsync(manager, i, $"Action {i + 1} of five", due);
        }

        // "Add another action" twice: each time the page comes back as typed with one more empty row.
        for (var i = 3; i < 5; i++)
        {
            await KeyboardSteps.KeyboardToAsync(manager, "#add-action");
            await manager.Keyboard.PressAsync("Enter");
            await Assertions.Expect(manager.Locator("input[id$='-description']")).ToHaveCountAsync(i + 1);
            Assert.Equal($"Action {i} of five", await manager.Locator($"#action-{i - 1}-description").InputValueAsync());
            Assert.Equal("", await manager.Locator($"#action-{i}-description").InputValueAsync());
            Assert.True(await manager.Locator("#apologies-DURHAM-POLICE").IsCheckedAsync());
            Assert.Equal("M. Easington", await manager.Locator("#chairName").InputValueAsync());
            await FillActionAsync(manager, i, $"Action {i + 1} of five", due);
        }

        await PageChecks.AssertAccessibleAsync(manager, "record-more-actions");
        await KeyboardSteps.KeyboardToAsync(manager, "#save-record");
        await manager.Keyboard.PressAsync("Enter");
        await manager.WaitForSelectorAsync("#circulation, .govuk-error-summary", new() { Timeout = 30_000 });
        // Saved: the record's summary, not the form again with the service's errors (shown if there are any).
        Assert.True(await manager.Locator(".govuk-error-summary").CountAsync() == 0, await manager.Locator("main").InnerTextAsync());
        await Assertions.Expect(manager.Locator("#circulation")).ToContainTextAsync("Absent, with apologies");

        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var record = JsonNode.Parse(await api.GetStringAsync($"api/meetings/{meetingId}/record"))!;
        Assert.Equal(Enumerable.Range(1, 5).Select(n => $"Action {n} of five"), record["actions"]!.AsArray().Select(a => (string)a!["description"]!));
        var police = record["attendance"]!.AsArray().Single(a => (string)a!["agencyCode"]! == "DURHAM-POLICE")!;
        Assert.Equal("Absent", (string)police["mode"]!);
        Assert.True((bool)police["withApologies"]!);

        // Circulated, the amendment form starts from the five with two empty rows, and adds a third as typed.
        await manager.Locator("#circulate").ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Amend the agreed actions" })).ToBeVisibleAsync();
        await Assertions.Expect(manager.Locator("#amend input[id$='-description']")).ToHaveCountAsync(7);
        await KeyboardSteps.TypeAsync(manager, "#amendmentReason", "Two more actions agreed by phone with the school.");
        await FillActionAsync(manager, 5, "Action 6: the school's nurse sees the child", due);
        await KeyboardSteps.KeyboardToAsync(manager, "#add-action");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.Locator("#amend input[id$='-description']")).ToHaveCountAsync(8);
        Assert.Equal("Action 6: the school's nurse sees the child", await manager.Locator("#action-5-description").InputValueAsync());
        Assert.Equal("Two more actions agreed by phone with the school.", await manager.Locator("#amendmentReason").InputValueAsync());
        await FillActionAsync(manager, 7, "Action 7: a review call in a week", due);
        await PageChecks.AssertAccessibleAsync(manager, "record-amend-more-actions");
        await KeyboardSteps.KeyboardToAsync(manager, "#amend-submit");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Version 2");

        var amended = JsonNode.Parse(await api.GetStringAsync($"api/meetings/{meetingId}/record"))!;
        var actions = amended["actions"]!.AsArray().Select(a => (string)a!["description"]!).ToList();
        Assert.Equal(7, actions.Count);
        Assert.Contains("Action 7: a review call in a week", actions);
    }

    /// <summary>Types one action's what and due date and chooses its owner (the police), by keyboard.</summary>
    private static async Task FillActionAsync(IPage page, int row, string description, DateTimeOffset due)
    {
        await KeyboardSteps.TypeAsync(page, $"#action-{row}-description", description);
        await KeyboardSteps.KeyboardToAsync(page, $"#action-{row}-owner");
        await page.Locator($"#action-{row}-owner").SelectOptionAsync("DURHAM-POLICE");
        await KeyboardSteps.TypeAsync(page, $"#action-{row}-due", due.ToString("d/M/yyyy", CultureInfo.InvariantCulture));
    }
}
