using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The written contribution an agency already sent is shown back to that agency's SPOC on the signed-in answer page
/// (and in the field, to change from); the page the e-mail's answer link opens says one was sent and to sign in to read
/// it (a link is no sign-in, and the text is case data); in Debian's Chromium against the running services. The meetings API gives the text to the agency's SPOC and the convening team's manager only:
/// another agency's SPOC and another team's manager are refused it (403), through the API and through the web.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class SentContributionTests(WebSystem system) : BrowserTests
{
    [Fact]
    public async Task The_agencys_spoc_sees_the_contribution_it_sent_and_no_other_agency_can_read_it()
    {
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(36), "SC-2026-" + system.Run);
        var reference = (string)meeting["reference"]!;
        var meetingId = (string)meeting["id"]!;
        var invitationId = (string)meeting["invitations"]!.AsArray().Single(i => (string)i!["agencyCode"]! == "DURHAM-POLICE")!["invitationId"]!;
        var policeEmail = system.SpocEmails["DURHAM-POLICE"];

        // The police SPOC answers in writing through the e-mail's link (read from the SMTP sink), as a machine would.
        var contribution = $"Two call-outs on record ({system.Run}); no arrests.\nThe officer in the case is on nights this week.";
        var invited = (await Eventually.GetAsync(
            () => Task.FromResult(SmtpMailbox.Invitations(system.MailDir, policeEmail, reference)),
            m => m.Count > 0, TimeSpan.FromSeconds(60), "the police SPOC's invitation arrives"))[0];
        using (var anonymous = new HttpClient())
        {
            var answered = await anonymous.PostAsJsonAsync(SmtpMailbox.AnswerLink(invited), new { answer = "ContributeInWriting", writtenContribution = contribution });
            Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        }

        // Signed in: the agency's answer page shows it, and the field holds it to change from.
        var spoc = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(spoc, system, "spoc.police");
        await spoc.GotoAsync(new Uri(system.WebAddress, $"agency/invitations/{invitationId}/answer").ToString());
        await Assertions.Expect(spoc.Locator("[data-sent-contribution]")).ToHaveTextAsync(contribution);
        Assert.Equal(contribution, await spoc.Locator("#writtenContribution").InputValueAsync());
        Assert.True(await spoc.Locator("#answer-ContributeInWriting").IsCheckedAsync());
        await PageChecks.AssertAccessibleAsync(spoc, "spoc-answer-sent-contribution");

        // The meeting moves: the police are asked again with a fresh link, and their contribution stands. The page that
        // link opens (no sign-in) says a contribution was sent and to sign in to read it; the text is case data, not on it.
        using var manager = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var moved = await manager.PostAsJsonAsync($"api/meetings/{meetingId}/reschedule", new
        {
            scheduledStart = DateTimeOffset.UtcNow.AddHours(40),
            lengthMinutes = 60,
            reason = "PartnerAvailability",
            delayReason = "PartnerAvailability",
        });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        var rescheduled = (await Eventually.GetAsync(
            () => Task.FromResult(SmtpMailbox.Invitations(system.MailDir, policeEmail, reference).Where(m => (m.Subject ?? "").EndsWith("rescheduled", StringComparison.Ordinal)).ToList()),
            m => m.Count > 0, TimeSpan.FromSeconds(60), "the police SPOC's rescheduled invitation arrives"))[0];
        var byLink = await Chromium.NewPageAsync();
        await byLink.GotoAsync(SmtpMailbox.AnswerLink(rescheduled).ToString());
        Assert.Contains("/answer/", byLink.Url, StringComparison.Ordinal);
        await Assertions.Expect(byLink.Locator("#sent-contribution h2")).ToHaveTextAsync("Your agency already sent a written contribution");
        await Assertions.Expect(byLink.Locator("[data-sign-in-to-read]")).ToHaveAttributeAsync("href", "/sign-in");
        Assert.DoesNotContain(system.Run, await byLink.ContentAsync(), StringComparison.Ordinal);
        await PageChecks.AssertAccessibleAsync(byLink, "answer-sent-contribution");

        // The convening team's manager reads it; another agency's SPOC, another team's manager and the MASDG are refused it.
        var path = $"api/invitations/{invitationId}/written-contribution";
        var read = JsonNode.Parse(await manager.GetStringAsync(path))!;
        Assert.Equal(contribution, (string)read["writtenContribution"]!);
        foreach (var outsider in new[] { "spoc.health", "manager.derwentside", "masdg" })
        {
            using var other = await system.ApiAsAsync(outsider, system.MeetingsAddress);
            var refused = await other.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain(system.Run, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Through the web too: the health SPOC gets the status page for the police's answer page, without the text.
        var health = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(health, system, "spoc.health");
        var page = await health.GotoAsync(new Uri(system.WebAddress, $"agency/invitations/{invitationId}/answer").ToString());
        Assert.Equal(403, page!.Status);
        Assert.DoesNotContain(system.Run, await health.ContentAsync(), StringComparison.Ordinal);
    }
}
