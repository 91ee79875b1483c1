using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// Failures around the relay and the service itself: a relay that is down for a while, a dispatcher killed mid-send
/// (before and after the relay accepted), and a delivery that cannot be made in time. Each test owns its servers.
/// </summary>
public sealed class RelayOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;
    private SmtpSink smtp = null!;
    private MeetingsSide meetings = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
        smtp = await SmtpSink.StartAsync();
        meetings = await MeetingsSide.StartAsync(broker);
    }

    public async Task DisposeAsync()
    {
        await meetings.DisposeAsync();
        await smtp.DisposeAsync();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task With_the_relay_down_for_a_while_the_invitation_waits_in_the_table_and_is_delivered_once_after_it_returns()
    {
        await using var host = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp)).StartedAsync();
        await smtp.StopAsync();
        var invitation = TestMeeting.New().Invite(TestMeeting.Address("outage"));

        var messageId = await meetings.PublishAsync(invitation);

        // Several dispatches fail, the circuit breaker opens (later dispatches fail fast without touching the relay),
        // and the message itself is no longer held by the broker: the delivery table holds the work.
        await Eventually.TrueAsync(async () => await Scalar<int>("SELECT attempts FROM notifications.delivery WHERE source_message_id = @id", messageId) >= 3, Timeout);
        await Eventually.TrueAsync(async () => (await Scalar<string>("SELECT last_error FROM notifications.delivery WHERE source_message_id = @id", messageId) ?? "").Contains("circuit open", StringComparison.Ordinal),
            Timeout, "the breaker opens while the relay is down");
        // Waiting for its next attempt, or in one (a dispatch may be under way right now): neither sent nor failed.
        Assert.Contains(await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId), new[] { "pending", "sending" });
        Assert.Equal(0, await broker.ReadyCountAsync("notifications-invitation-issued"));
        Assert.Empty(meetings.Delivered);

        await smtp.StartAgainAsync();

        await Eventually.TrueAsync(() => Task.FromResult(smtp.MessagesWithId(messageId.ToString("N")).Count > 0), Timeout, "delivered after the relay returns");
        await Eventually.TrueAsync(() => Task.FromResult(meetings.Delivered.Any(d => d.SourceMessageId == messageId)), Timeout);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single(smtp.MessagesWithId(messageId.ToString("N")));
        Assert.Single(meetings.Delivered, d => d.SourceMessageId == messageId);
        Assert.Equal("sent", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId));
        Assert.Null(await Scalar<string>("SELECT content::text FROM notifications.delivery WHERE source_message_id = @id", messageId));
    }

    [Fact]
    public async Task A_relay_that_drops_the_connection_before_its_final_reply_is_retried_and_the_email_arrives_once_with_the_same_message_id()
    {
        await using var host = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp)).StartedAsync();
        // The test relay closes the connection after the message content, before its 250, the first two times (the
        // ambiguous window of SMTP; here it kept nothing), then accepts.
        var invitation = TestMeeting.New().Invite(TestMeeting.Address("dropdata2"));

        var messageId = await meetings.PublishAsync(invitation);

        await Eventually.TrueAsync(() => Task.FromResult(meetings.Delivered.Any(d => d.SourceMessageId == messageId)), Timeout, "delivered after the drops");
        var mail = await ReceivedMail.ReadAsync(Assert.Single(smtp.MessagesWithId(messageId.ToString("N"))));
        Assert.Equal($"<{messageId:N}@jtai-strategy>", mail.Header("Message-ID"));
        Assert.Equal("sent", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId));
        Assert.True(await Scalar<int>("SELECT attempts FROM notifications.delivery WHERE source_message_id = @id", messageId) >= 2, "the drops were retried by later dispatches");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(smtp.MessagesWithId(messageId.ToString("N")));
    }

    [Fact]
    public async Task A_dispatcher_killed_before_the_relay_got_the_email_is_taken_over_after_its_lease_and_the_email_sent_once()
    {
        var messageId = await CrashAsync(afterRelayAccepted: false);
        Assert.Empty(smtp.MessagesWithId(messageId.ToString("N")));

        await using var restarted = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp, CrashSettings)).StartedAsync();

        await Eventually.TrueAsync(() => Task.FromResult(meetings.Delivered.Any(d => d.SourceMessageId == messageId)), Timeout);
        Assert.Single(smtp.MessagesWithId(messageId.ToString("N")));
        Assert.Equal(1, await Scalar<int>("SELECT interrupted_sends FROM notifications.delivery WHERE source_message_id = @id", messageId));
        Assert.Equal("sent", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId));
    }

    [Fact]
    public async Task A_dispatcher_killed_after_the_relay_accepted_causes_the_one_documented_duplicate_with_the_same_message_id()
    {
        var messageId = await CrashAsync(afterRelayAccepted: true);
        Assert.Single(smtp.MessagesWithId(messageId.ToString("N")));

        await using var restarted = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp, CrashSettings)).StartedAsync();

        // The remaining window (docs/notifications.md): the relay had the e-mail, the service had not recorded it.
        // At-least-once was chosen over at-most-once; the resend carries the same Message-ID and calendar UID/SEQUENCE,
        // so mail stores and calendars that deduplicate show one.
        await Eventually.TrueAsync(() => Task.FromResult(meetings.Delivered.Any(d => d.SourceMessageId == messageId)), Timeout);
        var copies = smtp.MessagesWithId(messageId.ToString("N"));
        Assert.Equal(2, copies.Count);
        var calendars = await Task.WhenAll(copies.Select(async f => await IcalJs.ParseAsync((await ReceivedMail.ReadAsync(f)).CalendarPart)));
        Assert.Single(calendars.Select(c => (c.Uid, c.Sequence)).Distinct());
        Assert.Single(meetings.Delivered, d => d.SourceMessageId == messageId);
    }

    [Fact]
    public async Task A_notice_not_deliverable_in_time_fails_visibly()
    {
        await smtp.StopAsync();
        await using var host = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp, new Dictionary<string, string?>
        {
            ["Delivery:GiveUpAfter"] = "00:00:02",
        })).StartedAsync();
        var invitation = TestMeeting.New().Invite(TestMeeting.Address("too-late"));

        var messageId = await meetings.PublishAsync(invitation);

        var failed = await Eventually.GetAsync(() => Task.FromResult(meetings.Failed.FirstOrDefault(f => f.SourceMessageId == messageId)), f => f is not null, Timeout);
        Assert.StartsWith("Not delivered before", failed!.Reason);
        Assert.Equal(invitation.InvitationId, failed.InvitationId);
        Assert.Equal("failed", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId));
    }

    /// <summary>Short lease, so a restarted dispatcher takes over a dead one's delivery within seconds.</summary>
    private static Dictionary<string, string?> CrashSettings => new()
    {
        ["Delivery:SendTimeout"] = "00:00:05",
        ["Delivery:SendingLease"] = "00:00:06",
    };

    /// <summary>Publishes an invitation to a host whose send "dies" at the given point, then stops that host. Returns the message id.</summary>
    private async Task<Guid> CrashAsync(bool afterRelayAccepted)
    {
        CrashingRelay? crashing = null;
        var host = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp, CrashSettings), services =>
            services.AddSingleton<IMailRelay>(sp => crashing = new CrashingRelay(new SmtpRelayPool(sp.GetRequiredService<IOptions<SmtpOptions>>().Value), afterRelayAccepted))).StartedAsync();
        var messageId = await meetings.PublishAsync(TestMeeting.New().Invite(TestMeeting.Address("crash")));
        await Eventually.TrueAsync(() => Task.FromResult(crashing?.Crashed.IsCompleted == true), Timeout, "the send reaches the crash point");

        Assert.Equal("sending", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId));
        await host.DisposeAsync();
        Assert.Equal("sending", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId));
        Assert.Empty(meetings.Delivered);
        return messageId;
    }

    private Task<T?> Scalar<T>(string sql, Guid id) => database.ScalarAsync<T>(sql, ("id", id));
}
