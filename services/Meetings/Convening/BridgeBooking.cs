using System.Security.Cryptography;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Convening;

public sealed record BridgeClash(string Bridge, string DialInNumber, string MeetingReference, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A free bridge, or why there is none: the clashes and the next start at which one is free.</summary>
public sealed record BridgeBooking(Bridge? Bridge, IReadOnlyList<BridgeClash> Clashes, DateTimeOffset? NextFreeStart)
{
    /// <summary>How far ahead the next free slot is looked for.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);
}

public static class BridgeBookings
{
    /// <summary>
    /// The first active bridge of the team with no scheduled meeting overlapping [start, end)
    /// (the preferred one first, so a rescheduled meeting keeps its number where it can). The
    /// database's exclusion constraint backs this check against a concurrent booking.
    /// </summary>
    public static async Task<BridgeBooking> FindFreeBridgeAsync(
        this MeetingsDbContext db, Team team, DateTimeOffset start, DateTimeOffset end, Guid? exceptMeeting, Guid? preferred, CancellationToken cancellationToken)
    {
        var bridges = team.Bridges.Where(b => b.Active).OrderBy(b => b.Id == preferred ? 0 : 1).ThenBy(b => b.Label, StringComparer.Ordinal).ToList();
        if (bridges.Count == 0)
        {
            return new BridgeBooking(null, [], null);
        }

        var ids = bridges.Select(b => b.Id).ToList();
        var length = end - start;
        var horizon = start + BridgeBooking.Horizon + length;
        var booked = await db.Meetings.AsNoTracking()
            .Where(m => ids.Contains(m.BridgeId) && m.Status == MeetingStatus.Scheduled && (exceptMeeting == null || m.Id != exceptMeeting.Value)
                && m.ScheduledEnd > start && m.ScheduledStart < horizon)
            .Select(m => new { m.BridgeId, m.Reference, m.ScheduledStart, m.ScheduledEnd })
            .ToListAsync(cancellationToken);

        bool Free(Guid bridgeId, DateTimeOffset from, DateTimeOffset to) =>
            !booked.Any(b => b.BridgeId == bridgeId && b.ScheduledStart < to && b.ScheduledEnd > from);

        if (bridges.FirstOrDefault(b => Free(b.Id, start, end)) is { } free)
        {
            return new BridgeBooking(free, [], null);
        }

        var clashes = booked.Where(b => b.ScheduledStart < end && b.ScheduledEnd > start)
            .OrderBy(b => b.ScheduledStart)
            .Select(b =>
            {
                var bridge = bridges.Single(x => x.Id == b.BridgeId);
                return new BridgeClash(bridge.Label, bridge.DialInNumber, b.Reference, b.ScheduledStart, b.ScheduledEnd);
            })
            .ToList();
        // A bridge frees up only when a meeting on it ends: try those moments in order.
        var next = booked.Select(b => b.ScheduledEnd).Where(e => e > start).Distinct().Order()
            .Cast<DateTimeOffset?>()
            .FirstOrDefault(at => bridges.Any(b => Free(b.Id, at!.Value, at.Value + length)));
        return new BridgeBooking(null, clashes, next);
    }
}

/// <summary>Meeting PINs: 8 digits from the operating system's CSPRNG, so unguessable and underivable.</summary>
public static class Pins
{
    public const int Digits = 8;

    public static string New() => RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A PIN no scheduled meeting holds (the unique index on scheduled meetings backs this).</summary>
    public static async Task<string> NewUniqueAsync(MeetingsDbContext db, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pin = New();
            if (!await db.Meetings.AnyAsync(m => m.Pin == pin && m.Status == MeetingStatus.Scheduled, cancellationToken))
            {
                return pin;
            }
        }
    }
}
