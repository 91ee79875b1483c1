using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Publishing;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>The MASDG's daily digest is a chain of durable deadlines: once a day at the configured local time, across restarts.</summary>
public sealed class MasdgDigestTests : IAsyncLifetime
{
    private const string Mailbox = "masdg@durham.example";
    private const string PendingDigests = "SELECT count(*) FROM metrics.deadline WHERE kind = 'metrics.masdg-digest' AND fired_at IS NULL AND cancelled_at IS NULL";

    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task The_digest_goes_out_once_a_day_at_eight_listing_open_overdue_circulations_and_yesterdays_meetings_below_the_minimum()
    {
        // Tuesday 10 March 2026, 07:00 in London (GMT): today's digest is still ahead.
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 10, 7, 0, 0, TimeSpan.Zero));
        var overdue = new OversightMeeting("SM-2026-000101", "TA", new DateTimeOffset(2026, 3, 8, 15, 0, 0, TimeSpan.Zero));
        var belowYesterday = new OversightMeeting("SM-2026-000102", "TB", new DateTimeOffset(2026, 3, 9, 15, 0, 0, TimeSpan.Zero));
        var fullYesterday = new OversightMeeting("SM-2026-000103", "TB", new DateTimeOffset(2026, 3, 9, 16, 0, 0, TimeSpan.Zero));
        var belowToday = new OversightMeeting("SM-2026-000104", "TA", new DateTimeOffset(2026, 3, 10, 6, 30, 0, TimeSpan.Zero));
        ScriptedEvent[] events = [overdue.Held(), overdue.Warning(), overdue.Overdue(0), belowYesterday.Held(belowMinimum: true), fullYesterday.Held(), belowToday.Held(belowMinimum: true)];

        var host = await MetricsHost.StartAsync(database, broker, clock, Configure);
        var digests = await PublishedMessages<MasdgDigestDue>.ListenAsync(host.Services, "test-masdg-digest");
        await host.PublishAsync(events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == events.Length);
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(PendingDigests) == 1, because: "start-up schedules the next digest");

        clock.Set(new DateTimeOffset(2026, 3, 10, 7, 59, 0, TimeSpan.Zero));
        await Task.Delay(500);
        Assert.Empty(digests.Received);

        clock.Set(new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero));
        var digest = Assert.Single(await Eventually.GetAsync(() => Task.FromResult(digests.Received), r => r.Count >= 1, because: "the digest's deadline fires"));
        Assert.Equal((MasdgDigestSchedule.DigestIdOf(new DateOnly(2026, 3, 10)), new DateOnly(2026, 3, 9), Mailbox), (digest.DigestId, digest.Day, digest.Mailbox));
        Assert.Equal(new Uri("https://metrics.durham.example/"), digest.SignInLink);
        var listed = Assert.Single(digest.Overdue);
        Assert.Equal(("SM-2026-000101", "TA", overdue.Deadline, 17.0, 2), (listed.MeetingReference, listed.TeamCode, listed.Deadline, listed.HoursOverdue, listed.NoticesSent));
        var below = Assert.Single(digest.HeldBelowMinimum);
        Assert.Equal(("SM-2026-000102", "TB", belowYesterday.End.AddHours(-1), belowYesterday.End), (below.MeetingReference, below.TeamCode, below.ActualStart, below.ActualEnd));
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(PendingDigests) == 1, because: "tomorrow's digest is scheduled in the same transaction");

        // A restart (and a second instance beside it) neither repeats today's digest nor starts a second chain.
        await host.DisposeAsync();
        host = await MetricsHost.StartAsync(database, broker, clock, Configure);
        await using var second = await MetricsHost.StartAsync(database, broker, clock, Configure);
        // The same queue, listened to again from the new process: a repeat would arrive here.
        var afterRestart = await PublishedMessages<MasdgDigestDue>.ListenAsync(host.Services, "test-masdg-digest");
        await Task.Delay(1500);
        Assert.Empty(afterRestart.Received);
        Assert.Equal(1L, await database.ScalarAsync<long>(PendingDigests));

        clock.Set(new DateTimeOffset(2026, 3, 11, 8, 0, 0, TimeSpan.Zero));
        var next = Assert.Single(await Eventually.GetAsync(() => Task.FromResult(afterRestart.Received), r => r.Count >= 1, because: "the next day's digest fires"));
        await Task.Delay(1000);
        Assert.Single(afterRestart.Received);
        Assert.Equal(new DateOnly(2026, 3, 10), next.Day);
        Assert.Equal(["SM-2026-000104"], next.HeldBelowMinimum.Select(m => m.MeetingReference));
        Assert.Equal(41.0, Assert.Single(next.Overdue).HoursOverdue);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_mailbox_no_digest_is_scheduled()
    {
        await using var host = await MetricsHost.StartAsync(database, broker, new ManualClock(new DateTimeOffset(2026, 3, 10, 7, 0, 0, TimeSpan.Zero)));
        await Task.Delay(1000);

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM metrics.deadline WHERE kind = 'metrics.masdg-digest'"));
    }

    private static void Configure(Domain.MetricsOptions o)
    {
        o.Digest.Mailbox = Mailbox;
        o.Digest.SignInLink = new Uri("https://metrics.durham.example/");
    }
}
