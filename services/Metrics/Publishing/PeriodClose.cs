using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Projection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics.Publishing;

/// <summary>
/// Period closes are durable deadlines: one row per (kind, period), due when the period's last local
/// day ends plus <see cref="PublishingOptions.Delay"/>. Firing one publishes the period and schedules
/// the next, in the poller's transaction, so each close publishes once across restarts and instances,
/// and a service that was down catches up period by period.
/// </summary>
public static class PeriodCloseSchedule
{
    public const string DeadlineKind = "metrics.period-close";

    /// <summary>Schedules the close of <paramref name="period"/> unless it already is (pending or fired). Call inside a transaction.</summary>
    public static async Task EnsureScheduledAsync(MetricsDbContext db, Period period, ProjectionRules rules, PublishingOptions options, CancellationToken cancellationToken)
    {
        // The start-up step and the close handler (which schedules the next period) may run at once: both check under
        // one lock held to their commit, so the second sees the first's row instead of adding a twin.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('metrics.period-close'), 0)", cancellationToken);
        var subject = SubjectOf(period);
        var known = await db.Deadlines.AnyAsync(d => d.Kind == DeadlineKind && d.SubjectId == subject, cancellationToken)
            || db.Deadlines.Local.Any(d => d.Kind == DeadlineKind && d.SubjectId == subject);
        if (!known)
        {
            db.ScheduleDeadline(DeadlineKind, subject, rules.StartOf(period.End) + options.Delay, Payload(period));
        }
    }

    /// <summary>A stable id per period, so "is this close scheduled?" is one indexed lookup.</summary>
    public static Guid SubjectOf(Period period) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"{DeadlineKind}:{period.Kind}:{period.Start:yyyy-MM-dd}")));

    public static string Payload(Period period) => $"{period.Kind}:{period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static Period FromPayload(string? payload)
    {
        var parts = (payload ?? string.Empty).Split(':', 2);
        return parts.Length == 2 && DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            ? Period.Containing(parts[0], start)
            : throw new FormatException($"'{payload}' is not a period-close payload (kind:yyyy-MM-dd).");
    }
}

/// <summary>Publishes a closed period and schedules the next close of the same kind.</summary>
public sealed class PeriodCloseHandler(Publisher publisher, ProjectionRules rules, IOptions<MetricsOptions> options) : IDeadlineHandler<MetricsDbContext>
{
    public string Kind => PeriodCloseSchedule.DeadlineKind;

    public async Task HandleAsync(DeadlineRow deadline, MetricsDbContext db, CancellationToken cancellationToken)
    {
        var period = PeriodCloseSchedule.FromPayload(deadline.Payload);
        var publishing = options.Value.Publishing;
        if (!publishing.PeriodKinds.Contains(period.Kind, StringComparer.Ordinal))
        {
            // The partnership stopped publishing this kind: let the chain end here.
            return;
        }

        var alreadyPublished = await db.Publications.AnyAsync(
            p => p.Trigger == Publication.Scheduled && p.PeriodKind == period.Kind && p.PeriodStart == period.Start, cancellationToken);
        if (!alreadyPublished)
        {
            await publisher.PublishAsync(db, period, Publication.Scheduled, null, cancellationToken);
        }

        await PeriodCloseSchedule.EnsureScheduledAsync(db, period.Next(), rules, publishing, cancellationToken);
    }
}

/// <summary>At start-up, makes sure the current period of every configured kind has its close scheduled.</summary>
public sealed partial class PeriodCloseBootstrap(IServiceScopeFactory scopes, ProjectionRules rules, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<PeriodCloseBootstrap> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await EnsureCurrentPeriodsAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 * attempt)), stoppingToken);
            }
        }
    }

    public async Task EnsureCurrentPeriodsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MetricsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var today = rules.LocalDate(clock.GetUtcNow());
        foreach (var kind in options.Value.Publishing.PeriodKinds)
        {
            await PeriodCloseSchedule.EnsureScheduledAsync(db, Period.Containing(kind, today), rules, options.Value.Publishing, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduling the period closes failed (attempt {Attempt}); retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception, int attempt);
}
