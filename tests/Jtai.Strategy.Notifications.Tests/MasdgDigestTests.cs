using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Publishing;
using Jtai.Strategy.Notifications.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// The MASDG's daily digest end to end: the metrics service (its own clock, moved to the digest's time) projects the
/// meetings' events and publishes the digest; this service renders it and sends one e-mail to the MASDG's mailbox
/// through the real SMTP server, reported as NoticeDelivered (kind masdg-digest).
/// </summary>
public sealed class MasdgDigestTests : ServicesOnOneBroker
{
    private const string Mailbox = "masdg@durham.example";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private PostgresDatabase metricsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        metricsDatabase = await NewDatabaseAsync();
        notificationsDatabase = await NewDatabaseAsync();
    }

    [Fact]
    public async Task The_digest_email_lists_the_open_overdue_circulation_and_yesterdays_meeting_below_the_minimum_by_reference()
    {
        await using var notifications = await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync();
        // Tuesday 10 March 2026, 07:00 London time (GMT): the digest is due at 08:00.
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 10, 7, 0, 0, TimeSpan.Zero));
        await using var metrics = new ServiceHost<MetricsService>(metricsDatabase, Broker, new Dictionary<string, string?>
        {
            ["Deadlines:PollInterval"] = "00:00:00.100",
            ["Metrics:Digest:At"] = "08:00",
            ["Metrics:Digest:Mailbox"] = Mailbox,
            ["Metrics:Digest:SignInLink"] = "https://strategy.example.gov.uk/metrics",
        }, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.PostConfigure<MetricsOptions>(o => o.Publishing.PeriodKinds = []);
        });
        await metrics.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, Timeout);

        // An overdue circulation (deadline Monday 09:00, warned and chased once), and a meeting on Monday without police.
        var overdueId = Guid.NewGuid();
        var ended = new DateTimeOffset(2026, 3, 8, 9, 0, 0, TimeSpan.Zero);
        await Observer.PublishAsync(new MeetingHeld(overdueId, "SM-2026-000201", "TA", ended.AddHours(-1), ended, false, null, false, false, true, ended.AddHours(24), ended));
        await Observer.PublishAsync(new ActionCirculationWarning(overdueId, "SM-2026-000201", "TA", ended.AddHours(24), ended.AddHours(20)));
        await Observer.PublishAsync(new ActionCirculationOverdue(overdueId, "SM-2026-000201", "TA", ended.AddHours(24), 0, ended.AddHours(24)));
        var monday = new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.Zero);
        await Observer.PublishAsync(new MeetingHeld(Guid.NewGuid(), "SM-2026-000202", "TB", monday, monday.AddHours(1), true, "PartnerDidNotAttend", false, false, true, monday.AddHours(25), monday.AddHours(1)));
        await Eventually.TrueAsync(async () => await metricsDatabase.ScalarAsync<long>("SELECT count(*) FROM metrics.event_log") == 4, Timeout);

        clock.Set(new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero));
        var file = Assert.Single(await Eventually.GetAsync(() => Task.FromResult(Smtp.MessagesTo(Mailbox)), m => m.Count > 0, Timeout, "the digest arrives in the MASDG's mailbox"));
        var mail = await ReceivedMail.ReadAsync(file);

        Assert.Equal($"MASDG <{Mailbox}>", mail.Header("To"));
        Assert.Equal("Strategy meetings daily digest \u2013 2026-03-09: 1 overdue circulation, 1 meeting below the national minimum", mail.Header("Subject"));
        Assert.Contains("- SM-2026-000201 (team TA): deadline Monday 9 March 2026, 09:00 (UK time), 23.0 hours overdue, 2 notices sent", mail.Text, StringComparison.Ordinal);
        Assert.Contains("- SM-2026-000202 (team TB): ", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<tr><td>SM-2026-000201</td><td>TA</td>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>SM-2026-000202</td><td>TB</td>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("https://strategy.example.gov.uk/metrics", mail.Text, StringComparison.Ordinal);

        var digestId = MasdgDigestSchedule.DigestIdOf(new DateOnly(2026, 3, 10));
        var receipt = await Eventually.GetAsync(
            () => Task.FromResult(Observer.NoticesDelivered.FirstOrDefault(n => n.Kind == DeliveryKinds.MasdgDigest)), n => n is not null, Timeout, "the digest's receipt");
        Assert.Equal((digestId, (string?)null), (receipt!.MeetingId, receipt.AgencyCode));
        await Task.Delay(1000);
        Assert.Single(Smtp.MessagesTo(Mailbox));
    }

    [Fact]
    public async Task A_digest_redelivered_or_published_again_under_another_message_id_sends_one_email()
    {
        await using var notifications = await new NotificationsHost(notificationsDatabase, Broker, NotificationsHost.Settings(Smtp)).StartedAsync();
        var deadline = new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.Zero);
        var digest = new MasdgDigestDue(
            Guid.NewGuid(), new DateOnly(2026, 3, 9), null, [new OverdueCirculation("SM-2026-000301", "TA", deadline, 23.0, 1)], [], Mailbox, deadline.AddHours(23));
        var messageId = NewId.NextGuid();

        await Observer.PublishAsync(digest, messageId);
        await Eventually.TrueAsync(() => Task.FromResult(Smtp.MessagesTo(Mailbox).Count == 1), Timeout);
        await Observer.PublishAsync(digest, messageId);
        await Observer.PublishAsync(digest, NewId.NextGuid());
        await Task.Delay(2000);

        var mail = await ReceivedMail.ReadAsync(Assert.Single(Smtp.MessagesTo(Mailbox)));
        Assert.Contains("SM-2026-000301", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Meetings held below the national minimum on Monday 9 March 2026: 0\nNone.", mail.Text, StringComparison.Ordinal);
        Assert.Equal(1L, await notificationsDatabase.ScalarAsync<long>("SELECT count(*) FROM notifications.delivery WHERE kind = 'masdg-digest'"));
    }
}
