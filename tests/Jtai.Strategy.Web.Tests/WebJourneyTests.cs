using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The web service in Debian's Chromium against the running services, broker, database, SMTP sink and OIDC provider:
/// a manager signs in through the provider's form and sees the team's meeting; the SPOC opens the answer link read
/// from the e-mail in the SMTP sink and answers in writing with the keyboard alone; the answer is recorded, and the SPOC
/// of another agency invited to the same meeting sees none of it; a used or
/// tampered link shows an HTML page that says why. Every page passes axe (no serious or critical violation) at
/// desktop width and at 320 px, and leaves a screenshot under .local/screenshots/.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class WebJourneyTests(WebSystem system) : BrowserTests
{
    private static readonly TimeSpan MailWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_manager_sees_the_meeting_and_the_spoc_answers_in_writing_by_keyboard_from_the_emailed_link()
    {
        var caseReference = "LL-2026-" + system.Run;
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(3), caseReference);
        var reference = (string)meeting["reference"]!;
        var meetingId = (string)meeting["id"]!;

        // The manager signs in through the provider's sign-in form and lands on the team's meetings.
        var manager = await Chromium.NewPageAsync();
        await SignInAsync(manager, "manager.easington");
        await Assertions.Expect(manager).ToHaveURLAsync(new Uri(system.WebAddress, "team/meetings").ToString());
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "My team's meetings" })).ToBeVisibleAsync();
        var row = manager.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });
        var invited = meeting["agencies"]!.AsArray().Count(a => (bool)a!["invited"]!);
        await Assertions.Expect(row).ToContainTextAsync($"0 of {invited}");
        Assert.DoesNotContain(caseReference, await manager.ContentAsync(), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(manager, "team-meetings");

        await row.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = reference })).ToBeVisibleAsync();
        await Assertions.Expect(manager.Locator("tr[data-agency='DURHAM-POLICE']")).ToContainTextAsync("No answer yet");
        await PageChecks.AssertAccessibleAsync(manager, "meeting-board");
        // The page listens for the meeting's changes (server-sent events from the web service's bus consumer).
        await Assertions.Expect(manager.Locator("#live-board[data-live='true']")).ToBeAttachedAsync();
        await Assertions.Expect(manager.Locator("#live-status")).ToHaveTextAsync("Answers show here as they arrive.");
        var boardLoads = 0;
        manager.Load += (_, _) => boardLoads++;

        // The police SPOC's invitation, as the SMTP sink received it: its answer link goes to the meetings service.
        var police = system.SpocEmails["DURHAM-POLICE"];
        var mail = (await Eventually.GetAsync(() => Task.FromResult(SmtpMailbox.Invitations(system.MailDir, police, reference)), m => m.Count > 0, MailWithin, "the police SPOC's invitation arrives"))[0];
        var link = SmtpMailbox.AnswerLink(mail);
        Assert.Equal(system.MeetingsAddress.Authority, link.Authority);

        // No sign-in: the browser is sent on to the web service's answer page, which shows the meeting's details.
        var spoc = await Chromium.NewPageAsync();
        var opened = await spoc.GotoAsync(link.ToString());
        Assert.Equal(200, opened!.Status);
        Assert.StartsWith(new Uri(system.WebAddress, "answer/").ToString(), spoc.Url, StringComparison.Ordinal);
        Assert.StartsWith("text/html", await opened.HeaderValueAsync("content-type") ?? "", StringComparison.Ordinal);
        await Assertions.Expect(spoc.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Will Durham Constabulary take part?");
        var details = spoc.Locator(".govuk-summary-list");
        await Assertions.Expect(details).ToContainTextAsync(reference);
        await Assertions.Expect(details).ToContainTextAsync((string)meeting["dialInNumber"]!);
        await Assertions.Expect(details).ToContainTextAsync((string)meeting["pin"]!);
        Assert.DoesNotContain(caseReference, await spoc.ContentAsync(), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(spoc, "answer");

        // Sent with nothing chosen: the GOV.UK error summary, linked to the question, from the meetings API's validation.
        await KeyboardToAsync(spoc, "button.govuk-button");
        await spoc.Keyboard.PressAsync("Enter");
        await Assertions.Expect(spoc.Locator(".govuk-error-summary")).ToContainTextAsync("Select how your agency will take part, or decline");
        await Assertions.Expect(spoc.Locator("#answer-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(spoc, "answer-error");

        // Keyboard alone: Tab to the first option, arrows to "In writing", Tab into the contribution, type, Tab to send, Enter.
        const string contribution = "Two call-outs on record (12 and 19 Feb); no arrests.\nOfficer in case available by phone.";
        await KeyboardToAsync(spoc, "#answer");
        await spoc.Keyboard.PressAsync("ArrowDown");
        await spoc.Keyboard.PressAsync("ArrowDown");
        Assert.True(await spoc.Locator("#answer-ContributeInWriting").IsCheckedAsync());
        await spoc.Keyboard.PressAsync("Tab");
        Assert.Equal("writtenContribution", await spoc.EvaluateAsync<string>("() => document.activeElement.id"));
        await spoc.Keyboard.TypeAsync(contribution);
        await KeyboardToAsync(spoc, "button.govuk-button");
        await spoc.Keyboard.PressAsync("Enter");

        await Assertions.Expect(spoc.GetByRole(AriaRole.Heading, new() { Name = "Answer sent" })).ToBeVisibleAsync();
        await Assertions.Expect(spoc.Locator(".govuk-panel")).ToContainTextAsync(reference);
        await PageChecks.AssertAccessibleAsync(spoc, "answer-sent");

        // Recorded by the meetings service: its API shows the answer, by link, with the contribution as typed.
        using var managerApi = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var board = JsonNode.Parse(await managerApi.GetStringAsync($"api/meetings/{meetingId}/board"))!;
        var policeRow = board["agencies"]!.AsArray().Single(a => (string)a!["agencyCode"]! == "DURHAM-POLICE")!;
        Assert.Equal("ContributeInWriting", (string)policeRow["answer"]!);
        Assert.Equal(contribution, (string)policeRow["writtenContribution"]!);
        Assert.True((bool)policeRow["answeredByLink"]!);

        // And the manager's open board shows it without a reload, within 5 s.
        await Assertions.Expect(manager.Locator("tr[data-agency='DURHAM-POLICE']")).ToContainTextAsync("In writing", new() { Timeout = 5000 });
        await Assertions.Expect(manager.Locator(".app-contribution")).ToContainTextAsync("Officer in case available by phone.", new() { Timeout = 5000 });
        Assert.Equal(0, boardLoads);
        await Assertions.Expect(manager.Locator("#live-status")).ToContainTextAsync("Updated at");

        // Signed in, the police SPOC sees the answer on the agency's invitations; the health SPOC, invited to the same
        // meeting, sees its own invitation unanswered and nothing of the police's answer.
        var policeSpoc = await Chromium.NewPageAsync();
        await SignInAsync(policeSpoc, "spoc.police");
        await Assertions.Expect(policeSpoc.Locator($"tr[data-meeting='{reference}']")).ToContainTextAsync("In writing");
        var healthSpoc = await Chromium.NewPageAsync();
        await SignInAsync(healthSpoc, "spoc.health");
        await Assertions.Expect(healthSpoc.GetByRole(AriaRole.Heading, new() { Name = "My agency's invitations" })).ToBeVisibleAsync();
        await Assertions.Expect(healthSpoc.Locator($"tr[data-meeting='{reference}']")).ToContainTextAsync("No answer yet");
        var healthSees = await healthSpoc.ContentAsync();
        Assert.DoesNotContain("In writing", healthSees, StringComparison.Ordinal);
        Assert.DoesNotContain("Officer in case", healthSees, StringComparison.Ordinal);

        // The link answers once: opened again, an HTML page says so (409), not JSON.
        var again = await spoc.GotoAsync(link.ToString());
        Assert.Equal(409, again!.Status);
        await Assertions.Expect(spoc.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Link already used");
        await PageChecks.AssertAccessibleAsync(spoc, "answer-link-used");
    }

    [Fact]
    public async Task A_tampered_link_shows_a_clear_error_page_not_json_or_a_stack_trace()
    {
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(8), "LL-2026-T" + system.Run);
        var health = system.SpocEmails["CDDFT"];
        var mails = await Eventually.GetAsync(
            () => Task.FromResult(SmtpMailbox.Invitations(system.MailDir, health, (string)meeting["reference"]!)),
            m => m.Count > 0, MailWithin, "the health SPOC's invitation arrives");
        var link = SmtpMailbox.AnswerLink(mails[0]).ToString();
        // One character of the signed payload changed.
        var at = link.LastIndexOf('/') + 3;
        var tampered = link[..at] + (link[at] == 'A' ? 'B' : 'A') + link[(at + 1)..];

        var page = await Chromium.NewPageAsync();
        var response = await page.GotoAsync(tampered);
        Assert.Equal(400, response!.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type") ?? "", StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Link invalid");
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"status\"", text, StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(page, "answer-link-invalid");

        // A machine asking the same link for JSON still gets the meetings API's problem.
        using var machine = new HttpClient();
        var problem = await machine.GetAsync(tampered);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Equal("Link invalid", (string)JsonNode.Parse(await problem.Content.ReadAsStringAsync())!["title"]!);
    }

    [Fact]
    public async Task Each_role_lands_on_its_page_and_another_teams_or_roles_pages_are_forbidden()
    {
        var start = await Chromium.NewPageAsync();
        await start.GotoAsync(system.WebAddress.ToString());
        await Assertions.Expect(start.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Strategy meetings");
        await PageChecks.AssertAccessibleAsync(start, "start");
        await start.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(start.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(start, "provider-sign-in", ofTheWebService: false);

        // A SPOC lands on the agency's invitations (the meeting just convened is there); the team manager's pages are forbidden (403).
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(13), "LL-2026-F" + system.Run);
        var reference = (string)meeting["reference"]!;
        var spoc = await Chromium.NewPageAsync();
        await SignInAsync(spoc, "spoc.police");
        await Assertions.Expect(spoc).ToHaveURLAsync(new Uri(system.WebAddress, "agency/invitations").ToString());
        await Assertions.Expect(spoc.GetByRole(AriaRole.Heading, new() { Name = "My agency's invitations" })).ToBeVisibleAsync();
        await Assertions.Expect(spoc.Locator($"tr[data-meeting='{reference}']")).ToContainTextAsync("No answer yet");
        await Assertions.Expect(spoc.GetByRole(AriaRole.Link, new() { Name = "My team's meetings" })).ToHaveCountAsync(0);
        await PageChecks.AssertAccessibleAsync(spoc, "agency-invitations");
        var forbidden = await spoc.GotoAsync(new Uri(system.WebAddress, "team/meetings").ToString());
        Assert.Equal(403, forbidden!.Status);
        await Assertions.Expect(spoc.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot see this page");
        await PageChecks.AssertAccessibleAsync(spoc, "forbidden");

        // Another team's manager cannot open this team's meeting: the meetings API refuses, the page says so.
        var other = await Chromium.NewPageAsync();
        await SignInAsync(other, "manager.derwentside");
        await Assertions.Expect(other.GetByRole(AriaRole.Row).Filter(new() { HasText = reference })).ToHaveCountAsync(0);
        await other.GotoAsync(new Uri(system.WebAddress, $"team/meetings/{(string)meeting["id"]!}").ToString());
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot see this page");
        Assert.DoesNotContain(reference, await other.ContentAsync(), StringComparison.Ordinal);
        // Nor listen to its changes: the live board's stream authorises as the page does.
        var changes = new Uri(system.WebAddress, $"team/meetings/{(string)meeting["id"]!}/changes").ToString();
        foreach (var (who, page) in new[] { ("another team's manager", other), ("a SPOC", spoc) })
        {
            var stream = await page.APIRequest.GetAsync(changes, new() { MaxRedirects = 0, Timeout = 10_000 });
            Assert.True(stream.Status is 302 or 403, $"{who} got {stream.Status} from the board's changes");
            Assert.DoesNotContain("text/event-stream", stream.Headers.GetValueOrDefault("content-type") ?? "", StringComparison.Ordinal);
        }

        // Signing out ends the session here and at the provider.
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).First.ClickAsync();
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have signed out");
        await other.GotoAsync(new Uri(system.WebAddress, "team/meetings").ToString());
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_manager_convenes_with_the_keyboard_alone_and_sees_who_was_invited_and_why()
    {
        var caseReference = "LL-2026-K" + system.Run;
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, london);
        string Date(DateTimeOffset at) => at.ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        string Time(DateTimeOffset at) => at.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var incident = now.AddHours(-6);
        var decision = now.AddMinutes(-30);
        // Five hours ahead: clear of the other tests' meetings, so a bridge is free.
        var start = now.AddHours(5);

        var manager = await Chromium.NewPageAsync();
        await SignInAsync(manager, "manager.easington");
        await KeyboardToAsync(manager, "a[href='/team/meetings/convene']");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Convene a strategy meeting" })).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(manager, "convene");

        // Sent empty: the meetings service's field errors, in GOV.UK words, in the summary and at each field.
        await KeyboardToAsync(manager, "#convene");
        await manager.Keyboard.PressAsync("Enter");
        var summary = manager.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the case reference");
        await Assertions.Expect(summary).ToContainTextAsync("Select the category of concern");
        await Assertions.Expect(summary).ToContainTextAsync("Enter the date and time of the incident");
        await Assertions.Expect(summary).ToContainTextAsync("Select the child's age");
        await Assertions.Expect(manager.Locator("#caseReference-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(manager, "convene-error");

        // Keyboard alone: Tab to each field and type; arrow keys in the lists.
        await TypeAsync(manager, "#caseReference", caseReference);
        await ChooseAsync(manager, "#concernCategory", 1, "DomesticAbuse");
        await TypeAsync(manager, "#incidentDate", Date(incident));
        await TypeAsync(manager, "#incidentDate-time", Time(incident));
        await TypeAsync(manager, "#decisionDate", Date(decision));
        await TypeAsync(manager, "#decisionDate-time", Time(decision));
        await ChooseAsync(manager, "#thresholdReason", 3, "RepeatIncidentsCumulativeRisk");
        await TypeAsync(manager, "#thresholdReasonText", "Third police call-out to the household in four weeks.");
        await TypeAsync(manager, "#startDate", Date(start));
        await TypeAsync(manager, "#startDate-time", Time(start));
        await ChooseAsync(manager, "#ageBand", 3, "FiveToTen");
        await KeyboardToAsync(manager, "#suggest");
        await manager.Keyboard.PressAsync("Enter");

        // The rules' suggestions, each with the rule behind it; the national minimum marked.
        var police = manager.Locator(".app-invitee[data-agency='DURHAM-POLICE']");
        await Assertions.Expect(police).ToContainTextAsync("national minimum");
        await Assertions.Expect(police.Locator(".govuk-hint")).ToContainTextAsync("Why:");
        Assert.True(await manager.Locator("#invite-DURHAM-POLICE").IsCheckedAsync());
        Assert.Equal(caseReference, await manager.Locator("#caseReference").InputValueAsync());
        await PageChecks.AssertAccessibleAsync(manager, "convene-suggested");

        await KeyboardToAsync(manager, "#convene");
        await manager.Keyboard.PressAsync("Enter");
        await manager.WaitForLoadStateAsync();
        var refused = manager.Locator(".govuk-error-summary");
        Assert.True(await refused.CountAsync() == 0, "Convening was refused: " + (await refused.CountAsync() > 0 ? await refused.InnerTextAsync() : ""));
        Assert.True(manager.Url.EndsWith("/convened", StringComparison.Ordinal), $"Convening led to {manager.Url}: {await manager.Locator("h1").InnerTextAsync()}");
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Meeting convened" })).ToBeVisibleAsync();
        await Assertions.Expect(manager.Locator("#invited li[data-agency='DURHAM-POLICE']")).ToContainTextAsync("National minimum");
        await Assertions.Expect(manager.Locator("#invited li[data-agency='CDDFT']")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(manager, "convened");

        // The meetings service holds it as typed: the case reference, the decision's minute, the start in UK time.
        var meetingId = manager.Url.Split('/')[^2];
        using var managerApi = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var meeting = JsonNode.Parse(await managerApi.GetStringAsync($"api/meetings/{meetingId}"))!;
        Assert.Equal(caseReference, (string)meeting["caseReference"]!);
        Assert.Equal("DomesticAbuse", (string)meeting["concernCategory"]!);
        Assert.Equal(new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, start.Offset), (DateTimeOffset)meeting["scheduledStart"]!);
        Assert.Equal(60, ((DateTimeOffset)meeting["scheduledEnd"]! - (DateTimeOffset)meeting["scheduledStart"]!).TotalMinutes);
        Assert.Contains(meeting["invitations"]!.AsArray(), i => (string)i!["agencyCode"]! == "DURHAM-POLICE");

        // The manager records the held meeting (it is recorded by its actual times, which have passed) and circulates it.
        await manager.GetByRole(AriaRole.Link, new() { Name = "Follow the answers" }).ClickAsync();
        await manager.Locator("#record-link").ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Record of the meeting" })).ToBeVisibleAsync();
        await manager.Locator("#save-record").ClickAsync();
        await Assertions.Expect(manager.Locator(".govuk-error-summary")).ToContainTextAsync("chairName is required");
        await PageChecks.AssertAccessibleAsync(manager, "record-error");

        var heldFrom = now.AddMinutes(-25);
        var heldTo = now.AddMinutes(-5);
        await manager.Locator("#startDate").FillAsync(Date(heldFrom));
        await manager.Locator("#startDate-time").FillAsync(Time(heldFrom));
        await manager.Locator("#endDate").FillAsync(Date(heldTo));
        await manager.Locator("#endDate-time").FillAsync(Time(heldTo));
        await manager.Locator("#chairName").FillAsync("M. Easington");
        await manager.Locator("#chairAgencyCode").SelectOptionAsync("DCC-CSC");
        foreach (var attendance in await manager.Locator("select[id^='attendance-']").AllAsync())
        {
            await attendance.SelectOptionAsync("AttendedInPerson");
        }

        await manager.Locator("#sectionFortySeven").CheckAsync();
        await manager.Locator("#investigation").SelectOptionAsync("JointWithPolice");
        await manager.Locator("#immediateSafetyActions").FillAsync("Child stays with grandmother tonight.");
        await manager.Locator("#familyTold").FillAsync("Mother told of the enquiry by the social worker.");
        await manager.Locator("#childViews-not").CheckAsync();
        await manager.Locator("#action-0-description").FillAsync("Joint visit to the family home");
        await manager.Locator("#action-0-owner").SelectOptionAsync("DURHAM-POLICE");
        await manager.Locator("#action-0-due").FillAsync(Date(now.AddDays(2)));
        await PageChecks.AssertAccessibleAsync(manager, "record");
        await manager.Locator("#save-record").ClickAsync();

        await Assertions.Expect(manager.Locator("#circulation-state")).ToContainTextAsync("Due by");
        await Assertions.Expect(manager.Locator("#circulation-state")).ToContainTextAsync("left");
        await Assertions.Expect(manager.Locator("#actions")).ToContainTextAsync("Joint visit to the family home");
        await PageChecks.AssertAccessibleAsync(manager, "record-due");
        await manager.Locator("#circulate").ClickAsync();
        await Assertions.Expect(manager.Locator("#circulation-state")).ToHaveTextAsync("Circulated on time");
        await Assertions.Expect(manager.Locator("#circulations")).ToContainTextAsync("Version 1");
        await PageChecks.AssertAccessibleAsync(manager, "record-circulated");

        // The meetings service holds the record and its first circulation, on time, with the action.
        var record = JsonNode.Parse(await managerApi.GetStringAsync($"api/meetings/{meetingId}/record"))!;
        Assert.Equal("CirculatedOnTime", (string)record["circulation"]!);
        Assert.True((bool)record["sectionFortySevenEnquiry"]!);
        Assert.Equal("M. Easington", (string)record["chairName"]!);
        var circulation = Assert.Single(record["circulations"]!.AsArray())!;
        Assert.Equal("Joint visit to the family home", (string)circulation["actions"]!.AsArray().Single()!["description"]!);
    }

    /// <summary>Tabs to a field, clears it and types, as a keyboard user would.</summary>
    private static async Task TypeAsync(IPage page, string selector, string text)
    {
        await KeyboardToAsync(page, selector);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(text);
    }

    /// <summary>Tabs to a list and moves down it with the arrow key from its "Select" line.</summary>
    private static async Task ChooseAsync(IPage page, string selector, int steps, string expected)
    {
        await KeyboardToAsync(page, selector);
        for (var i = 0; i < steps; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        Assert.Equal(expected, await page.Locator(selector).InputValueAsync());
    }

    /// <summary>Signs in through the provider's form, as a person would: choose the example user, type the password, sign in.</summary>
    private async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync(new Uri(system.WebAddress, "sign-in").ToString());
        Assert.StartsWith(system.Authority.GetLeftPart(UriPartial.Authority), page.Url, StringComparison.Ordinal);
        await page.Locator($"input[name='user'][value='{userName}']").CheckAsync();
        await page.GetByLabel("Password").FillAsync(WebSystem.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(system.WebAddress.ToString(), StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal));
    }

    /// <summary>Presses Tab until the element is focused (at most 80 times): it is reachable by keyboard, in order.</summary>
    private static async Task KeyboardToAsync(IPage page, string selector)
    {
        var target = page.Locator(selector).First;
        for (var i = 0; i < 80; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"{selector} was not reached with the Tab key");
    }
}
