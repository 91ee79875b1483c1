using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// A signed-in SPOC answers from the agency's invitations, in Debian's Chromium against the running services: with
/// the keyboard alone, first sent empty (the meetings service's error in the summary and at the question), then in
/// writing with a written contribution; the meetings API holds the answer (not by link) and the contribution as typed.
/// Another agency's SPOC is refused the invitation's answer page (the API's 403).
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class SpocAnswerTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task A_signed_in_spoc_answers_in_writing_by_keyboard_from_the_agencys_invitations()
    {
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(34), "LL-2026-S" + system.Run);
        var reference = (string)meeting["reference"]!;
        var meetingId = (string)meeting["id"]!;

        var police = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(police, system, "spoc.police");
        var row = police.Locator($"tr[data-meeting='{reference}']");
        await Assertions.Expect(row).ToContainTextAsync("No answer yet");
        await KeyboardSteps.KeyboardToAsync(police, $"a[data-answer='{reference}']");
        await police.Keyboard.PressAsync("Enter");
        await Assertions.Expect(police.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Will your agency take part?");
        await Assertions.Expect(police.Locator(".govuk-summary-list")).ToContainTextAsync((string)meeting["dialInNumber"]!);
        await Assertions.Expect(police.Locator(".govuk-summary-list")).ToContainTextAsync((string)meeting["pin"]!);
        await PageChecks.AssertAccessibleAsync(police, "spoc-answer");

        // Sent with nothing chosen: the meetings service's error, in the summary and at the question.
        await KeyboardSteps.KeyboardToAsync(police, "#send-answer");
        await police.Keyboard.PressAsync("Enter");
        await Assertions.Expect(police.Locator(".govuk-error-summary a[href='#answer']")).ToHaveTextAsync("Select how your agency will take part, or decline");
        await Assertions.Expect(police.Locator("#answer-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(police, "spoc-answer-error");

        // Keyboard alone: Tab to the first option, arrows to "In writing", Tab into the contribution, type, then send.
        const string contribution = "One call-out on record (2 Dec); no arrests.\nOfficer in case on duty until 6pm.";
        await KeyboardSteps.KeyboardToAsync(police, "#answer");
        await police.Keyboard.PressAsync("ArrowDown");
        await police.Keyboard.PressAsync("ArrowDown");
        Assert.True(await police.Locator("#answer-ContributeInWriting").IsCheckedAsync());
        await police.Keyboard.PressAsync("Tab");
        Assert.Equal("writtenContribution", await police.EvaluateAsync<string>("() => document.activeElement.id"));
        await police.Keyboard.TypeAsync(contribution);
        await KeyboardSteps.KeyboardToAsync(police, "#send-answer");
        await police.Keyboard.PressAsync("Enter");

        await Assertions.Expect(police.Locator("#answered")).ToHaveTextAsync($"Your answer to {reference} was sent.");
        await Assertions.Expect(row).ToContainTextAsync("In writing");
        await Assertions.Expect(row.Locator($"a[data-answer='{reference}']")).ToContainTextAsync("Change the answer");
        await PageChecks.AssertAccessibleAsync(police, "spoc-answered");

        // The meetings service holds it: in writing, signed in (not by link), the contribution as typed.
        using var manager = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var board = JsonNode.Parse(await manager.GetStringAsync($"api/meetings/{meetingId}/board"))!;
        var policeRow = board["agencies"]!.AsArray().Single(a => (string)a!["agencyCode"]! == "DURHAM-POLICE")!;
        Assert.Equal("ContributeInWriting", (string)policeRow["answer"]!);
        Assert.Equal(contribution, (string)policeRow["writtenContribution"]!);
        Assert.False((bool)policeRow["answeredByLink"]!);

        // The health SPOC cannot open the police's invitation: the meetings API's 403, as the status page.
        var answerPage = await row.Locator($"a[data-answer='{reference}']").GetAttributeAsync("href");
        var health = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(health, system, "spoc.health");
        var refused = await health.GotoAsync(new Uri(system.WebAddress, answerPage!.TrimStart('/')).ToString());
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(health.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot see this page");
        Assert.DoesNotContain((string)meeting["pin"]!, await health.ContentAsync(), StringComparison.Ordinal);
    }
}
