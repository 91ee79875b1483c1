using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// The step after the relay's 250: PostgreSQL stops right after the relay accepted an e-mail, so "sent" cannot be
/// recorded. The dispatcher is alive and knows the relay has it: it keeps retrying the record through the outage (longer
/// than the sending lease here) and commits it when the database returns; the e-mail is not sent again.
/// </summary>
public sealed class RecordThroughDatabaseOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Longer than the lease below and than the old five-attempt record retry (about 6 s).
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);

    private PrivatePostgresServer postgres = null!;
    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;
    private SmtpSink smtp = null!;
    private MeetingsSide meetings = null!;

    public async Task InitializeAsync()
    {
        postgres = await PrivatePostgresServer.StartAsync();
        database = await PostgresDatabase.CreateAsync(postgres.ConnectionString);
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
        await postgres.DisposeAsync();
    }

    [Fact]
    public async Task With_the_database_stopped_right_after_the_relay_accepted_sent_is_recorded_when_it_returns_and_the_email_goes_once()
    {
        OutageAfterAcceptRelay? relay = null;
        await using var host = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp, new Dictionary<string, string?>
        {
            // A lease that runs out during the outage: without the retried record the row would be claimed again.
            ["Delivery:SendTimeout"] = "00:00:05",
            ["Delivery:SendingLease"] = "00:00:06",
            ["Delivery:RecordRetryMaxDelay"] = "00:00:01",
        }), services => services.AddSingleton<IMailRelay>(sp => relay = new OutageAfterAcceptRelay(
            new SmtpRelayPool(sp.GetRequiredService<IOptions<SmtpOptions>>().Value), () => postgres.StopAsync()))).StartedAsync();

        var messageId = await meetings.PublishAsync(TestMeeting.New().Invite(TestMeeting.Address("record-outage")));

        await Eventually.TrueAsync(() => Task.FromResult(relay?.Accepted.IsCompleted == true), Timeout, "the relay accepts and the database stops");
        Assert.Single(smtp.MessagesWithId(messageId.ToString("N")));
        await Task.Delay(Outage);
        Assert.Empty(meetings.Delivered);

        await postgres.StartAgainAsync();

        await Eventually.TrueAsync(() => Task.FromResult(meetings.Delivered.Any(d => d.SourceMessageId == messageId)), Timeout, "'sent' and its event are recorded after the outage");
        Assert.Equal("sent", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", messageId));
        Assert.Equal(1, await Scalar<int>("SELECT attempts FROM notifications.delivery WHERE source_message_id = @id", messageId));
        Assert.Equal(0, await Scalar<int>("SELECT interrupted_sends FROM notifications.delivery WHERE source_message_id = @id", messageId));
        // Past another lease and several poll intervals: nothing claims the delivery again.
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Single(smtp.MessagesWithId(messageId.ToString("N")));
        Assert.Single(meetings.Delivered, d => d.SourceMessageId == messageId);
    }

    private Task<T?> Scalar<T>(string sql, Guid id) => database.ScalarAsync<T>(sql, ("id", id));
}
