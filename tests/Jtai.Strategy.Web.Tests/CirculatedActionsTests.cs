using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The actions circulated after a meeting, in Debian's Chromium against the running services: a SPOC finds the records
/// circulated to the agency and reads one (the meeting, what each agency must do by when, its versions), while the
/// SPOC of an agency that was not invited gets the meetings API's refusal as the status page; a team manager corrects a
/// saved record before circulating it, then amends
/// the circulated actions with the keyboard (the service's errors in the summary and at the fields first), and the
/// SPOC then reads version 2, why it changed and what changed, and version 1 as it was.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class CirculatedActionsTests(WebSystem system) : BrowserTests
{
    private static string Day(DateTimeOffset at) => at.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_spoc_reads_the_actions_circulated_to_the_agency_and_a_spoc_of_an_agency_not_invited_cannot()
    {
        // Convened without the health trust (left out with a reason), so its SPOC is of an agency that was not invited.
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(26), "LL-2026-C" + system.Run, leaveOut: "CDDFT");
        var reference = (string)meeting["reference"]!;
        var meetingId = (string)meeting["id"]!;
        var due = DateTimeOffset.UtcNow.AddDays(3);
        await RecordAndCirculateAsync(meeting, [("Check the household's call-out history", "DURHAM-POLICE", due), ("Social worker visits the school", "DCC-CSC", due.AddDays(1))]);

        // The police SPOC goes from the navigation to the circulated actions, and on to the record.
        var police = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(police, system, "spoc.police");
        // Linked from the agency's invitations, where the SPOC lands, and from the navigation.
        await Assertions.Expect(police.Locator("main").GetByRole(AriaRole.Link, new() { Name = "circulated actions" })).ToHaveAttributeAsync("href", "/agency/circulated-actions");
        await police.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "Circulated actions" }).ClickAsync();
        await Assertions.Expect(police.GetByRole(AriaRole.Heading, new() { Name = "Circulated actions" })).ToBeVisibleAsync();
        var row = police.Locator($"tr[data-meeting='{reference}']");
        await Assertions.Expect(row).ToContainTextAsync("Version 1");
        await Assertions.Expect(row).ToContainTextAsync("2 in all, 1 for your agency");
        await PageChecks.AssertAccessibleAsync(police, "spoc-circulated-actions");

        await row.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Assertions.Expect(police.GetByRole(AriaRole.Heading, new() { Name = "Record and agreed actions" })).ToBeVisibleAsync();
        await Assertions.Expect(police.Locator("#version")).ToHaveTextAsync("Version 1, the current version");
        var own = police.Locator("#actions tr[data-own='true']");
        await Assertions.Expect(own).ToHaveCountAsync(1);
        await Assertions.Expect(own).ToContainTextAsync("Check the household's call-out history");
        await Assertions.Expect(own).ToContainTextAsync("Your agency");
        await Assertions.Expect(own).ToContainTextAsync(Day(due));
        await Assertions.Expect(police.Locator("#actions tr[data-action='2']")).ToContainTextAsync("Social worker visits the school");
        await Assertions.Expect(police.Locator("#meeting")).ToContainTextAsync("LL-2026-C" + system.Run);
        await Assertions.Expect(police.Locator("#versions tr[data-version='1']")).ToContainTextAsync("Current");
        await Assertions.Expect(police.Locator("#versions tr[data-version='1']")).ToContainTextAsync("First circulation");
        await Assertions.Expect(police.Locator("#changes")).ToHaveCountAsync(0);
        await PageChecks.AssertAccessibleAsync(police, "spoc-circulated-record");

        // The health SPOC's agency was not invited: the list leaves the record out, and its address answers as the API does (403).
        var health = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(health, system, "spoc.health");
        await health.GotoAsync(new Uri(system.WebAddress, "agency/circulated-actions").ToString());
        await Assertions.Expect(health.GetByRole(AriaRole.Heading, new() { Name = "Circulated actions" })).ToBeVisibleAsync();
        await Assertions.Expect(health.Locator($"tr[data-meeting='{reference}']")).ToHaveCountAsync(0);
        var refused = await health.GotoAsync(new Uri(system.WebAddress, $"agency/circulated-actions/{meetingId}").ToString());
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(health.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot see this page");
        var healthSees = await health.ContentAsync();
        Assert.DoesNotContain(reference, healthSees, StringComparison.Ordinal);
        Assert.DoesNotContain("call-out history", healthSees, StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(health, "spoc-circulated-record-forbidden");

        // No such meeting: the API's 404, as the status page.
        var missing = await police.GotoAsync(new Uri(system.WebAddress, $"agency/circulated-actions/{Guid.NewGuid()}").ToString());
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(police.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");

        // The pages are the SPOCs': a team manager is refused, and has no link to them.
        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await Assertions.Expect(manager.GetByRole(AriaRole.Link, new() { Name = "Circulated actions" })).ToHaveCountAsync(0);
        var managerRefused = await manager.GotoAsync(new Uri(system.WebAddress, "agency/circulated-actions").ToString());
        Assert.Equal(403, managerRefused!.Status);
    }

    [Fact]
    public async Task A_manager_amends_the_circulated_actions_by_keyboard_and_the_spoc_reads_version_2_and_what_changed()
    {
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(30), "LL-2026-A" + system.Run);
        var reference = (string)meeting["reference"]!;
        var meetingId = (string)meeting["id"]!;
        var due = DateTimeOffset.UtcNow.AddDays(3);
        await RecordAndCirculateAsync(meeting, [("Check the household's call-out history", "DURHAM-POLICE", due)], circulate: false);

        // Before circulating, the manager corrects the saved record: the form holds it as saved; the chair is changed by keyboard.
        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, $"team/meetings/{meetingId}/record").ToString());
        await manager.Locator("#correct-link").ClickAsync();
        await Assertions.Expect(manager.Locator("#correcting")).ToBeVisibleAsync();
        Assert.Equal("M. Easington", await manager.Locator("#chairName").InputValueAsync());
        Assert.Equal("DCC-CSC", await manager.Locator("#chairAgencyCode").InputValueAsync());
        Assert.Equal("AttendedInPerson", await manager.Locator("#attendance-DURHAM-POLICE").InputValueAsync());
        Assert.Equal("Check the household's call-out history", await manager.Locator("#action-0-description").InputValueAsync());
        Assert.True(await manager.Locator("#sectionFortySeven").IsCheckedAsync());
        await PageChecks.AssertAccessibleAsync(manager, "record-correct");
        await KeyboardSteps.TypeAsync(manager, "#chairName", "Alex Chair");
        await KeyboardSteps.KeyboardToAsync(manager, "#save-record");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.Locator("#corrected")).ToHaveTextAsync("The record was corrected. It is not circulated yet.");
        await Assertions.Expect(manager.Locator("#circulation")).ToContainTextAsync("chaired by Alex Chair");
        await Assertions.Expect(manager.Locator("#actions")).ToContainTextAsync("Check the household's call-out history");
        using (var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress))
        {
            var saved = JsonNode.Parse(await api.GetStringAsync($"api/meetings/{meetingId}/record"))!;
            Assert.Equal("Alex Chair", (string)saved["chairName"]!);
            Assert.Equal("Wants to stay at her school.", (string)saved["childViewsText"]!);
            Assert.Single(saved["actions"]!.AsArray());
        }

        await manager.Locator("#circulate").ClickAsync();
        await Assertions.Expect(manager.Locator("#circulation-state")).ToHaveTextAsync("Circulated on time");
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Amend the agreed actions" })).ToBeVisibleAsync();
        // The form starts from the actions as circulated.
        Assert.Equal("Check the household's call-out history", await manager.Locator("#action-0-description").InputValueAsync());
        Assert.Equal("DURHAM-POLICE", await manager.Locator("#action-0-owner").InputValueAsync());

        // Sent without a reason and with a second action that has no owner: the meetings service's errors, in the summary and at the fields.
        await KeyboardSteps.TypeAsync(manager, "#action-1-description", "Health visitor visits within 5 days");
        await KeyboardSteps.TypeAsync(manager, "#action-1-due", due.AddDays(2).ToString("d/M/yyyy", CultureInfo.InvariantCulture));
        await KeyboardSteps.KeyboardToAsync(manager, "#amend-submit");
        await manager.Keyboard.PressAsync("Enter");
        var summary = manager.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        await Assertions.Expect(summary.Locator("a[href='#amendmentReason']")).ToHaveTextAsync("Enter why the agreed actions are changing");
        await Assertions.Expect(summary.Locator("a[href='#action-1-owner']")).ToContainTextAsync("The owner must be an agency invited to the meeting");
        await Assertions.Expect(manager.Locator("#amendmentReason-error")).ToBeVisibleAsync();
        await Assertions.Expect(manager.Locator("#action-1-owner-error")).ToBeVisibleAsync();
        // What was typed is kept.
        Assert.Equal("Health visitor visits within 5 days", await manager.Locator("#action-1-description").InputValueAsync());
        await PageChecks.AssertAccessibleAsync(manager, "record-amend-error");

        // Keyboard alone: the reason, the second action's owner (arrow keys), the first action's new due date, then Enter.
        const string reason = "The health visitor's visit was agreed but left off the first version.";
        await KeyboardSteps.TypeAsync(manager, "#amendmentReason", reason);
        await KeyboardSteps.KeyboardToAsync(manager, "#action-1-owner");
        var owners = await manager.Locator("#action-1-owner option").AllInnerTextsAsync();
        var health = await manager.Locator("#action-1-owner option[value='CDDFT']").InnerTextAsync();
        for (var i = 0; i < owners.ToList().IndexOf(health); i++)
        {
            await manager.Keyboard.PressAsync("ArrowDown");
        }

        Assert.Equal("CDDFT", await manager.Locator("#action-1-owner").InputValueAsync());
        var newDue = due.AddDays(7);
        await KeyboardSteps.TypeAsync(manager, "#action-0-due", newDue.ToString("d/M/yyyy", CultureInfo.InvariantCulture));
        await PageChecks.AssertAccessibleAsync(manager, "record-amend");
        await KeyboardSteps.KeyboardToAsync(manager, "#amend-submit");
        await manager.Keyboard.PressAsync("Enter");

        await Assertions.Expect(manager.Locator("#amended")).ToHaveTextAsync("Version 2 of the agreed actions was circulated to the agencies.");
        await Assertions.Expect(manager.Locator("#circulations li[data-version='2']")).ToContainTextAsync(reason);
        await Assertions.Expect(manager.Locator("#actions")).ToContainTextAsync("Health visitor visits within 5 days");
        await PageChecks.AssertAccessibleAsync(manager, "record-amended");

        // The meetings service holds version 2 with the reason and the new list; version 1 as it was.
        using var managerApi = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var record = JsonNode.Parse(await managerApi.GetStringAsync($"api/meetings/{meetingId}/record"))!;
        var circulations = record["circulations"]!.AsArray();
        Assert.Equal(2, circulations.Count);
        Assert.Equal(reason, (string)circulations[1]!["amendmentReason"]!);
        Assert.Equal(DateOnly.FromDateTime(due.UtcDateTime), DateOnly.Parse((string)circulations[0]!["actions"]![0]!["dueDate"]!, CultureInfo.InvariantCulture));
        Assert.Equal(DateOnly.FromDateTime(newDue.UtcDateTime), DateOnly.Parse((string)circulations[1]!["actions"]![0]!["dueDate"]!, CultureInfo.InvariantCulture));
        Assert.Equal("CDDFT", (string)circulations[1]!["actions"]![1]!["ownerAgencyCode"]!);

        // The police SPOC reads version 2 as current, why it changed and what changed; version 1 stays readable.
        var police = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(police, system, "spoc.police");
        await police.GotoAsync(new Uri(system.WebAddress, "agency/circulated-actions").ToString());
        await Assertions.Expect(police.Locator($"tr[data-meeting='{reference}']")).ToContainTextAsync("Version 2 (amended)");
        await police.Locator($"tr[data-meeting='{reference}']").GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Assertions.Expect(police.Locator("#version")).ToHaveTextAsync("Version 2, the current version");
        var changes = police.Locator("#changes");
        await Assertions.Expect(changes).ToContainTextAsync(reason);
        await Assertions.Expect(changes.Locator("li[data-change='Changed']")).ToContainTextAsync($"due: {Day(due)} is now {Day(newDue)}");
        await Assertions.Expect(changes.Locator("li[data-change='Added']")).ToContainTextAsync("Health visitor visits within 5 days (CDDFT");
        await Assertions.Expect(police.Locator("#versions tr[data-version='2']")).ToContainTextAsync("Current");
        await Assertions.Expect(police.Locator("#versions tr[data-version='2']")).ToContainTextAsync(reason);
        await PageChecks.AssertAccessibleAsync(police, "spoc-circulated-record-amended");

        await police.Locator("#versions").GetByRole(AriaRole.Link, new() { Name = "Version 1" }).ClickAsync();
        await Assertions.Expect(police.Locator("#version")).ToHaveTextAsync("Version 1");
        await Assertions.Expect(police.Locator(".govuk-warning-text")).ToContainTextAsync("It was replaced");
        await Assertions.Expect(police.Locator("#actions tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(police.Locator("#actions")).ToContainTextAsync(Day(due));
        await PageChecks.AssertAccessibleAsync(police, "spoc-circulated-record-version-1");
    }


    [Fact]
    public async Task The_circulation_emails_sign_in_link_opens_the_records_page_after_sign_in()
    {
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(27), "LL-2026-E" + system.Run);
        var reference = (string)meeting["reference"]!;
        var meetingId = (string)meeting["id"]!;
        await RecordAndCirculateAsync(meeting, [("Share the call-out history with the school", "DURHAM-POLICE", DateTimeOffset.UtcNow.AddDays(4))]);

        // The e-mail in the SMTP sink: its link is the web service's record page, not the API's JSON.
        var police = system.SpocEmails["DURHAM-POLICE"];
        MimeKit.MimeMessage? email = null;
        for (var waited = 0; email is null && waited < 300; waited++)
        {
            email = SmtpMailbox.To(system.MailDir, police).FirstOrDefault(m => (m.Subject ?? "").Contains(reference, StringComparison.Ordinal)
                && (m.Subject ?? "").Contains("agreed actions circulated", StringComparison.Ordinal));
            if (email is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(email);
        var link = new Uri(system.WebAddress, $"agency/circulated-actions/{meetingId}");
        Assert.Contains(link.ToString(), email.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("api/circulated-records", email.TextBody + email.HtmlBody, StringComparison.Ordinal);

        // Opened in a browser not signed in: the provider's sign-in first, then the record itself.
        var page = await Chromium.NewPageAsync();
        await page.GotoAsync(link.ToString());
        Assert.StartsWith(system.Authority.GetLeftPart(UriPartial.Authority), page.Url, StringComparison.Ordinal);
        await page.Locator("input[name='user'][value='spoc.police']").CheckAsync();
        await page.GetByLabel("Password").FillAsync(WebSystem.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(link.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Record and agreed actions" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#actions tr[data-own='true']")).ToContainTextAsync("Share the call-out history with the school");
        await Assertions.Expect(page.Locator("#meeting")).ToContainTextAsync("LL-2026-E" + system.Run);
    }

    /// <summary>Records the meeting as held just now (every invited agency in person), with these actions, and circulates version 1 (unless told not to).</summary>
    private async Task RecordAndCirculateAsync(JsonNode meeting, IReadOnlyList<(string Description, string Owner, DateTimeOffset Due)> actions, bool circulate = true)
    {
        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var meetingId = (string)meeting["id"]!;
        var heldAt = DateTimeOffset.UtcNow.AddMinutes(-25);
        var invited = meeting["agencies"]!.AsArray().Where(a => (bool)a!["invited"]!).Select(a => (string)a!["agencyCode"]!).ToList();
        var recorded = await api.PutAsJsonAsync($"api/meetings/{meetingId}/record", new
        {
            actualStart = heldAt,
            actualEnd = heldAt.AddMinutes(20),
            chairName = "M. Easington",
            chairAgencyCode = "DCC-CSC",
            attendance = invited.Select(a => new { agencyCode = a, mode = "AttendedInPerson" }),
            belowMinimumReason = invited.Contains("CDDFT") ? null : "Other",
            belowMinimumReasonText = invited.Contains("CDDFT") ? null : "Health had shared what it knows beforehand.",
            sectionFortySevenEnquiry = true,
            investigation = "JointWithPolice",
            immediateSafetyActions = "Child stays with grandmother tonight.",
            familyTold = "Mother told of the enquiry by the social worker.",
            childViews = "Recorded",
            childViewsText = "Wants to stay at her school.",
        });
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        var saved = await api.PutAsJsonAsync($"api/meetings/{meetingId}/record/actions", new
        {
            actions = actions.Select(a => new { description = a.Description, ownerAgencyCode = a.Owner, dueDate = DateOnly.FromDateTime(a.Due.UtcDateTime), status = "Open" }),
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        if (!circulate)
        {
            return;
        }

        var circulated = await api.PostAsJsonAsync($"api/meetings/{meetingId}/record/circulations", new { });
        Assert.True(circulated.IsSuccessStatusCode, await circulated.Content.ReadAsStringAsync());
    }
}

/// <summary>Keyboard steps shared by the browser tests: Tab to an element, type into a field.</summary>
public static class KeyboardSteps
{
    /// <summary>Presses Tab (or Shift+Tab when the element is behind) until the element is focused: it is reachable by keyboard.</summary>
    public static async Task KeyboardToAsync(IPage page, string selector)
    {
        var target = page.Locator(selector).First;
        for (var i = 0; i < 120; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            // Behind the focus (the element precedes the focused one in the document): go back; otherwise forward.
            var behind = await target.EvaluateAsync<bool>("e => !!document.activeElement && document.activeElement !== document.body && !!(e.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)");
            await page.Keyboard.PressAsync(behind ? "Shift+Tab" : "Tab");
        }

        Assert.Fail($"{selector} was not reached with the Tab key");
    }

    /// <summary>Tabs to a list and moves down it with the arrow key from its "Select" line.</summary>
    public static async Task ChooseAsync(IPage page, string selector, int steps, string expected)
    {
        await KeyboardToAsync(page, selector);
        for (var i = 0; i < steps; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        Assert.Equal(expected, await page.Locator(selector).InputValueAsync());
    }

    /// <summary>Tabs to a field, selects what it holds and types over it.</summary>
    public static async Task TypeAsync(IPage page, string selector, string text)
    {
        await KeyboardToAsync(page, selector);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(text);
    }
}
