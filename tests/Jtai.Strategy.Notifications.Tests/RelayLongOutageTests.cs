using System.Text.RegularExpressions;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// The SMTP relay refuses connections for a long time (60 s here, with the backoff ceiling shortened to 20 s; the same
/// code path as ten minutes with the production defaults) while invitations keep coming: they wait in the delivery
/// table, then all go once, and each recipient receives a meeting's notices in the order they were accepted — even though
/// the earliest ones reached the longest backoff. The give-up time (10 minutes here) is longer than the outage.
/// </summary>
public sealed partial class RelayLongOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const int Notices = 8;

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
    public async Task With_the_relay_refusing_for_a_minute_notices_wait_then_all_go_once_in_order_per_recipient_and_meeting()
    {
        await using var host = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp, new Dictionary<string, string?>
        {
            ["Delivery:RetryDelay"] = "00:00:01",
            ["Delivery:MaxRetryDelay"] = "00:00:20",
            ["Delivery:GiveUpAfter"] = "00:10:00",
            ["Delivery:Relay:BreakDuration"] = "00:00:05",
        })).StartedAsync();
        string[] recipients = [TestMeeting.Address("first"), TestMeeting.Address("second")];
        TestMeeting[] meetingsHeld = [TestMeeting.New(), TestMeeting.New()];
        await smtp.StopAsync();
        var outageEnds = DateTimeOffset.UtcNow + Outage;

        // Accepted one after another through the outage, alternating between the two recipients and, for each, between
        // two meetings: each recipient gets each meeting's invitation and then its new time.
        var published = new List<(Guid MessageId, string Recipient, Guid Meeting)>();
        var invited = new Dictionary<(string, Guid), InvitationIssued>();
        for (var i = 0; i < Notices; i++)
        {
            var recipient = recipients[i % recipients.Length];
            var meeting = meetingsHeld[i / recipients.Length % meetingsHeld.Length];
            Guid messageId;
            if (invited.TryGetValue((recipient, meeting.MeetingId), out var invitation))
            {
                messageId = await meetings.PublishAsync(meeting.Reschedule(invitation, TimeSpan.FromHours(1), 1).Message);
            }
            else
            {
                invitation = meeting.Invite(recipient);
                invited[(recipient, meeting.MeetingId)] = invitation;
                messageId = await meetings.PublishAsync(invitation);
            }

            await Eventually.TrueAsync(async () => await Scalar<long>("SELECT count(*) FROM notifications.delivery WHERE source_message_id = @id", messageId) == 1, Timeout, "the invitation is accepted");
            published.Add((messageId, recipient, meeting.MeetingId));
            await Task.Delay(Remaining(outageEnds) / (Notices - i + 1));
        }

        await Task.Delay(Remaining(outageEnds));
        Assert.Empty(smtp.MessageFiles());
        Assert.Empty(meetings.Delivered);
        Assert.Empty(meetings.Failed);
        // The first ones waited longest: several dispatches, the backoff at its ceiling.
        Assert.True(await Scalar<int>("SELECT attempts FROM notifications.delivery WHERE source_message_id = @id", published[0].MessageId) >= 3);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM notifications.delivery WHERE status NOT IN ('pending', 'sending')"));

        await smtp.StartAgainAsync();

        await Eventually.TrueAsync(() => Task.FromResult(published.All(p => meetings.Delivered.Any(d => d.SourceMessageId == p.MessageId))), Timeout, "every notice is delivered after the relay returns");
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var (messageId, _, _) in published)
        {
            Assert.Single(smtp.MessagesWithId(messageId.ToString("N")));
            Assert.Single(meetings.Delivered, d => d.SourceMessageId == messageId);
        }

        Assert.Empty(meetings.Failed);
        foreach (var recipient in recipients)
        {
            var arrived = await Task.WhenAll(smtp.MessagesTo(recipient).OrderBy(ArrivalOrder).Select(async f => await ReceivedMail.ReadAsync(f)));
            Assert.Equal(Notices / recipients.Length, arrived.Length);
            foreach (var meeting in meetingsHeld)
            {
                var accepted = published.Where(p => p.Recipient == recipient && p.Meeting == meeting.MeetingId).Select(p => p.MessageId.ToString("N")).ToList();
                Assert.Equal(2, accepted.Count);
                Assert.Equal(accepted, arrived.Select(m => m.Header("X-Jtai-Message-Id") ?? string.Empty).Where(accepted.Contains).ToList());
            }
        }
    }

    private static TimeSpan Remaining(DateTimeOffset end) => end > DateTimeOffset.UtcNow ? end - DateTimeOffset.UtcNow : TimeSpan.Zero;

    // The sink's Maildir names are "<seconds>.M<microseconds>P<pid>Q<counter>.<host>"; the counter orders arrivals
    // within one sink process (every message here reached the restarted one).
    private static (long Seconds, long Counter) ArrivalOrder(string file)
    {
        var match = MaildirName().Match(Path.GetFileName(file));
        return (long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value));
    }

    [GeneratedRegex(@"^(\d+)\.M\d+P\d+Q(\d+)\.")]
    private static partial Regex MaildirName();

    private Task<T?> Scalar<T>(string sql, Guid id) => database.ScalarAsync<T>(sql, ("id", id));
}
