using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// A team manager reschedules and then cancels a meeting from its page, by keyboard, in Debian's Chromium against the
/// running services: sent empty first (the meetings service's errors in the summary and at the fields), then filled;
/// each success returns to the meeting with a banner, the meetings API holds the change, and every invited agency's
/// SPOC receives the e-mail for it at the SMTP sink. Another team's manager is refused both forms.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class MeetingChangesTests(WebSystem system) : BrowserTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public async Task A_manager_reschedules_then_cancels_a_meeting_and_every_spoc_is_emailed()
    {
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(30), "MC-2026-R" + system.Run);
        var reference = (string)meeting["reference"]!;
        var meetingId = (string)meeting["id"]!;
        var invited = meeting["invitations"]!.AsArray().Select(i => (string)i!["agencyCode"]!).Where(system.SpocEmails.ContainsKey).ToList();
        Assert.NotEmpty(invited);

        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, $"team/meetings/{meetingId}").ToString());
        await KeyboardSteps.KeyboardToAsync(manager, "#reschedule-link");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Reschedule the meeting");
        await PageChecks.AssertAccessibleAsync(manager, "meeting-reschedule");

        // Sent without a new time or a reason: the meetings service's errors, in the summary and at the fields.
        await KeyboardSteps.KeyboardToAsync(manager, "#reschedule");
        await manager.Keyboard.PressAsync("Enter");
        var summary = manager.Locator(".govuk-error-summary");
        await Assertions.Expect(summary.Locator("a[href='#startDate']")).ToHaveTextAsync("Enter the new date and time of the meeting");
        await Assertions.Expect(summary.Locator("a[href='#reason']")).ToHaveTextAsync("Select why the meeting is rescheduled");
        await Assertions.Expect(manager.Locator("#reason-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(manager, "meeting-reschedule-error");

        // Two days on, at 10:30 UK time: later than the convening limit after the decision, so with a delay's reason.
        var newStart = new DateTimeOffset(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, London).Date.AddDays(2).AddHours(10).AddMinutes(30), TimeSpan.Zero);
        var newStartInstant = new DateTimeOffset(newStart.DateTime, London.GetUtcOffset(newStart.DateTime));
        await KeyboardSteps.TypeAsync(manager, "#startDate", newStart.ToString("d/M/yyyy", CultureInfo.InvariantCulture));
        await KeyboardSteps.TypeAsync(manager, "#startDate-time", "10:30");
        await KeyboardSteps.ChooseAsync(manager, "#reason", 1, "PartnerAvailability");
        await KeyboardSteps.ChooseAsync(manager, "#delayReason", 1, "PartnerAvailability");
        await KeyboardSteps.TypeAsync(manager, "#delayReasonText", "The police officer in the case is in court until Thursday.");
        await KeyboardSteps.KeyboardToAsync(manager, "#reschedule");
        await manager.Keyboard.PressAsync("Enter");

        await Assertions.Expect(manager.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"{reference} was rescheduled");
        Assert.EndsWith($"/team/meetings/{meetingId}?done=rescheduled", manager.Url, StringComparison.Ordinal);
        await Assertions.Expect(manager.Locator($"time[datetime='{newStartInstant.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)}']").First).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(manager, "meeting-rescheduled");

        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var moved = JsonNode.Parse(await api.GetStringAsync($"api/meetings/{meetingId}"))!;
        Assert.Equal(newStartInstant, DateTimeOffset.Parse((string)moved["scheduledStart"]!, CultureInfo.InvariantCulture));
        await EveryInvitedSpocIsEmailedAsync(invited, reference, "rescheduled");

        // Cancel: a reason is required (sent without one first), with the warning that every agency is told.
        await KeyboardSteps.KeyboardToAsync(manager, "#cancel-link");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.Locator("#cancel-warning")).ToContainTextAsync("Every invited agency is told");
        await PageChecks.AssertAccessibleAsync(manager, "meeting-cancel");
        await KeyboardSteps.KeyboardToAsync(manager, "#cancel");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.Locator(".govuk-error-summary a[href='#reason']")).ToHaveTextAsync("Select why the meeting is cancelled");
        await Assertions.Expect(manager.Locator("#reason-error")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(manager, "meeting-cancel-error");
        await KeyboardSteps.ChooseAsync(manager, "#reason", 2, "DuplicateMeeting");
        await KeyboardSteps.KeyboardToAsync(manager, "#cancel");
        await manager.Keyboard.PressAsync("Enter");

        await Assertions.Expect(manager.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"{reference} was cancelled");
        await Assertions.Expect(manager.Locator("#reschedule-link")).ToHaveCountAsync(0);
        await PageChecks.AssertAccessibleAsync(manager, "meeting-cancelled");
        var cancelled = JsonNode.Parse(await api.GetStringAsync($"api/meetings/{meetingId}"))!;
        Assert.Equal("Cancelled", (string)cancelled["status"]!);
        Assert.Equal("DuplicateMeeting", (string)cancelled["cancelReason"]!);
        await EveryInvitedSpocIsEmailedAsync(invited, reference, "cancelled");

        // A cancelled meeting cannot be rescheduled: the service's refusal is the summary's title and explanation.
        await manager.GotoAsync(new Uri(system.WebAddress, $"team/meetings/{meetingId}/reschedule").ToString());
        await KeyboardSteps.TypeAsync(manager, "#startDate", newStart.AddDays(1).ToString("d/M/yyyy", CultureInfo.InvariantCulture));
        await KeyboardSteps.TypeAsync(manager, "#startDate-time", "10:30");
        await KeyboardSteps.ChooseAsync(manager, "#reason", 1, "PartnerAvailability");
        await KeyboardSteps.KeyboardToAsync(manager, "#reschedule");
        await manager.Keyboard.PressAsync("Enter");
        await Assertions.Expect(manager.Locator(".govuk-error-summary__title")).ToHaveTextAsync("Meeting cancelled");
        await Assertions.Expect(manager.Locator("#refusal")).ToContainTextAsync("cannot be rescheduled");

        // Another team's manager is refused the forms (the meetings API's 403, as the status page).
        var other = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(other, system, "manager.derwentside");
        var refused = await other.GotoAsync(new Uri(system.WebAddress, $"team/meetings/{meetingId}/cancel").ToString());
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(other.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot see this page");
    }

    /// <summary>Each invited agency's SPOC has the e-mail at the SMTP sink (the subject names the meeting and what happened).</summary>
    private async Task EveryInvitedSpocIsEmailedAsync(IReadOnlyList<string> agencies, string reference, string what)
    {
        foreach (var agency in agencies)
        {
            var address = system.SpocEmails[agency];
            await Eventually.TrueAsync(
                () => Task.FromResult(SmtpMailbox.Invitations(system.MailDir, address, reference).Any(m => (m.Subject ?? "").EndsWith(what, StringComparison.Ordinal))),
                TimeSpan.FromSeconds(60), $"the {what} e-mail of {reference} reached {agency}'s SPOC");
        }
    }
}
