using System.Globalization;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The convene form explains a refusal without fields: when every dial-in bridge of the team is taken at the time asked,
/// the meetings service's problem ("No free dial-in bridge": which bridge is booked by which meeting, and the next free
/// slot) is the error summary's title and explanation, with the form kept as typed; in Debian's Chromium against the
/// running services. The team's three bridges are taken by three meetings convened through the meetings API first.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class NoFreeBridgeTests(WebSystem system) : BrowserTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public async Task Convening_when_every_bridge_is_booked_shows_the_services_explanation()
    {
        // Twenty hours ahead (no other test's meeting then): the three bridges booked, one meeting each.
        var booked = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            booked.Add((string)(await system.ConveneAsync(TimeSpan.FromHours(20), $"NB-2026-{i}{system.Run}"))["reference"]!);
        }

        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, London);
        var start = now.AddHours(20).AddMinutes(1);
        string Date(DateTimeOffset at) => at.ToString("d/M/yyyy", CultureInfo.InvariantCulture);
        string Time(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);
        var caseReference = "NB-2026-X" + system.Run;

        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, "team/meetings/convene").ToString());
        await manager.Locator("#caseReference").FillAsync(caseReference);
        await manager.Locator("#concernCategory").SelectOptionAsync("DomesticAbuse");
        await manager.Locator("#incidentDate").FillAsync(Date(now.AddHours(-6)));
        await manager.Locator("#incidentDate-time").FillAsync(Time(now.AddHours(-6)));
        await manager.Locator("#decisionDate").FillAsync(Date(now.AddMinutes(-30)));
        await manager.Locator("#decisionDate-time").FillAsync(Time(now.AddMinutes(-30)));
        await manager.Locator("#thresholdReason").SelectOptionAsync("RepeatIncidentsCumulativeRisk");
        await manager.Locator("#thresholdReasonText").FillAsync("Third police call-out to the household in four weeks.");
        await manager.Locator("#startDate").FillAsync(Date(start));
        await manager.Locator("#startDate-time").FillAsync(Time(start));
        await manager.Locator("#ageBand").SelectOptionAsync("FiveToTen");
        await manager.Locator("#suggest").ClickAsync();
        await Assertions.Expect(manager.Locator(".app-invitee[data-agency='DURHAM-POLICE']")).ToBeVisibleAsync();
        await manager.Locator("#convene").ClickAsync();

        // The refusal: its title as the summary's, the service's explanation naming each booked meeting and the next slot.
        var response = manager.Locator(".govuk-error-summary");
        await Assertions.Expect(response.Locator(".govuk-error-summary__title")).ToHaveTextAsync("No free dial-in bridge");
        var refusal = manager.Locator("#refusal");
        await Assertions.Expect(refusal).ToContainTextAsync("Every bridge of Families First Easington is booked between");
        foreach (var reference in booked)
        {
            await Assertions.Expect(refusal).ToContainTextAsync($"is booked for {reference}");
        }

        await Assertions.Expect(refusal).ToContainTextAsync("The next free slot of that length starts");
        // Nothing was convened, and the form is as typed, to change the time and send again.
        Assert.EndsWith("/team/meetings/convene", new Uri(manager.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(caseReference, await manager.Locator("#caseReference").InputValueAsync());
        Assert.Equal(Time(start), await manager.Locator("#startDate-time").InputValueAsync());
        await PageChecks.AssertAccessibleAsync(manager, "convene-no-free-bridge");
    }
}
