using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Projection;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics.Publishing;

/// <summary>
/// The MASDG's daily digest as a chain of durable deadlines, one row per day, due at <see cref="DigestOptions.At"/>
/// local time. Firing one publishes <see cref="MasdgDigestDue"/> through the outbox and schedules the next day's in the
/// poller's transaction, so each day's digest goes out once across restarts and instances.
/// </summary>
public static class MasdgDigestSchedule
{
    public const string DeadlineKind = "metrics.masdg-digest";

    /// <summary>A stable id per day: the deadline's subject and the digest's id (the notifications service sends one e-mail per id).</summary>
    public static Guid DigestIdOf(DateOnly day) => DailyDeadlines.IdOf(DeadlineKind, day);

    /// <summary>When the digest sent on local <paramref name="day"/> is due.</summary>
    public static DateTimeOffset DueAt(DateOnly day, ProjectionRules rules, DigestOptions options) => DailyDeadlines.DueAt(day, options.At, rules.TimeZone);

    /// <summary>The first day whose digest is still ahead of <paramref name="now"/>: today's if its time has not come, else tomorrow's.</summary>
    public static DateOnly NextDay(DateTimeOffset now, ProjectionRules rules, DigestOptions options) => DailyDeadlines.NextDay(now, options.At, rules.TimeZone);

    public static Task EnsureScheduledAsync(MetricsDbContext db, DateOnly day, ProjectionRules rules, DigestOptions options, CancellationToken cancellationToken) =>
        DailyDeadlines.EnsureScheduledAsync(db, DeadlineKind, day, options.At, rules.TimeZone, cancellationToken);
}

/// <summary>
/// Sends the day's digest: the open overdue circulations now and the meetings held below the national minimum the day
/// before (the last whole day), then schedules the next digest still ahead. After an outage that is tomorrow's, not a
/// burst of the days missed: a digest lists what is open now, so the stale ones would only repeat it.
/// </summary>
public sealed partial class MasdgDigestHandler(OversightQueries queries, ProjectionRules rules, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<MasdgDigestHandler> logger)
    : IDeadlineHandler<MetricsDbContext>
{
    public string Kind => MasdgDigestSchedule.DeadlineKind;

    public async Task HandleAsync(DeadlineRow deadline, MetricsDbContext db, CancellationToken cancellationToken)
    {
        var digest = options.Value.Digest;
        if (!digest.Enabled)
        {
            // The mailbox was unset: the chain ends here (start-up schedules it again once one is set).
            return;
        }

        var sentOn = DailyDeadlines.DayOf(deadline);
        var now = clock.GetUtcNow();
        var day = sentOn.AddDays(-1);
        var overdue = await queries.OverdueCirculationsAsync(now, null, cancellationToken);
        var belowMinimum = await queries.HeldBelowMinimumAsync(day, cancellationToken);
        db.AddOutboxMessage(new MasdgDigestDue(deadline.SubjectId, day, digest.SignInLink, overdue, belowMinimum, digest.Mailbox!.Trim(), now));
        LogDigest(logger, day, overdue.Count, belowMinimum.Count);

        await DailyDeadlines.ScheduleNextAsync(db, MasdgDigestSchedule.DeadlineKind, sentOn, now, digest.At, rules.TimeZone, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MASDG digest for {Day:yyyy-MM-dd}: {Overdue} overdue circulations, {BelowMinimum} meetings below the national minimum")]
    private static partial void LogDigest(ILogger logger, DateOnly day, int overdue, int belowMinimum);
}

/// <summary>At start-up, with a mailbox set, makes sure the next digest is scheduled (two instances: once, under a lock).</summary>
public sealed partial class MasdgDigestBootstrap(IServiceScopeFactory scopes, ProjectionRules rules, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<MasdgDigestBootstrap> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Digest.Enabled)
        {
            return;
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await EnsureNextDigestAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 * attempt)), stoppingToken);
            }
        }
    }

    public async Task EnsureNextDigestAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MetricsDbContext>();
        await DailyDeadlines.EnsureChainAsync(db, MasdgDigestSchedule.DeadlineKind, clock.GetUtcNow(), options.Value.Digest.At, rules.TimeZone, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduling the MASDG digest failed (attempt {Attempt}); retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception, int attempt);
}
