using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The manager's open board shows, per agency, when the invitation was delivered, when its recipient was reminded and,
/// after a deputy escalation, who was invited before and what became of that invitation, each without a reload; in
/// Debian's Chromium against the running services. The agency is this test's own (a SPOC and a deputy, so no other
/// test's agency changes); the chase is brought forward by moving its deadline rows' due time in the meetings
/// database, and the meetings service's real poller fires them (the reminder, then the escalation to the deputy).
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class BoardEscalationTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task The_open_board_shows_delivery_the_reminder_and_the_deputy_escalation_as_they_happen()
    {
        var agency = $"ESCALATE-{system.Run.ToUpperInvariant()}";
        using var directory = await system.ApiAsAsync("admin", system.DirectoryAddress);
        var registered = await directory.PostAsJsonAsync("api/agencies", new { code = agency, name = "Escalation agency " + system.Run, kind = "Other" });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        foreach (var (name, rank) in new[] { ("Pat Primary", 0), ("Dee Deputy", 1) })
        {
            var added = await directory.PostAsJsonAsync($"api/agencies/{agency}/spocs", new { fullName = name, secureEmail = $"{name.Split(' ')[0].ToLowerInvariant()}-{system.Run}@escalation.example", rank });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(
            async () => await system.MeetingsDatabase.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica WHERE agency_code = @agency", ("agency", agency)) == 2,
            TimeSpan.FromSeconds(60), "the meetings service's replica has the agency's SPOC and deputy");

        var meeting = await system.ConveneAsync(TimeSpan.FromHours(30), "BE-2026-" + system.Run, addAgencies: [agency]);
        var meetingId = (string)meeting["id"]!;
        var primaryInvitation = (string)meeting["invitations"]!.AsArray().Single(i => (string)i!["agencyCode"]! == agency)!["invitationId"]!;

        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, $"team/meetings/{meetingId}").ToString());
        await Assertions.Expect(manager.Locator("#live-board[data-live='true']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var row = manager.Locator($"tr[data-agency='{agency}']");
        await Assertions.Expect(row).ToContainTextAsync("Pat Primary");

        // The SMTP sink takes the e-mail: the notifications service reports it delivered, and the open board says when.
        await Assertions.Expect(row.Locator("[data-delivered]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Delivered \w{3} \d{1,2} \w{3}, "), new() { Timeout = 60_000 });
        await Assertions.Expect(row.Locator("[data-reminded]")).ToHaveCountAsync(0);

        // The reminder's time comes: the primary is reminded, and the board shows when, without a reload.
        await BringForwardAsync("meetings.invitation-reminder", primaryInvitation);
        await Assertions.Expect(row.Locator("[data-reminded]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Reminded \w{3} \d{1,2} \w{3}, "), new() { Timeout = 30_000 });

        // The respond-by time passes without an answer: the invitation passes to the deputy. The board shows the deputy
        // as the recipient, why, and who was invited before with what became of it, its delivery and reminder.
        await BringForwardAsync("meetings.invitation-escalation", primaryInvitation);
        await Assertions.Expect(row).ToContainTextAsync("Dee Deputy", new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("[data-role]")).ToHaveTextAsync("Deputy: the SPOC before did not answer in time or could not be reached");
        var before = row.Locator("[data-previously] li");
        await Assertions.Expect(before).ToHaveCountAsync(1);
        await Assertions.Expect(before).ToContainTextAsync("Pat Primary (invited ");
        await Assertions.Expect(before).ToContainTextAsync("no answer in time, passed to the next SPOC; delivered ");
        await Assertions.Expect(before).ToContainTextAsync("; reminded ");
        // The deputy's own invitation: delivered in turn, not reminded yet.
        await Assertions.Expect(row.Locator("[data-delivered]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Delivered "), new() { Timeout = 60_000 });
        await Assertions.Expect(row.Locator("[data-reminded]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("Reload", await manager.Locator("#live-status").TextContentAsync() ?? "", StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(manager, "meeting-board-escalation");

        // What the page shows is the meetings API's board: the earlier recipient with the times the page showed.
        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var board = JsonNode.Parse(await api.GetStringAsync($"api/meetings/{meetingId}/board"))!;
        var apiRow = board["agencies"]!.AsArray().Single(a => (string)a!["agencyCode"]! == agency)!;
        Assert.Equal("DeputyAfterEscalation", (string)apiRow["recipientRole"]!);
        var previous = apiRow["previously"]!.AsArray().Single()!;
        Assert.Equal("NoAnswer", (string)previous["supersededReason"]!);
        Assert.NotNull(previous["remindedAt"]);
        Assert.NotNull(previous["deliveryUpdatedAt"]);
        Assert.NotNull(apiRow["deliveryUpdatedAt"]);
    }

    /// <summary>Makes the invitation's chase step due now; the meetings service's poller (every 200 ms here) fires it.</summary>
    private async Task BringForwardAsync(string kind, string invitationId)
    {
        var moved = await system.MeetingsDatabase.ScalarAsync<long>(
            "WITH moved AS (UPDATE meetings.deadline SET due_at = now() WHERE kind = @kind AND subject_id = @subject::uuid AND fired_at IS NULL RETURNING 1) SELECT count(*) FROM moved",
            ("kind", kind), ("subject", invitationId));
        Assert.Equal(1, moved);
    }
}
