using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The MASDG's action plan pages beyond the progress table, in Debian's Chromium against the running action plan
/// service: changing an action's status (the API's errors at their fields GOV.UK style, a Yellow without its revised
/// timescale refused, the unchanged status refused, the change recorded with its reason and shown on the progress
/// table), and the plan's quarterly exception report (a quarter typed, one the API cannot read shown at the field).
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class ActionPlanPagesTests(WebSystem system) : BrowserTests
{
    private const string Plan = "api/plans/durham-jtai-2018";

    [Fact]
    public async Task The_masdg_changes_an_actions_status_through_the_form_and_its_errors()
    {
        using var api = await system.ApiAsAsync("masdg", system.ActionPlanAddress);
        // An action not Green: Amber is then a change (Green if it already is Amber).
        var action = JsonNode.Parse(await api.GetStringAsync($"{Plan}/actions"))!.AsArray()
            .First(a => (string)a!["status"]! is "NotStarted" or "Amber")!;
        var key = (string)action["key"]!;
        var to = (string)action["status"]! == "Amber" ? "Green" : "Amber";
        var toWords = to == "Green" ? "Green: complete" : "Amber: commenced";

        var masdg = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(masdg, system, "masdg");
        await masdg.GotoAsync(new Uri(system.WebAddress, "masdg/action-plan").ToString());
        await masdg.Locator($"tr[data-action='{key}']").GetByRole(AriaRole.Link, new() { NameRegex = new("^Change status") }).ClickAsync();
        await Assertions.Expect(masdg.GetByRole(AriaRole.Heading, new() { Name = "Change the status", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(masdg.Locator("#action")).ToContainTextAsync((string)action["intent"]!);
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-action-status");

        // Nothing chosen, no reason: the API's two field errors, in the summary (linked) and at the fields.
        await Assertions.Expect(masdg.Locator("input[name='Status']:checked")).ToHaveCountAsync(0);
        await masdg.Locator("#change-status").ClickAsync();
        var summary = masdg.Locator(".govuk-error-summary");
        await Assertions.Expect(summary.Locator("a[href='#status']")).ToHaveTextAsync("Select the action's new status");
        await Assertions.Expect(summary.Locator("a[href='#reason']")).ToHaveTextAsync("Enter why the status changes");
        await Assertions.Expect(masdg.Locator("#status-error")).ToContainTextAsync("Select the action's new status");
        await Assertions.Expect(masdg.Locator("#reason-error")).ToContainTextAsync("Enter why the status changes");
        Assert.StartsWith("Error: ", await masdg.TitleAsync(), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-action-status-errors");

        // Yellow without the revised timescale and its approval: the API names each missing part at its field; a date
        // that does not read is the page's own error.
        await masdg.Locator("#status-Yellow").CheckAsync();
        await masdg.Locator("#reason").FillAsync("The executive agreed more time.");
        await masdg.Locator("#approvedOn").FillAsync("31/13/2019");
        await masdg.Locator("#change-status").ClickAsync();
        await Assertions.Expect(masdg.Locator("#revisedDueDate-error")).ToContainTextAsync("Enter the revised timescale");
        await Assertions.Expect(masdg.Locator("#approvedBy-error")).ToContainTextAsync("Enter who in the executive approved the revised timescale");
        await Assertions.Expect(masdg.Locator("#status-Yellow")).ToBeCheckedAsync();
        await Assertions.Expect(masdg.Locator("#approvedOn-error")).ToContainTextAsync("Enter the date the executive approved it as a date like 31/3/2019");
        await Assertions.Expect(masdg.Locator("#reason")).ToHaveValueAsync("The executive agreed more time.");
        Assert.Equal((string)action["status"]!, (string)JsonNode.Parse(await api.GetStringAsync($"{Plan}/actions/{key}"))!["action"]!["status"]!);

        // The change: recorded with its reason and the MASDG member's name, shown on the progress table with a banner.
        await masdg.Locator($"#status-{to}").CheckAsync();
        await masdg.Locator("#reason").FillAsync("Workshops delivered; embedding.");
        await masdg.Locator("#approvedOn").FillAsync(string.Empty);
        await masdg.Locator("#change-status").ClickAsync();
        await masdg.WaitForURLAsync(url => url.Contains("/masdg/action-plan?changed=", StringComparison.Ordinal));
        await Assertions.Expect(masdg.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"is now {toWords}");
        await Assertions.Expect(masdg.Locator($"tr[data-action='{key}'] .govuk-tag")).ToHaveTextAsync(toWords);
        var detail = JsonNode.Parse(await api.GetStringAsync($"{Plan}/actions/{key}"))!;
        Assert.Equal(to, (string)detail["action"]!["status"]!);
        var last = detail["statusHistory"]!.AsArray()[^1]!;
        Assert.Equal(("Workshops delivered; embedding.", to), ((string)last["reason"]!, (string)last["to"]!));

        // The same status again: the API's refusal (409) as the summary's title and its explanation.
        await masdg.GotoAsync(new Uri(system.WebAddress, $"masdg/action-plan/actions/{key}/status").ToString());
        await Assertions.Expect(masdg.Locator("#current-status")).ToHaveTextAsync(toWords);
        await Assertions.Expect(masdg.Locator("#history")).ToContainTextAsync("Workshops delivered; embedding.");
        await masdg.Locator($"#status-{to}").CheckAsync();
        await masdg.Locator("#reason").FillAsync("Again.");
        await masdg.Locator("#change-status").ClickAsync();
        await Assertions.Expect(summary.Locator(".govuk-error-summary__title")).ToHaveTextAsync("Status unchanged");
        await Assertions.Expect(masdg.Locator("#refusal")).ToContainTextAsync($"Action {key} is already {to}");

        // An action the plan does not have: not found.
        var unknown = await masdg.GotoAsync(new Uri(system.WebAddress, "masdg/action-plan/actions/9.9z/status").ToString());
        Assert.Equal(404, unknown!.Status);
    }

    [Fact]
    public async Task The_masdg_reads_the_action_plans_exception_report_for_a_quarter()
    {
        using var api = await system.ApiAsAsync("masdg", system.ActionPlanAddress);
        var report = JsonNode.Parse(await api.GetStringAsync($"{Plan}/reports/exceptions?quarter=2019-Q1"))!;
        var overdue = report["overdue"]!.AsArray();
        Assert.NotEmpty(overdue);

        var masdg = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(masdg, system, "masdg");
        await masdg.GotoAsync(new Uri(system.WebAddress, "masdg/action-plan").ToString());
        await masdg.GetByRole(AriaRole.Link, new() { Name = "Action plan exception report" }).ClickAsync();
        await Assertions.Expect(masdg.GetByRole(AriaRole.Heading, new() { Name = "Action plan exception report", Level = 1 })).ToBeVisibleAsync();
        // Without a quarter, the last complete one (the API's default).
        var latest = JsonNode.Parse(await api.GetStringAsync($"{Plan}/reports/exceptions"))!;
        await Assertions.Expect(masdg.Locator("#quarter-heading")).ToContainTextAsync((string)latest["quarter"]!);

        await masdg.GetByLabel("Quarter").FillAsync("2019-q1");
        await masdg.Locator("#show").ClickAsync();
        await Assertions.Expect(masdg.Locator("#quarter-heading")).ToContainTextAsync("2019-Q1");
        await Assertions.Expect(masdg.Locator("#overdue-heading")).ToHaveTextAsync($"Actions overdue ({overdue.Count})");
        await Assertions.Expect(masdg.Locator("#overdue tbody tr")).ToHaveCountAsync(overdue.Count);
        var first = overdue[0]!;
        await Assertions.Expect(masdg.Locator($"#overdue tr[data-action='{(string)first["key"]!}']")).ToContainTextAsync(((int)first["daysOverdue"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(masdg.Locator("#revised-heading")).ToHaveTextAsync($"Timescales revised ({report["revisedTimescales"]!.AsArray().Count})");
        await Assertions.Expect(masdg.Locator("#missed-heading")).ToHaveTextAsync($"Metric targets missed ({report["missedTargets"]!.AsArray().Count})");
        await Assertions.Expect(masdg.Locator("#agencies tbody tr")).ToHaveCountAsync(report["agenciesConcerned"]!.AsArray().Count);
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-action-plan-exceptions");

        // The CSV link is the API's file for the same quarter.
        var href = await masdg.Locator("a[href^='/masdg/action-plan/exception-report.csv']").GetAttributeAsync("href");
        var csv = await masdg.APIRequest.GetAsync(new Uri(system.WebAddress, href).ToString());
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal(await api.GetStringAsync($"{Plan}/reports/exceptions?quarter=2019-Q1&format=csv"), await csv.TextAsync());

        // A quarter the API cannot read: its words at the field and in the summary, the page answering 400.
        var refused = await masdg.GotoAsync(new Uri(system.WebAddress, "masdg/action-plan/exception-report?quarter=spring").ToString());
        Assert.Equal(400, refused!.Status);
        await Assertions.Expect(masdg.Locator(".govuk-error-summary a[href='#quarter']")).ToHaveTextAsync("quarter must look like 2019-Q1.");
        await Assertions.Expect(masdg.Locator("#quarter-error")).ToContainTextAsync("quarter must look like 2019-Q1.");
        await Assertions.Expect(masdg.Locator("#quarter")).ToHaveValueAsync("SPRING");
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-action-plan-exceptions-error");
    }
}
