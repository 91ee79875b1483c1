using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>
/// The bank holiday list runs out (the shipped one after 2030): administrators are told a year ahead, on the health
/// endpoint and in the log, and a record that needs working days past the list is refused plainly, not stored half-done.
/// </summary>
public sealed class BankHolidayHorizonTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    [Theory]
    [InlineData("2029-12-31T23:59:00Z", null)]
    [InlineData("2030-01-01T00:00:00Z", "ends on 2030-12-31, in 364 days")]
    [InlineData("2030-06-30T22:59:00Z", "ends on 2030-12-31, in 184 days")] // 23:59 BST on 30 June
    [InlineData("2031-01-01T00:00:00Z", "ended on 2030-12-31")]
    public void The_shipped_list_warns_from_a_year_before_its_last_day_in_London_time(string now, string? expected)
    {
        var clock = new ManualClock(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));
        var horizon = new BankHolidayHorizon(WorkingDayCalendar.EnglandAndWales(), Options.Create(new RecordingOptions()), clock);

        Assert.Equal(new DateOnly(2030, 12, 31), horizon.LastCoveredDay);
        if (expected is null)
        {
            Assert.Null(horizon.Warning());
        }
        else
        {
            Assert.Contains(expected, horizon.Warning(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_list_ending_this_year_degrades_health_tells_administrators_and_a_record_past_it_is_refused()
    {
        // The shipped list (to 2030) is healthy in March 2026.
        Assert.Equal(("Healthy", "The bank holiday list lasts until 2030-12-31."), await BankHolidayCheckAsync(fixture.RunningHost.CreateClient()));

        // A partnership's own list that ends with 2026.
        var shipped = WorkingDayCalendar.EnglandAndWales();
        var file = Path.Combine(Path.GetTempPath(), $"holidays-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, shipped.BankHolidays.Where(h => h.Key.Year <= 2026).OrderBy(h => h.Key)
            .Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Key:yyyy-MM-dd},{h.Key:ddd},{h.Value}"))
            .Prepend("date,weekday,name"));
        var log = new LogCapture();
        try
        {
            await using var shortList = new ServiceHost<MeetingsService>(
                fixture.Database,
                fixture.Broker,
                new Dictionary<string, string?>
                {
                    ["Deadlines:PollInterval"] = "00:00:00.100",
                    ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
                    ["Meetings:ResponseLinkKey"] = LinkKey,
                    ["Meetings:BankHolidaysFile"] = file,
                },
                services =>
                {
                    services.AddSingleton<TimeProvider>(fixture.Clock);
                    services.AddSingleton<ILoggerProvider>(log);
                });
            await shortList.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));

            var (status, description) = await BankHolidayCheckAsync(shortList.CreateClient());
            Assert.Equal("Degraded", status);
            Assert.Contains("ends on 2026-12-31", description, StringComparison.Ordinal);
            Assert.Contains("add 2027's bank holidays", description, StringComparison.Ordinal);
            var notice = await Eventually.GetAsync(
                () => Task.FromResult(log.Entries.Where(e => e.Level == LogLevel.Warning && e.Category.EndsWith(nameof(BankHolidayHorizonMonitor), StringComparison.Ordinal)).ToList()),
                entries => entries.Count > 0,
                because: "administrators are told at start-up");
            Assert.Contains("ends on 2026-12-31", notice[0].Message, StringComparison.Ordinal);
            // No administrators' mailbox is set here: said once at start-up, and no daily notice is scheduled.
            await Eventually.TrueAsync(() => Task.FromResult(log.Entries.Any(e => e.Level == LogLevel.Information
                && e.Category.EndsWith(nameof(BankHolidayHorizonMonitor), StringComparison.Ordinal) && e.Message.StartsWith("No administrators' mailbox", StringComparison.Ordinal))));
            Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.deadline WHERE kind = @kind", ("kind", BankHolidayNoticeHandler.DeadlineKind)));

            // A section 47 meeting on Monday 21 December 2026: its initial conference (15 working days) falls in 2027.
            fixture.MoveTo(new DateTimeOffset(2026, 12, 21, 9, 0, 0, TimeSpan.Zero));
            var team = await fixture.CreateTeamAsync();
            var meeting = await fixture.HeldMeetingAsync(team);
            var manager = shortList.ClientAs(JtaiRoles.TeamManager, team: team, subject: "manager-" + team);
            var refused = await manager.PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", RecordingFixture.RecordRequest(meeting, sectionFortySeven: true), Json);

            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Bank holiday list out of date", problem.GetProperty("title").GetString());
            Assert.Contains("covers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("2027", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(0L, await fixture.CountAsync("SELECT count(*) FROM meetings.meeting_record WHERE meeting_id = @id", meeting.Id));

            // The same record where the list lasts (the shipped one) is stored.
            var recorded = await fixture.Manager(team).PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", RecordingFixture.RecordRequest(meeting, sectionFortySeven: true), Json);
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);

            // After the list's last day: still Degraded (the service runs), saying it has ended.
            fixture.MoveTo(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
            (status, description) = await BankHolidayCheckAsync(shortList.CreateClient());
            Assert.Equal("Degraded", status);
            Assert.Contains("ended on 2026-12-31", description, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(string Status, string Description)> BankHolidayCheckAsync(HttpClient client)
    {
        var health = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        var check = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == BankHolidayHealthCheck.Name);
        return (check.GetProperty("status").GetString()!, check.GetProperty("description").GetString()!);
    }
}
