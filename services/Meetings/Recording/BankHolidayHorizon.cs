using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// How long the bank holiday list still lasts. Working days past its last year cannot be counted, so recording a
/// section 47 meeting whose initial conference would fall past it is refused (409, "Bank holiday list out of date").
/// Administrators are told a year ahead, on the health endpoint and in the log, so the next years go in first.
/// </summary>
public sealed class BankHolidayHorizon(WorkingDayCalendar calendar, IOptions<RecordingOptions> options, TimeProvider clock)
{
    /// <summary>How far ahead administrators are told.</summary>
    public static readonly int WarningYears = 1;

    /// <summary>The last day the list covers: it lists whole years.</summary>
    public DateOnly LastCoveredDay => new(calendar.LastYear, 12, 31);

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), options.Value.TimeZone()).DateTime);

    /// <summary>Null while the list lasts more than a year; otherwise what an administrator must do, and by when.</summary>
    public string? Warning()
    {
        var today = Today;
        if (today <= LastCoveredDay.AddYears(-WarningYears))
        {
            return null;
        }

        var next = calendar.LastYear + 1;
        return today > LastCoveredDay
            ? $"The bank holiday list ended on {LastCoveredDay:yyyy-MM-dd}: recording a section 47 meeting whose initial conference falls after it is refused until {next}'s bank holidays are added (Meetings:BankHolidaysFile, or the list shipped with the service)."
            : $"The bank holiday list ends on {LastCoveredDay:yyyy-MM-dd}, in {LastCoveredDay.DayNumber - today.DayNumber} days: add {next}'s bank holidays (Meetings:BankHolidaysFile, or the list shipped with the service) before initial conferences fall after it, or recording them will be refused.";
    }
}

/// <summary>Degraded within a year of the list's last day, and after it: the service works, but needs an administrator.</summary>
public sealed class BankHolidayHealthCheck(BankHolidayHorizon horizon) : IHealthCheck
{
    public const string Name = "bank-holidays";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(horizon.Warning() is { } warning
            ? HealthCheckResult.Degraded(warning)
            : HealthCheckResult.Healthy($"The bank holiday list lasts until {horizon.LastCoveredDay:yyyy-MM-dd}."));
}

/// <summary>
/// The notice to administrators: there is no administrators' mailbox or notice event in the system, so it is a
/// warning in the log (event id <see cref="EventId"/>, for an alert rule) at start-up and once a day while it holds.
/// </summary>
public sealed partial class BankHolidayHorizonMonitor(BankHolidayHorizon horizon, ILogger<BankHolidayHorizonMonitor> logger) : BackgroundService
{
    public const int EventId = 4101;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (horizon.Warning() is { } warning)
            {
                LogRunningOut(logger, warning);
            }

            await Task.Delay(TimeSpan.FromDays(1), stoppingToken);
        }
    }

    [LoggerMessage(EventId = EventId, EventName = "BankHolidayListRunningOut", Level = LogLevel.Warning, Message = "Administrators: {Warning}")]
    private static partial void LogRunningOut(ILogger logger, string warning);
}
