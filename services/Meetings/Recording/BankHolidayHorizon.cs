using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// How long the bank holiday list still lasts. Working days past its last year cannot be counted, so recording a
/// section 47 meeting whose initial conference would fall past it is refused (409, "Bank holiday list out of date").
/// Administrators are told a year ahead, on the health endpoint, in the log and by a daily e-mail to their mailbox
/// (<see cref="BankHolidayNoticeHandler"/>), so the next years go in first.
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
/// The notice to administrators as a chain of durable deadlines (<see cref="DailyDeadlines"/>), one row per day at
/// <c>Meetings:Administrators:NoticeAt</c> local time. Firing one while <see cref="BankHolidayHorizon.Warning"/> holds
/// publishes <see cref="AdministratorNoticeDue"/> through the outbox, in the poller's transaction with the next day's
/// row, so each day's notice is published once across restarts and instances.
/// </summary>
public sealed partial class BankHolidayNoticeHandler(BankHolidayHorizon horizon, IOptions<RecordingOptions> options, TimeProvider clock, ILogger<BankHolidayNoticeHandler> logger)
    : IDeadlineHandler<MeetingsDbContext>
{
    public const string DeadlineKind = "meetings.bank-holiday-notice";

    /// <summary>The notice's topic on <see cref="AdministratorNoticeDue"/>.</summary>
    public const string Topic = "bank-holiday-list";

    public string Kind => DeadlineKind;

    /// <summary>The notice's id for a day: the deadline's subject (the notifications service sends one e-mail per id).</summary>
    public static Guid NoticeIdOf(DateOnly day) => DailyDeadlines.IdOf(DeadlineKind, day);

    public async Task HandleAsync(DeadlineRow deadline, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        var recording = options.Value;
        var administrators = recording.Administrators;
        if (!administrators.Enabled)
        {
            // The mailbox was unset: the chain ends here (start-up schedules it again once one is set).
            return;
        }

        var day = DailyDeadlines.DayOf(deadline);
        var now = clock.GetUtcNow();
        if (horizon.Warning() is { } warning)
        {
            var last = horizon.LastCoveredDay;
            var subject = horizon.Today > last
                ? $"Strategy meetings: the bank holiday list ended on {last:yyyy-MM-dd}"
                : $"Strategy meetings: the bank holiday list ends on {last:yyyy-MM-dd}";
            db.AddOutboxMessage(new AdministratorNoticeDue(deadline.SubjectId, Topic, day, administrators.Mailbox!.Trim(), subject, warning, now));
            LogRunningOut(logger, warning);
        }

        await DailyDeadlines.ScheduleNextAsync(db, DeadlineKind, day, now, administrators.NoticeAt, recording.TimeZone(), cancellationToken);
    }

    // Its own event id beside the start-up warning's (4101): the same warning, and that it was e-mailed.
    [LoggerMessage(EventId = BankHolidayHorizonMonitor.EventId + 3, EventName = "BankHolidayNoticeSent", Level = LogLevel.Warning, Message = "Administrators (notice e-mailed): {Warning}")]
    private static partial void LogRunningOut(ILogger logger, string warning);
}

/// <summary>
/// At start-up: the warning in the log (event id <see cref="EventId"/>, for an alert rule) while it holds; then, with an
/// administrators' mailbox set, makes sure the daily notice is scheduled (two instances: once, under a lock). Without
/// one it says so once: the health check and this log line are then the only notice.
/// </summary>
public sealed partial class BankHolidayHorizonMonitor(
    BankHolidayHorizon horizon, IServiceScopeFactory scopes, IOptions<RecordingOptions> options, TimeProvider clock, ILogger<BankHolidayHorizonMonitor> logger)
    : BackgroundService
{
    public const int EventId = 4101;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (horizon.Warning() is { } warning)
        {
            LogRunningOut(logger, warning);
        }

        var administrators = options.Value.Administrators;
        if (!administrators.Enabled)
        {
            LogNoMailbox(logger);
            return;
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<MeetingsDbContext>();
                await DailyDeadlines.EnsureChainAsync(
                    db, BankHolidayNoticeHandler.DeadlineKind, clock.GetUtcNow(), administrators.NoticeAt, options.Value.TimeZone(), stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 * attempt)), stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = EventId, EventName = "BankHolidayListRunningOut", Level = LogLevel.Warning, Message = "Administrators: {Warning}")]
    private static partial void LogRunningOut(ILogger logger, string warning);

    [LoggerMessage(EventId = EventId + 1, EventName = "AdministratorsMailboxUnset", Level = LogLevel.Information, Message = "No administrators' mailbox (Meetings:Administrators:Mailbox): the bank holiday list's warning is on the health check and in this log only")]
    private static partial void LogNoMailbox(ILogger logger);

    [LoggerMessage(EventId = EventId + 2, EventName = "AdministratorNoticeSchedulingFailed", Level = LogLevel.Warning, Message = "Scheduling the administrators' daily notice failed (attempt {Attempt}); retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception, int attempt);
}
