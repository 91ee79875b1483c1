using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.BuildingBlocks.Deadlines;

/// <summary>
/// Something sent once a day at a local time (the MASDG's digest, the notice to administrators) as a chain of durable
/// deadlines: one row per day, its subject an id derived from the kind and the day, its payload the day
/// (<c>yyyy-MM-dd</c>). The handler that fires one schedules the next; start-up makes sure a chain exists, under a lock,
/// so each day's row exists once across restarts and instances.
/// </summary>
public static class DailyDeadlines
{
    /// <summary>A stable id per kind and day: the deadline's subject, and the id of what it sends (one e-mail per id).</summary>
    public static Guid IdOf(string kind, DateOnly day) => new(MD5.HashData(Encoding.UTF8.GetBytes($"{kind}:{day:yyyy-MM-dd}")));

    /// <summary>When the deadline for local <paramref name="day"/> falls due: <paramref name="at"/> in <paramref name="zone"/>.</summary>
    public static DateTimeOffset DueAt(DateOnly day, TimeOnly at, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(at, DateTimeKind.Unspecified);
        // A time that the clocks skip (spring forward) falls due when they resume.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The first day whose deadline is still ahead of <paramref name="now"/>: today's if its time has not come, else tomorrow's.</summary>
    public static DateOnly NextDay(DateTimeOffset now, TimeOnly at, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return DueAt(today, at, zone) > now ? today : today.AddDays(1);
    }

    /// <summary>The day a fired deadline of the chain stands for (its payload).</summary>
    public static DateOnly DayOf(DeadlineRow deadline) => DateOnly.ParseExact(deadline.Payload!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Adds <paramref name="day"/>'s deadline to the unit of work unless it is stored or already added.</summary>
    public static async Task EnsureScheduledAsync(ServiceDbContext db, string kind, DateOnly day, TimeOnly at, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var subject = IdOf(kind, day);
        var known = await db.Deadlines.AnyAsync(d => d.Kind == kind && d.SubjectId == subject, cancellationToken)
            || db.Deadlines.Local.Any(d => d.Kind == kind && d.SubjectId == subject);
        if (!known)
        {
            db.ScheduleDeadline(kind, subject, DueAt(day, at, zone), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// After firing <paramref name="fired"/>'s day: schedules the next day still ahead of <paramref name="now"/>. After an
    /// outage that is the next one to come, not a burst of the days missed.
    /// </summary>
    public static Task ScheduleNextAsync(ServiceDbContext db, string kind, DateOnly fired, DateTimeOffset now, TimeOnly at, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var next = NextDay(now, at, zone);
        return EnsureScheduledAsync(db, kind, next > fired ? next : fired.AddDays(1), at, zone, cancellationToken);
    }

    /// <summary>
    /// At start-up: makes sure a chain is pending, in its own transaction under an advisory lock on the kind (two
    /// instances starting together schedule it once). A pending row (e.g. today's, scheduled before a restart) keeps
    /// the chain: no second one is started.
    /// </summary>
    public static async Task EnsureChainAsync(ServiceDbContext db, string kind, DateTimeOffset now, TimeOnly at, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({kind}), 0)", cancellationToken);
        var pending = await db.Deadlines.AnyAsync(d => d.Kind == kind && d.FiredAt == null && d.CancelledAt == null, cancellationToken);
        if (!pending)
        {
            await EnsureScheduledAsync(db, kind, NextDay(now, at, zone), at, zone, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
