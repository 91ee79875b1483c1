using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// The MASDG's pages in Debian's Chromium against the running services: after a manager convenes, a SPOC answers by the
/// e-mailed link and the manager records and circulates, the dashboard shows the meeting in its figures (the metrics
/// service projects the events); the trends page draws its chart from its own table; the exception report and the
/// action plan's progress table show what their APIs hold; the CSV downloads are the APIs' files. Every page passes
/// axe at desktop width and 320 px, loads at most 300 KB of script, and leaves a screenshot.
/// </summary>
[Collection(WebSystemCollection.Name)]
public sealed class MasdgPagesTests(WebSystem system) : BrowserTests
{
    // A team of its own, so that its figures are this test's meeting alone (the other tests convene for Easington).
    private const string Team = "FF-DERWENTSIDE";
    private static readonly TimeSpan ProjectedWithin = TimeSpan.FromSeconds(60);

    // The trends page's columns when no single metric is chosen, in order.
    private static readonly string[] TrendsColumns =
        ["invitations.answered-within-limit", "attendance.attended", "attendance.written-only", "attendance.below-national-minimum", "circulation.on-time"];

    [Fact]
    public async Task The_masdg_sees_a_recorded_and_circulated_meeting_in_the_dashboard_trends_and_exception_report()
    {
        await GiveTheTeamABridgeAsync();
        var meeting = await system.ConveneAsync(TimeSpan.FromHours(7), "LL-2026-M" + system.Run, "manager.derwentside");
        var meetingId = (string)meeting["id"]!;
        var reference = (string)meeting["reference"]!;

        // The police SPOC answers by the e-mail's link (the meetings service's link API, as the answer page calls it).
        var police = system.SpocEmails["DURHAM-POLICE"];
        var mail = (await Eventually.GetAsync(() => Task.FromResult(SmtpMailbox.Invitations(system.MailDir, police, reference)), m => m.Count > 0,
            TimeSpan.FromSeconds(60), "the police SPOC's invitation arrives"))[0];
        using (var link = new HttpClient())
        {
            // The invitation's delivery may be recorded at the same moment: the API then answers "Conflicting change"
            // (409) and asks the caller to try again, as the answer page's user would.
            var body = string.Empty;
            var answered = await Eventually.GetAsync(async () =>
            {
                var response = await link.PostAsJsonAsync(SmtpMailbox.AnswerLink(mail), new { answer = "AttendInPerson" });
                body = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode || !body.Contains("Conflicting change", StringComparison.Ordinal);
            }, done => done, TimeSpan.FromSeconds(20), "the answer is taken or refused for good");
            Assert.True(answered && body.Contains("\"answeredWithinLimit\":true", StringComparison.Ordinal), body);
        }

        // The manager records the meeting as held (just now) with every invited agency in person, and circulates it.
        using var manager = await system.ApiAsAsync("manager.derwentside", system.MeetingsAddress);
        var heldAt = DateTimeOffset.UtcNow.AddMinutes(-25);
        var invited = meeting["agencies"]!.AsArray().Where(a => (bool)a!["invited"]!).Select(a => (string)a!["agencyCode"]!).ToList();
        // Invitations went only to the invited agencies with a SPOC (the others were invited but not issued to).
        var issued = meeting["agencies"]!.AsArray().Count(a => (bool)a!["invited"]! && a["notIssuedReason"] is null);
        var recorded = await manager.PutAsJsonAsync($"api/meetings/{meetingId}/record", new
        {
            actualStart = heldAt,
            actualEnd = heldAt.AddMinutes(20),
            chairName = "D. Derwentside",
            chairAgencyCode = "DCC-CSC",
            attendance = invited.Select(a => new { agencyCode = a, mode = "AttendedInPerson" }),
            sectionFortySevenEnquiry = false,
            immediateSafetyActions = "Child stays with grandmother tonight.",
            familyTold = "Mother told by the social worker.",
            childViews = "Recorded",
            childViewsText = "Wants to stay at her school.",
        });
        var recordBody = await recorded.Content.ReadAsStringAsync();
        Assert.True(recorded.IsSuccessStatusCode, recordBody);
        var belowMinimum = (bool)JsonNode.Parse(recordBody)!["belowNationalMinimum"]! ? "1 of 1 (100%)" : "0 of 1 (0%)";
        var actions = await manager.PutAsJsonAsync($"api/meetings/{meetingId}/record/actions", new
        {
            actions = new[] { new { description = "Joint visit to the family home", ownerAgencyCode = "DURHAM-POLICE", dueDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(2)), status = "Open" } },
        });
        Assert.True(actions.IsSuccessStatusCode, await actions.Content.ReadAsStringAsync());
        var circulated = await manager.PostAsJsonAsync($"api/meetings/{meetingId}/record/circulations", new { });
        Assert.True(circulated.IsSuccessStatusCode, await circulated.Content.ReadAsStringAsync());

        // The MASDG signs in and lands on the dashboard; the team's month, filtered by the GET form.
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var month = TimeZoneInfo.ConvertTime(heldAt, london).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var masdg = await Chromium.NewPageAsync();
        await SignInAsync(masdg, "masdg");
        await Assertions.Expect(masdg).ToHaveURLAsync(new Uri(system.WebAddress, "masdg").ToString());
        await Assertions.Expect(masdg.GetByRole(AriaRole.Heading, new() { Name = "Strategy meetings dashboard" })).ToBeVisibleAsync();
        await masdg.Locator("#period").SelectOptionAsync(month);
        // The filters are the directory's agencies and the teams by name ("All ..." first), not typed codes; the team is
        // chosen with the keyboard (Tab to the list, the arrow keys, Enter on the button).
        await Assertions.Expect(masdg.Locator("#agency option").First).ToHaveTextAsync("All agencies");
        await Assertions.Expect(masdg.Locator("#agency option[value='DURHAM-POLICE']")).ToHaveCountAsync(1);
        await Assertions.Expect(masdg.Locator("#team option").First).ToHaveTextAsync("All teams");
        await Assertions.Expect(masdg.Locator($"#team option[value='{Team}']")).ToHaveTextAsync("Families First Derwentside");
        await KeyboardSteps.KeyboardToAsync(masdg, "#team");
        var teams = (await masdg.Locator("#team option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)")).ToList();
        for (var i = 0; i < teams.IndexOf(Team); i++)
        {
            await masdg.Keyboard.PressAsync("ArrowDown");
        }

        await KeyboardSteps.KeyboardToAsync(masdg, "#show");
        await masdg.Keyboard.PressAsync("Enter");
        await masdg.WaitForURLAsync(url => url.Contains($"team={Team}", StringComparison.Ordinal));
        Assert.Contains($"team={Team}", masdg.Url, StringComparison.Ordinal);
        await Assertions.Expect(masdg.Locator("#team")).ToHaveValueAsync(Team);

        // The metrics service counts the meeting once it has projected the events: reload until it has (bounded).
        var seen = string.Empty;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                await masdg.ReloadAsync();
                seen = await masdg.Locator("main").InnerTextAsync();
                return await masdg.Locator("#figures").CountAsync() == 1 && await Cell(masdg, "circulation.on-time") == "1 of 1 (100%)";
            }, ProjectedWithin, "the dashboard counts the circulation");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The dashboard ({masdg.Url}) did not count the circulation within {ProjectedWithin}; it showed:\n{seen}");
        }

        Assert.Equal("1", await Cell(masdg, "meetings.held"));
        Assert.Equal(issued.ToString(CultureInfo.InvariantCulture), await Cell(masdg, "invitations.issued"));
        Assert.Equal($"1 of {issued} ({Math.Round(100.0 / issued, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)}%)", await Cell(masdg, "invitations.answered-within-limit"));
        Assert.Equal($"{invited.Count} of {invited.Count} (100%)", await Cell(masdg, "attendance.in-person"));
        Assert.Equal($"0 of {invited.Count} (0%)", await Cell(masdg, "attendance.written-only"));
        Assert.Equal(belowMinimum, await Cell(masdg, "attendance.below-national-minimum"));
        Assert.Equal("0 of 1 (0%)", await Cell(masdg, "convening.over-24h-from-decision"));
        // Decided 30 minutes before the convening, held 25 minutes ago: one meeting measured.
        await Assertions.Expect(masdg.Locator("#durations tr[data-metric='convening.decision-to-meeting'] td").First).ToHaveTextAsync("1");
        await Assertions.Expect(masdg.Locator($"#by-team tr[data-team='{Team}']")).ToContainTextAsync("1 of 1 (100%)");
        await Assertions.Expect(masdg.Locator("#by-agency tr[data-agency='DURHAM-POLICE']")).ToContainTextAsync("1 of 1 (100%)");
        await Assertions.Expect(masdg.Locator("#overdue-none")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-dashboard");

        // The CSV link is the metrics API's file, fetched by the web service with the MASDG's token.
        var csvHref = await masdg.Locator("a[href^='/masdg/figures.csv']").GetAttributeAsync("href");
        var csv = await masdg.APIRequest.GetAsync(new Uri(system.WebAddress, csvHref).ToString());
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        Assert.Contains("attachment", csv.Headers["content-disposition"], StringComparison.Ordinal);
        var csvText = await csv.TextAsync();
        Assert.Contains($",ratio,circulation.on-time,,{Team},,1,1,", csvText, StringComparison.Ordinal);

        // Trends: this month in the table, the chart drawn from the same cells.
        await masdg.GetByRole(AriaRole.Link, new() { Name = "Trends over the last 12 months" }).ClickAsync();
        await Assertions.Expect(masdg.GetByRole(AriaRole.Heading, new() { Name = "Trends over the last 12 months" })).ToBeVisibleAsync();
        Assert.Equal(12, await masdg.Locator("#trends tbody tr").CountAsync());
        var thisMonth = masdg.Locator($"#trends tr[data-period='{month}']");
        await Assertions.Expect(thisMonth).ToContainTextAsync("1 of 1 (100%)");
        await Assertions.Expect(masdg.Locator("#trend-chart")).ToBeVisibleAsync();
        var charted = await masdg.EvaluateAsync<double?[]>(
            "() => window.Chart.getChart(document.querySelector('#trend-chart canvas')).data.datasets.find(d => d.label === 'Actions circulated on time').data");
        Assert.Equal(12, charted.Length);
        Assert.Equal(100.0, charted[^1]);
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-trends");
        var trendsCsv = await masdg.APIRequest.GetAsync(new Uri(system.WebAddress, "masdg/trends.csv?team=" + Team).ToString());
        Assert.Equal(200, trendsCsv.Status);
        Assert.Contains($",ratio,circulation.on-time,,{Team},,1,1,", await trendsCsv.TextAsync(), StringComparison.Ordinal);

        // The trends' filters are the dashboard's lists (the team carried over from it), and the granularity and one
        // metric are chosen: week by week, circulated on time alone, in the table, the chart and the CSV.
        await Assertions.Expect(masdg.Locator("#team")).ToHaveValueAsync(Team);
        await Assertions.Expect(masdg.Locator("#agency option").First).ToHaveTextAsync("All agencies");
        await Assertions.Expect(masdg.Locator("#agency option[value='DURHAM-POLICE']")).ToHaveCountAsync(1);
        Assert.Equal(["day", "week", "month", "quarter"], await masdg.Locator("#granularity option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await Assertions.Expect(masdg.Locator("#granularity")).ToHaveValueAsync("month");
        await masdg.Locator("#granularity").SelectOptionAsync("week");
        await masdg.Locator("#metric").SelectOptionAsync("circulation.on-time");
        await masdg.Locator("#show").ClickAsync();
        await masdg.WaitForURLAsync(url => url.Contains("granularity=week", StringComparison.Ordinal));
        Assert.Contains("metric=circulation.on-time", masdg.Url, StringComparison.Ordinal);
        Assert.Contains($"team={Team}", masdg.Url, StringComparison.Ordinal);
        var heldLocal = TimeZoneInfo.ConvertTime(heldAt, london).DateTime;
        await Assertions.Expect(masdg.Locator("#trends-heading")).ToContainTextAsync("Week by week: Actions circulated on time");
        // 12 months of ISO weeks: 52 to 54 rows (a week is counted when it starts before the range's end).
        var weeks = await masdg.Locator("#trends tbody tr").CountAsync();
        Assert.InRange(weeks, 52, 54);
        // The circulation counts in the week of its deadline (a day after the meeting): one week has it, at 100%.
        await Assertions.Expect(masdg.Locator("#trends tbody td[data-value='100']")).ToHaveTextAsync(["1 of 1 (100%)"]);
        Assert.Equal(weeks - 1, await masdg.Locator("#trends tbody td[data-value='']").CountAsync());
        Assert.Equal(["circulation.on-time"], await masdg.Locator("#trends th[data-series]").EvaluateAllAsync<string[]>("hs => hs.map(h => h.dataset.series)"));
        var weekly = await masdg.EvaluateAsync<JsonElement>(
            "() => window.Chart.getChart(document.querySelector('#trend-chart canvas')).data.datasets.map(d => ({ label: d.label, data: d.data }))");
        Assert.Equal(1, weekly.GetArrayLength());
        Assert.Equal("Actions circulated on time", weekly[0].GetProperty("label").GetString());
        Assert.Equal(weeks, weekly[0].GetProperty("data").GetArrayLength());
        Assert.Contains(weekly[0].GetProperty("data").EnumerateArray(), v => v.ValueKind == JsonValueKind.Number && v.GetDouble() == 100.0);
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-trends-weekly");
        var weeklyHref = await masdg.Locator("a[href^='/masdg/trends.csv']").GetAttributeAsync("href");
        Assert.Contains("granularity=week", weeklyHref, StringComparison.Ordinal);
        var weeklyCsv = await (await masdg.APIRequest.GetAsync(new Uri(system.WebAddress, weeklyHref).ToString())).TextAsync();
        Assert.Contains($"{ISOWeek.GetYear(heldLocal)}-W", weeklyCsv, StringComparison.Ordinal);
        Assert.Contains($",ratio,circulation.on-time,,{Team},,1,1,", weeklyCsv, StringComparison.Ordinal);
        Assert.DoesNotContain("attendance.attended", weeklyCsv, StringComparison.Ordinal);

        // Day by day: the held day's row counts the attendance at the meeting held (every column back with no metric chosen).
        await masdg.GotoAsync(new Uri(system.WebAddress, $"masdg/trends?team={Team}&granularity=day").ToString());
        await Assertions.Expect(masdg.Locator("#granularity")).ToHaveValueAsync("day");
        await Assertions.Expect(masdg.Locator("#metric")).ToHaveValueAsync(string.Empty);
        Assert.InRange(await masdg.Locator("#trends tbody tr").CountAsync(), 334, 366);
        await Assertions.Expect(masdg.Locator($"#trends tr[data-period='{heldLocal:yyyy-MM-dd}']")).ToContainTextAsync($"{invited.Count} of {invited.Count} (100%)");
        Assert.Equal(TrendsColumns, await masdg.Locator("#trends th[data-series]").EvaluateAllAsync<string[]>("hs => hs.map(h => h.dataset.series)"));

        // A granularity the metrics API does not know: its problem, said on the page, not an error page.
        var unknown = await masdg.GotoAsync(new Uri(system.WebAddress, "masdg/trends?granularity=year").ToString());
        Assert.Equal(200, unknown!.Status);
        await Assertions.Expect(masdg.Locator(".govuk-error-summary")).ToContainTextAsync("granularity must be day, week, month or quarter");

        // Without JavaScript the table is the page: no chart, the same figures.
        // The same session (its cookie), in a browser with JavaScript off.
        var plain = await Chromium.Instance.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 900 }, StorageState = await masdg.Context.StorageStateAsync() });
        var noScript = await plain.NewPageAsync();
        await noScript.GotoAsync(new Uri(system.WebAddress, "masdg/trends?team=" + Team).ToString());
        await Assertions.Expect(noScript.Locator($"#trends tr[data-period='{month}']")).ToContainTextAsync("1 of 1 (100%)");
        await Assertions.Expect(noScript.Locator("#trend-chart")).ToBeHiddenAsync();
        await plain.CloseAsync();

        // The quarterly exception report for this quarter: the rules, and the quarter's figures with this meeting.
        await masdg.GotoAsync(new Uri(system.WebAddress, "masdg").ToString());
        await masdg.GetByRole(AriaRole.Link, new() { Name = "Quarterly exception report" }).ClickAsync();
        await Assertions.Expect(masdg.GetByRole(AriaRole.Heading, new() { Name = "Quarterly exception report" })).ToBeVisibleAsync();
        await Assertions.Expect(masdg.Locator("#rules")).ToContainTextAsync("circulated within 24 hours");
        var local = TimeZoneInfo.ConvertTime(heldAt, london);
        var quarter = $"{local.Year}-Q{((local.Month - 1) / 3) + 1}";
        await masdg.Locator("#quarter").SelectOptionAsync(quarter);
        await masdg.GetByRole(AriaRole.Button, new() { Name = "Show report" }).ClickAsync();
        await Assertions.Expect(masdg.Locator("#quarter-heading")).ToContainTextAsync(quarter);
        Assert.NotEqual("0", await Cell(masdg, "meetings.held"));
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-exception-report");
    }

    [Fact]
    public async Task The_masdg_sees_the_action_plans_progress_table_as_the_action_plan_service_holds_it()
    {
        using var api = await system.ApiAsAsync("masdg", system.ActionPlanAddress);
        var progress = JsonNode.Parse(await api.GetStringAsync("api/plans/durham-jtai-2018/reports/progress"))!;
        var totals = progress["totals"]!;

        // This month's figures published on demand by the metrics service reach the action plan service over the bus,
        // as evidence against the actions linked to them (1.1a: attendance, overall and per agency).
        using var metricsApi = await system.ApiAsAsync("masdg", system.MetricsAddress);
        var thisMonth = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);
        var published = await metricsApi.PostAsJsonAsync("api/metrics/publications", new { period = thisMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture) });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var monthEnd = new DateOnly(thisMonth.Year, thisMonth.Month, 1).AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var evidence = await Eventually.GetAsync(
            async () => JsonNode.Parse(await api.GetStringAsync($"api/plans/durham-jtai-2018/action-evidence?dueBy={(string)progress["dueBy"]!}&pageSize=200"))!.AsArray(),
            items => items.Any(i => (string)i!["action"]!["key"]! == "1.1a" && (string?)i["latestEvidencePeriodEnd"] == monthEnd),
            TimeSpan.FromSeconds(60), "this month's published figures are the action plan's evidence for 1.1a");

        var masdg = await Chromium.NewPageAsync();
        await SignInAsync(masdg, "masdg");
        await masdg.GetByRole(AriaRole.Link, new() { Name = "Action plan progress" }).ClickAsync();
        await Assertions.Expect(masdg.GetByRole(AriaRole.Heading, new() { Name = "Action plan progress", Level = 1 })).ToBeVisibleAsync();
        var totalsRow = masdg.Locator("#progress tr[data-theme='totals'] td");
        foreach (var (column, name) in new[] { (0, "green"), (1, "amber"), (2, "yellow"), (3, "notStarted"), (4, "total"), (5, "overdue") })
        {
            await Assertions.Expect(totalsRow.Nth(column)).ToHaveTextAsync(((int)totals[name]!).ToString(CultureInfo.InvariantCulture));
        }

        var themeOne = progress["themes"]!.AsArray().Single(t => (int?)t!["themeNumber"] == 1)!;
        await Assertions.Expect(masdg.Locator("#progress tr[data-theme='1'] th")).ToContainTextAsync((string)themeOne["theme"]!);
        // Each counted action with its status in words and its evidence.
        var actions = JsonNode.Parse(await api.GetStringAsync($"api/plans/durham-jtai-2018/actions?dueBy={(string)progress["dueBy"]!}"))!.AsArray();
        Assert.Equal((int)totals["total"]!, await masdg.Locator("tr[data-action]").CountAsync());
        var first = actions[0]!;
        var row = masdg.Locator($"tr[data-action='{(string)first["key"]!}']");
        await Assertions.Expect(row.Locator(".govuk-tag")).ToContainTextAsync(StatusWord((string)first["status"]!));
        await Assertions.Expect(row).ToContainTextAsync((bool)first["evidenceBelowTarget"]! ? "Latest figure below target" : "No figure below target");

        // The evidence itself: each latest published figure with its count and target, and the plan's evidence of impact text.
        var spoc = evidence.Single(i => (string)i!["action"]!["key"]! == "1.1a")!;
        var figures = spoc["latestEvidence"]!.AsArray();
        Assert.NotEmpty(figures);
        var spocRow = masdg.Locator("tr[data-action='1.1a']");
        await Assertions.Expect(spocRow.Locator("[data-figures] li")).ToHaveCountAsync(figures.Count);
        foreach (var figure in figures)
        {
            var line = spocRow.Locator($"[data-figures] li[data-metric='{(string)figure!["metricKey"]!}'][data-agency='{(string?)figure["agencyCode"] ?? ""}']");
            var numerator = (long)figure["numerator"]!;
            var denominator = (long)figure["denominator"]!;
            await Assertions.Expect(line).ToContainTextAsync(denominator == 0 ? "none counted" : $"{numerator} of {denominator}");
            var target = ((decimal)figure["target"]! * 100).ToString("0", CultureInfo.InvariantCulture);
            await Assertions.Expect(line).ToContainTextAsync($"target at least {target}%");
            await Assertions.Expect(line).ToContainTextAsync((bool?)figure["met"] switch { true => ": met", false => ": below target", null => "not judged" });
        }

        await spocRow.GetByText("Evidence of impact").ClickAsync();
        await Assertions.Expect(spocRow.Locator("[data-evidence-of-impact]")).ToHaveTextAsync((string)spoc["evidenceOfImpact"]!);
        await Assertions.Expect(spocRow.Locator("[data-evidence-of-impact]")).ToBeVisibleAsync();
        await PageChecks.AssertAccessibleAsync(masdg, "masdg-action-plan");

        var csv = await masdg.APIRequest.GetAsync(new Uri(system.WebAddress, "masdg/action-plan/progress.csv").ToString());
        Assert.Equal(200, csv.Status);
        Assert.Contains((string)themeOne["theme"]!, await csv.TextAsync(), StringComparison.Ordinal);

        // The MASDG's pages and downloads are the MASDG's alone: a team manager is refused them.
        var other = await Chromium.NewPageAsync();
        await SignInAsync(other, "manager.easington");
        await Assertions.Expect(other.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).ToHaveCountAsync(0);
        foreach (var path in new[] { "masdg", "masdg/trends", "masdg/exception-report", "masdg/action-plan" })
        {
            var refused = await other.GotoAsync(new Uri(system.WebAddress, path).ToString());
            Assert.Equal(403, refused!.Status);
        }

        var download = await other.APIRequest.GetAsync(new Uri(system.WebAddress, "masdg/figures.csv?period=2026-01").ToString(), new() { MaxRedirects = 0 });
        Assert.True(download.Status is 302 or 403, $"a team manager got {download.Status} for the MASDG's CSV");
    }

    private static string StatusWord(string status) => status switch
    {
        "NotStarted" => "Not started",
        _ => status,
    };

    private static async Task<string> Cell(IPage page, string metric) =>
        (await page.Locator($"#figures tr[data-metric='{metric}'] td").InnerTextAsync()).Trim();

    private async Task GiveTheTeamABridgeAsync()
    {
        using var meetingsAdmin = await system.ApiAsAsync("admin", system.MeetingsAddress);
        var team = await meetingsAdmin.PostAsJsonAsync("api/teams", new { code = Team, name = "Families First Derwentside", gpPilot = false });
        Assert.True(team.IsSuccessStatusCode, await team.Content.ReadAsStringAsync());
        var bridge = await meetingsAdmin.PostAsJsonAsync($"api/teams/{Team}/bridges", new { label = "Bridge D", dialInNumber = "0191 555 0101", conferenceCode = "7788991" });
        Assert.True(bridge.IsSuccessStatusCode, await bridge.Content.ReadAsStringAsync());
    }

    private async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync(new Uri(system.WebAddress, "sign-in").ToString());
        await page.Locator($"input[name='user'][value='{userName}']").CheckAsync();
        await page.GetByLabel("Password").FillAsync(WebSystem.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(system.WebAddress.ToString(), StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal));
    }
}
