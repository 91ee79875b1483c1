using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.BuildingBlocks.Text;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Apis;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Projection;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static Jtai.Strategy.Metrics.Tests.ScriptedMonth;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// Two metrics services on the real broker and database: one fed the scripted month once, in order;
/// the other fed every event twice (same message ids), shuffled, with eight consumers in parallel.
/// </summary>
public sealed class ScriptedMonthFixture : IAsyncLifetime
{
    public PostgresDatabase InOrderDatabase { get; private set; } = null!;

    public PostgresDatabase ShuffledDatabase { get; private set; } = null!;

    public ServiceHost<MetricsService> InOrder { get; private set; } = null!;

    public ServiceHost<MetricsService> Shuffled { get; private set; } = null!;

    public ConsumeCounter ShuffledDeliveries { get; } = new();

    private RabbitMqVirtualHost inOrderBroker = null!;
    private RabbitMqVirtualHost shuffledBroker = null!;

    public async Task InitializeAsync()
    {
        InOrderDatabase = await PostgresDatabase.CreateAsync();
        ShuffledDatabase = await PostgresDatabase.CreateAsync();
        inOrderBroker = await RabbitMqVirtualHost.CreateAsync();
        shuffledBroker = await RabbitMqVirtualHost.CreateAsync();
        InOrder = await MetricsHost.StartAsync(InOrderDatabase, inOrderBroker);
        Shuffled = await MetricsHost.StartAsync(ShuffledDatabase, shuffledBroker);
        Shuffled.Services.GetRequiredService<IBus>().ConnectConsumeObserver(ShuffledDeliveries);

        var twiceShuffled = Events.Concat(Events).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(InOrder.PublishAsync(Events), Shuffled.PublishAsync(twiceShuffled));

        await Eventually.TrueAsync(async () => await InOrderDatabase.LoggedEventsAsync() == Events.Count, TimeSpan.FromSeconds(60), "the in-order service logs every event");
        await Eventually.TrueAsync(() => Task.FromResult(ShuffledDeliveries.Consumed + ShuffledDeliveries.Faulted >= 2 * Events.Count), TimeSpan.FromSeconds(60), "the shuffled service consumes every delivery");
    }

    public async Task DisposeAsync()
    {
        await InOrder.DisposeAsync();
        await Shuffled.DisposeAsync();
        await inOrderBroker.DisposeAsync();
        await shuffledBroker.DisposeAsync();
        await InOrderDatabase.DisposeAsync();
        await ShuffledDatabase.DisposeAsync();
    }
}

public sealed class ScriptedMonthTests(ScriptedMonthFixture fixture) : IClassFixture<ScriptedMonthFixture>
{
    // Hand-computed from ScriptedMonth (March 2026: meetings M1-M4; M5 moved to April, M6 cancelled).
    // "-" means no such figure. Agencies count once per meeting, whichever SPOC or deputy answered.
    private const string ExpectedByAgency =
        """
        metric                             DCC-CSC  DURHAM-POLICE  CDDFT  GP   DCC-EDUCATION  overall
        invitations.issued                 4/4      4/4            4/4    2/2  1/1            15/15
        invitations.answered-within-limit  4/4      4/4            3/4    1/2  0/1            12/15
        invitations.no-answer              0/4      0/4            0/4    1/2  0/1            1/15
        invitations.answered-by-deputy     0/4      1/4            1/4    0/2  1/1            3/15
        invitations.delivered              1/4      1/4            1/4    1/2  1/1            5/15
        attendance.attended                4/4      4/4            2/4    0/2  0/1            10/15
        attendance.in-person               4/4      1/4            1/4    0/2  0/1            6/15
        attendance.dial-in                 0/4      3/4            1/4    0/2  0/1            4/15
        attendance.written-only            0/4      0/4            1/4    1/2  0/1            2/15
        attendance.absent                  0/4      0/4            1/4    1/2  1/1            3/15
        gp.contributions                   -        -              -      1/2  -              1/2
        meetings.held                      -        -              -      -    -              4/4
        """;

    private const string ExpectedByTeam =
        """
        metric                             FF-NORTH  FF-SOUTH  overall
        invitations.issued                 7/7       8/8       15/15
        attendance.attended                4/7       6/8       10/15
        meetings.held                      2/2       2/2       4/4
        attendance.below-national-minimum  1/2       0/2       1/4
        convening.over-24h-from-decision   1/2       1/2       2/4
        outcomes.section-47-started        0/2       1/2       1/4
        circulation.on-time                1/2       1/2       2/4
        circulation.overdue-open           -         1/1       1/1
        """;

    [Fact]
    public async Task A_scripted_month_yields_the_hand_computed_figures_per_agency_and_team()
    {
        var byAgency = await fixture.InOrder.FiguresAsync("period=2026-03&by=agency");
        AssertTable(ExpectedByAgency, byAgency, scope => (scope, null));

        var byTeam = await fixture.InOrder.FiguresAsync("period=2026-03&by=team");
        AssertTable(ExpectedByTeam, byTeam, scope => (null, scope));
    }

    [Fact]
    public async Task Durations_and_decisions_not_to_convene_are_computed_from_the_held_meetings()
    {
        var report = await fixture.InOrder.FiguresAsync("period=2026-03");

        // Decision to meeting (minutes): M1 360, M2 4380, M3 300, M4 4380. Incident: 960, 5160, 480, 4980.
        AssertDuration(report, MetricKeys.DecisionToMeeting, null, 4, 2370, 4380);
        AssertDuration(report, MetricKeys.IncidentToMeeting, null, 4, 2970, 5106);
        AssertDuration(report, MetricKeys.DecisionToMeeting, North, 2, 2370, 3978);
        AssertDuration(report, MetricKeys.DecisionToMeeting, South, 2, 2340, 3972);

        Assert.Equal(
            ["BELOW-THRESHOLD||2", "BELOW-THRESHOLD|FF-NORTH|1", "BELOW-THRESHOLD|FF-SOUTH|1", "SINGLE-AGENCY-RESPONSE||1", "SINGLE-AGENCY-RESPONSE|FF-SOUTH|1"],
            report.ReasonCounts.Select(r => $"{r.ReasonCode}|{r.TeamCode}|{r.Count}"));
    }

    [Fact]
    public async Task A_meeting_moved_into_April_counts_in_April_and_a_cancelled_one_nowhere()
    {
        var april = await fixture.InOrder.FiguresAsync("period=2026-04&by=agency");
        Assert.Equal((2, 2), Figure(april, MetricKeys.InvitationsIssued, null, null));
        Assert.Equal((1, 1), Figure(april, MetricKeys.InvitationsIssued, Csc, null));
        Assert.Null(FigureOrNull(april, MetricKeys.MeetingsHeld, null, null));
        var decision = Assert.Single(april.ReasonCounts, r => r.TeamCode is null);
        Assert.Equal(("BELOW-THRESHOLD", 1L), (decision.ReasonCode, decision.Count));

        // M6 (cancelled, 25 March) would have added a CSC answer within the limit: the week of 23 March has only M4's.
        var week = await fixture.InOrder.FiguresAsync("period=2026-W13&by=agency");
        Assert.Equal((3, 3), Figure(week, MetricKeys.InvitationsIssued, null, null));
        Assert.Equal((1, 1), Figure(week, MetricKeys.AnsweredWithinLimit, Csc, null));
    }

    [Fact]
    public async Task Filtered_to_one_agency_the_overdue_gauge_is_not_labelled_as_that_agency()
    {
        // The open overdue circulation (FF-SOUTH) is a meeting's, not the GP's: the gauge stays labelled without an agency.
        var gp = await fixture.InOrder.FiguresAsync($"period=2026-03&agency={Gp}&by=team");
        Assert.DoesNotContain(gp.Figures, f => f.Key == MetricKeys.OverdueCirculationsOpen && f.AgencyCode is not null);
        Assert.Equal((1, 1), Figure(gp, MetricKeys.OverdueCirculationsOpen, null, null));
        Assert.Equal((1, 1), Figure(gp, MetricKeys.OverdueCirculationsOpen, null, South));
        Assert.Equal((0, 2), Figure(gp, MetricKeys.Attended, Gp, null));

        // The same under the agency's own label in CSV: no row names GP for the gauge.
        var csv = await fixture.InOrder.ClientAs(JtaiRoles.Masdg).GetStringAsync($"/api/metrics/figures.csv?period=2026-03&agency={Gp}");
        Assert.DoesNotContain(csv.Split("\r\n"), line => line.Contains(MetricKeys.OverdueCirculationsOpen, StringComparison.Ordinal) && line.Contains($",{Gp},", StringComparison.Ordinal));
        Assert.Contains(csv.Split("\r\n"), line => line.Contains(MetricKeys.OverdueCirculationsOpen, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delivered_twice_and_out_of_order_the_same_events_yield_the_same_figures()
    {
        Assert.Equal(0, fixture.ShuffledDeliveries.Faulted);
        Assert.Equal(2 * Events.Count, fixture.ShuffledDeliveries.Consumed);
        Assert.Equal(Events.Count, await fixture.ShuffledDatabase.LoggedEventsAsync());

        var byAgency = await fixture.Shuffled.FiguresAsync("period=2026-03&by=agency");
        AssertTable(ExpectedByAgency, byAgency, scope => (scope, null));
        var byTeam = await fixture.Shuffled.FiguresAsync("period=2026-03&by=team");
        AssertTable(ExpectedByTeam, byTeam, scope => (null, scope));

        // Not just the checked figures: every projected row is the same as the in-order service's.
        Assert.Equal(await fixture.InOrderDatabase.ProjectionSnapshotAsync(), await fixture.ShuffledDatabase.ProjectionSnapshotAsync());
    }

    [Fact]
    public async Task A_rebuild_from_the_event_log_equals_the_incremental_result()
    {
        var database = fixture.ShuffledDatabase;
        var incremental = await database.ProjectionSnapshotAsync();
        var figures = await fixture.Shuffled.FiguresAsync("period=2026-Q1");

        // Wreck the projection, so only the log can restore it.
        await database.ExecuteAsync("DELETE FROM metrics.rollup_day; DELETE FROM metrics.rollup_month; DELETE FROM metrics.meeting_fact; DELETE FROM metrics.decision_not_to_convene");
        Assert.DoesNotContain((await fixture.Shuffled.FiguresAsync("period=2026-Q1")).Figures, f => f.Denominator > 0);

        using var administrator = fixture.Shuffled.ClientAs(JtaiRoles.Administrator);
        var response = await administrator.PostAsync("/api/metrics/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<RebuildResult>(MetricsHost.Json))!;
        Assert.Equal(Events.Count, result.Events);
        Assert.Equal(6, result.Meetings);

        Assert.Equal(incremental, await database.ProjectionSnapshotAsync());
        Assert.Equivalent(figures, await fixture.Shuffled.FiguresAsync("period=2026-Q1"), strict: true);
    }

    [Fact]
    public async Task Daily_trend_sums_to_the_month_and_weeks_follow_the_iso_calendar()
    {
        using var client = fixture.InOrder.ClientAs(JtaiRoles.Masdg);
        var days = (await client.GetFromJsonAsync<TrendResponse>("/api/metrics/trends?granularity=day&from=2026-03-01&to=2026-04-01&metric=invitations.issued&by=overall", MetricsHost.Json))!;
        Assert.Equal(31, days.Periods.Count);
        Assert.All(days.Periods, p => Assert.All(p.Figures, f => Assert.Equal(MetricKeys.InvitationsIssued, f.Key)));
        Assert.Equal(15, days.Periods.Sum(p => p.Figures.Where(f => f.AgencyCode is null && f.TeamCode is null).Sum(f => f.Numerator)));
        Assert.Equal(4, days.Periods.Single(p => p.PeriodStart == new DateOnly(2026, 3, 2)).Figures.Single().Numerator);

        // W10: M1 (CSC, police; health wrote, GP absent); W11: M2 (health absent); W12: M3 (GP wrote, education absent); W13: M4.
        var weeks = (await client.GetFromJsonAsync<TrendResponse>("/api/metrics/trends?granularity=week&from=2026-03-02&to=2026-03-30&metric=attendance.attended&by=overall", MetricsHost.Json))!;
        Assert.Equal(["2026-W10", "2026-W11", "2026-W12", "2026-W13"], weeks.Periods.Select(p => p.PeriodLabel));
        Assert.Equal(["2/4", "2/3", "3/5", "3/3"], weeks.Periods.Select(p => p.Figures.Single() is var f ? $"{f.Numerator}/{f.Denominator}" : null));
    }

    [Fact]
    public async Task Csv_export_carries_numerator_and_denominator_per_agency()
    {
        using var client = fixture.InOrder.ClientAs(JtaiRoles.Masdg);
        var response = await client.GetAsync("/api/metrics/figures.csv?period=2026-03&by=agency");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Csv.Parse(new StringReader(await response.Content.ReadAsStringAsync()));
        var header = rows[0].ToList();
        Assert.Equal(["period", "period_start", "period_end", "kind", "metric", "agency_code", "team_code", "reason_code", "numerator", "denominator", "ratio", "count", "median_minutes", "p90_minutes"], header);

        string[] Row(string kind, string metric, string agency, string team = "") =>
            [.. Assert.Single(rows.Skip(1), r => r[3] == kind && r[4] == metric && r[5] == agency && r[6] == team)];
        var cddft = Row("ratio", MetricKeys.Attended, Health);
        Assert.Equal(["2026-03", "2026-03-01", "2026-04-01", "2", "4", "0.5"], new[] { cddft[0], cddft[1], cddft[2], cddft[8], cddft[9], cddft[10] });
        Assert.Equal(["4", "2370", "4380"], Row("duration", MetricKeys.DecisionToMeeting, string.Empty)[11..14]);
        Assert.Contains(rows, r => r[3] == "breach" && r[7] == "agency-attendance-below-80" && r[5] == Gp);
    }

    [Fact]
    public async Task The_quarterly_exception_report_lists_the_breaches_of_the_configured_rules()
    {
        using var client = fixture.InOrder.ClientAs(JtaiRoles.Masdg);
        var report = (await client.GetFromJsonAsync<ExceptionReport>("/api/metrics/exception-report?quarter=2026-Q1", MetricsHost.Json))!;

        Assert.Equal("2026-Q1", report.Quarter);
        Assert.Equal(
            [
                "agency-attendance-below-80|CDDFT|0.5",
                "agency-attendance-below-80|DCC-EDUCATION|0",
                "agency-attendance-below-80|GP|0",
                "circulation-on-time-below-95||0.5",
                "decision-to-meeting-median-over-24h||2370",
            ],
            report.Breaches.Select(b => $"{b.RuleKey}|{b.AgencyCode}{b.TeamCode}|{b.Actual}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publishing_on_demand_sends_the_period_figures_and_breaches_to_the_broker()
    {
        var listener = await PublishedMessages<AttendanceMetricsPublished>.ListenAsync(fixture.InOrder.Services, "test-metrics-published-" + Guid.NewGuid().ToString("N")[..8]);
        using var client = fixture.InOrder.ClientAs(JtaiRoles.Masdg, subject: "masdg-chair");

        var response = await client.PostAsJsonAsync("/api/metrics/publications", new { period = "2026-03" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<AttendanceMetricsPublished>(MetricsHost.Json))!;

        var published = await Eventually.GetAsync(() => Task.FromResult(listener.Received), r => r.Any(m => m.PublicationId == created.PublicationId), because: "the outbox relays the publication");
        var message = published.Single(m => m.PublicationId == created.PublicationId);
        Assert.Equal((PeriodKinds.Month, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1)), (message.PeriodKind, message.PeriodStart, message.PeriodEnd));
        var expected = await fixture.InOrder.FiguresAsync("period=2026-03");
        Assert.Equivalent(expected.Figures, message.Figures, strict: true);
        Assert.Contains(message.Figures, f => f is { Key: MetricKeys.Attended, AgencyCode: Health, Numerator: 2, Denominator: 4 });
        Assert.Equal(5, message.Breaches.Count);

        var listed = (await client.GetFromJsonAsync<List<PublicationSummary>>("/api/metrics/publications", MetricsHost.Json))!;
        Assert.Contains(listed, p => p.PublicationId == created.PublicationId && p.Trigger == Publication.OnDemand && p.RequestedBy == "masdg-chair");
    }

    [Theory]
    [InlineData(JtaiRoles.Spoc, "GET", "/api/metrics/figures?period=2026-03")]
    [InlineData(JtaiRoles.TeamManager, "GET", "/api/metrics/figures?period=2026-03")]
    [InlineData(JtaiRoles.TeamManager, "GET", "/api/metrics/trends?from=2026-01-01&to=2026-04-01")]
    [InlineData(JtaiRoles.Spoc, "GET", "/api/metrics/figures.csv?period=2026-03")]
    [InlineData(JtaiRoles.Spoc, "GET", "/api/metrics/exception-report")]
    [InlineData(JtaiRoles.TeamManager, "POST", "/api/metrics/publications")]
    [InlineData(JtaiRoles.Masdg, "POST", "/api/metrics/rebuild")]
    public async Task The_dashboard_is_for_the_Masdg_only(string role, string method, string path)
    {
        using var client = fixture.InOrder.ClientAs(role, agency: role == JtaiRoles.Spoc ? Police : null, team: role == JtaiRoles.TeamManager ? North : null);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { period = "2026-03" }) : null });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        using var anonymous = fixture.InOrder.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/metrics/figures?period=2026-03")).StatusCode);
    }

    [Theory]
    [InlineData("/api/metrics/figures?period=2026-Q5", "period")]
    [InlineData("/api/metrics/figures?from=2026-03-01", "to")]
    [InlineData("/api/metrics/figures?from=2026-03-10&to=2026-03-01", "to")]
    [InlineData("/api/metrics/figures?period=2026-03&by=county", "by")]
    [InlineData("/api/metrics/trends?granularity=hour&from=2026-01-01&to=2026-02-01", "granularity")]
    [InlineData("/api/metrics/trends?granularity=day&from=2020-01-01&to=2026-01-01", "to")]
    [InlineData("/api/metrics/exception-report?quarter=2026-03", "quarter")]
    public async Task Invalid_queries_are_problem_details_naming_the_field(string path, string field)
    {
        using var client = fixture.InOrder.ClientAs(JtaiRoles.Masdg);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }

    private static void AssertTable(string table, MetricsReport report, Func<string?, (string? Agency, string? Team)> scopeOf)
    {
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var scopes = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
        var mismatches = new List<string>();
        foreach (var line in lines[1..])
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < scopes.Length; i++)
            {
                var (agency, team) = scopes[i] == "overall" ? (null, null) : scopeOf(scopes[i]);
                var actual = FigureOrNull(report, cells[0], agency, team) is { } f ? $"{f.Numerator}/{f.Denominator}" : "-";
                if (actual != cells[i + 1])
                {
                    mismatches.Add($"{cells[0]} {scopes[i]}: expected {cells[i + 1]}, got {actual}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    private static (long, long) Figure(MetricsReport report, string key, string? agency, string? team) =>
        FigureOrNull(report, key, agency, team) ?? throw new Xunit.Sdk.XunitException($"No figure {key} for {agency ?? team ?? "overall"}");

    private static (long Numerator, long Denominator)? FigureOrNull(MetricsReport report, string key, string? agency, string? team) =>
        report.Figures.SingleOrDefault(f => f.Key == key && f.AgencyCode == agency && f.TeamCode == team) is { } f ? (f.Numerator, f.Denominator) : null;

    private static void AssertDuration(MetricsReport report, string key, string? team, long count, double median, double p90)
    {
        var figure = Assert.Single(report.Durations, d => d.Key == key && d.TeamCode == team && d.AgencyCode is null);
        Assert.Equal(count, figure.Count);
        Assert.Equal(median, figure.MedianMinutes!.Value, 6);
        Assert.Equal(p90, figure.P90Minutes!.Value, 6);
    }
}
