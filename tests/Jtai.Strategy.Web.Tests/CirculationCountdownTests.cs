using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The team's meetings list shows, for a held meeting not yet circulated, when to circulate by and how long is left,
/// and an overdue one in red and in words ("Overdue: …"); in Debian's Chromium against the running services, with
/// the records saved through the meetings API (one held just now, one held days ago).
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class CirculationCountdownTests(WebSystem system) : BrowserTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public async Task The_teams_meetings_show_the_circulation_countdown_and_an_overdue_circulation_in_words()
    {
        using var api = await system.ApiAsAsync("manager.easington", system.MeetingsAddress);
        var now = DateTimeOffset.UtcNow;

        // Held just now (after the decision, half an hour before convening): circulation due within the day.
        var due = await system.ConveneAsync(TimeSpan.FromHours(50), "CD-2026-D" + system.Run);
        var dueRecord = await RecordAsync(api, due, DateTimeOffset.UtcNow.AddMinutes(-20));

        // Decided six days ago and held then (convened late, with the delay's reason): its circulation is overdue.
        var overdue = await ConveneDecidedDaysAgoAsync(api, "CD-2026-O" + system.Run, now, TimeSpan.FromHours(52));
        var overdueRecord = await RecordAsync(api, overdue, now.AddDays(-6).AddHours(1));

        var manager = await Chromium.NewPageAsync();
        await WebSignInSteps.SignInAsync(manager, system, "manager.easington");
        await manager.GotoAsync(new Uri(system.WebAddress, "team/meetings?pageSize=200").ToString());

        var dueRow = manager.Locator($"tr[data-meeting='{(string)due["reference"]!}']");
        var dueBy = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse((string)dueRecord["circulationDeadline"]!, CultureInfo.InvariantCulture), London);
        await Assertions.Expect(dueRow.Locator("[data-countdown]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            $"^Circulate by {dueBy.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)} \\(in \\d+ (hours|minutes)\\)$"));
        Assert.Null(await dueRow.Locator("[data-countdown]").GetAttributeAsync("class"));

        var overdueRow = manager.Locator($"tr[data-meeting='{(string)overdue["reference"]!}']");
        var overdueBy = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse((string)overdueRecord["circulationDeadline"]!, CultureInfo.InvariantCulture), London);
        await Assertions.Expect(overdueRow.Locator("[data-countdown]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            $"^Overdue: circulate by {overdueBy.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)} \\(\\d+ (days|hours) ago\\)$"));
        Assert.Equal("app-overdue", await overdueRow.Locator("[data-countdown]").GetAttributeAsync("class"));
        Assert.Equal("rgb(212, 53, 28)", await overdueRow.Locator("[data-countdown]").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await PageChecks.AssertAccessibleAsync(manager, "team-meetings-countdown");

        // Circulated, the row says so instead of counting down.
        var circulated = await api.PostAsJsonAsync($"api/meetings/{(string)due["id"]!}/record/circulations", new { });
        Assert.True(circulated.IsSuccessStatusCode, await circulated.Content.ReadAsStringAsync());
        await manager.ReloadAsync();
        await Assertions.Expect(dueRow.Locator("td[data-circulation]")).ToHaveTextAsync("Circulated on time");
    }

    /// <summary>
    /// Convenes (through the meetings API) a meeting decided six days before <paramref name="now"/>, starting
    /// <paramref name="startsIn"/> from it (late, with the delay's reason): recorded as held back then, its circulation is overdue.
    /// </summary>
    internal static async Task<JsonNode> ConveneDecidedDaysAgoAsync(HttpClient api, string caseReference, DateTimeOffset now, TimeSpan startsIn)
    {
        var convened = await api.PostAsJsonAsync("api/meetings", new
        {
            caseReference,
            concernCategory = "Neglect",
            incidentAt = now.AddDays(-6).AddHours(-3),
            decisionAt = now.AddDays(-6),
            thresholdReason = "RepeatIncidentsCumulativeRisk",
            thresholdReasonText = "Repeated reports from the school.",
            scheduledStart = now + startsIn,
            lengthMinutes = 60,
            delayReason = "PartnerAvailability",
            caseFacts = new { ageBand = "FiveToTen", unbornChild = false, adultKnownToProbation = false, knownToYos = false },
        });
        var body = await convened.Content.ReadAsStringAsync();
        Assert.True(convened.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Records the meeting as held from <paramref name="heldFrom"/> for 15 minutes, every invited agency in person, no actions.</summary>
    internal static async Task<JsonNode> RecordAsync(HttpClient api, JsonNode meeting, DateTimeOffset heldFrom)
    {
        var invited = meeting["agencies"]!.AsArray().Where(a => (bool)a!["invited"]!).Select(a => (string)a!["agencyCode"]!).ToList();
        var recorded = await api.PutAsJsonAsync($"api/meetings/{(string)meeting["id"]!}/record", new
        {
            actualStart = heldFrom,
            actualEnd = heldFrom.AddMinutes(15),
            chairName = "M. Easington",
            chairAgencyCode = "DCC-CSC",
            attendance = invited.Select(a => new { agencyCode = a, mode = "AttendedInPerson" }),
            sectionFortySevenEnquiry = false,
            immediateSafetyActions = "None needed.",
            familyTold = "Mother told by the social worker.",
            childViews = "NotYetObtained",
        });
        var body = await recorded.Content.ReadAsStringAsync();
        Assert.True(recorded.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }
}
