using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;
using MailKit.Net.Smtp;
using MimeKit;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Channels;

public sealed class EmailChannelTests
{
    private static readonly SmtpOptions Options = new() { FromAddress = "no-reply@strategy.example.gov.uk", FromDisplayName = "Strategy meetings" };

    private static OutgoingNotification Notification(string? email = "dana.officer@police.example", string id = "n-1")
    {
        var rendered = new InvitationEmailRenderer(timeProvider: new FixedTimeProvider(TestData.Now)).RenderInvitation(TestData.Invitation());
        return new OutgoingNotification(id, new NotificationRecipient("Dana Officer", email), rendered.ToNotificationContent());
    }

    [Fact]
    public async Task Sends_one_message_to_the_recipient_from_the_configured_sender()
    {
        var relay = new RecordingRelay();
        var channel = new EmailChannel(relay, Options, new EmailComposer(new FixedTimeProvider(TestData.Now)));

        var result = await channel.SendAsync(Notification());

        Assert.Equal("email", channel.ChannelName);
        Assert.True(result.IsDelivered);
        Assert.Equal("<n-1@jtai-strategy>", result.ProviderReference);
        var message = Assert.Single(relay.Sent);
        Assert.Equal("no-reply@strategy.example.gov.uk", Assert.IsType<MailboxAddress>(Assert.Single(message.From)).Address);
        Assert.Equal(["dana.officer@police.example"], message.To.Mailboxes.Select(m => m.Address));
        var raw = MimeBytes.Text(message);
        Assert.Contains("\r\nMessage-ID: <n-1@jtai-strategy>\r\n", raw);
        Assert.Contains("\r\nFrom: Strategy meetings <no-reply@strategy.example.gov.uk>\r\n", raw);
        Assert.Contains("Content-Type: text/calendar; charset=utf-8; method=REQUEST", raw);
    }

    [Fact]
    public async Task Recipient_without_e_mail_is_a_permanent_failure_and_nothing_is_sent()
    {
        var relay = new RecordingRelay();
        var channel = new EmailChannel(relay, Options);

        Assert.False(channel.CanDeliver(Notification(email: null)));
        var result = await channel.SendAsync(Notification(email: null));

        Assert.True(result.IsPermanentFailure);
        Assert.Empty(relay.Sent);
    }

    [Fact]
    public async Task Invalid_address_is_a_permanent_failure()
    {
        var result = await new EmailChannel(new RecordingRelay(), Options).SendAsync(Notification(email: "not an address"));
        Assert.True(result.IsPermanentFailure);
    }

    [Theory]
    [InlineData(true, DeliveryOutcome.PermanentFailure)]
    [InlineData(false, DeliveryOutcome.TransientFailure)]
    public async Task Smtp_failures_map_to_permanent_or_transient(bool permanent, DeliveryOutcome expected)
    {
        var relay = new RecordingRelay
        {
            Failure = new SmtpCommandException(
                SmtpErrorCode.RecipientNotAccepted, permanent ? SmtpStatusCode.MailboxUnavailable : SmtpStatusCode.MailboxBusy, "refused"),
        };

        var result = await new EmailChannel(relay, Options).SendAsync(Notification());

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(!permanent, result.ShouldRetry);
        Assert.Contains("refused", result.Detail);
    }

    [Fact]
    public void Channel_needs_a_valid_sender()
    {
        Assert.Throws<ArgumentException>(() => new EmailChannel(new RecordingRelay(), new SmtpOptions { FromAddress = "" }));
    }

    [Fact]
    public async Task A_sent_message_is_not_kept_alive_by_the_channel()
    {
        // The relay lets go of the message once sent, as the SMTP relay does: nothing but the channel could hold it.
        var relay = new ForgettingRelay();
        var channel = new EmailChannel(relay, Options, new EmailComposer(new FixedTimeProvider(TestData.Now)));
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await channel.SendAsync(Notification(id: $"n-{i}"))).IsDelivered);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(3, relay.Sent.Count);
        Assert.All(relay.Sent, sent => Assert.False(sent.IsAlive, "a sent message is still reachable"));
        GC.KeepAlive(channel);
    }

    /// <summary>Remembers only weak references to what it was handed, so that whatever still holds a message shows.</summary>
    private sealed class ForgettingRelay : IMailRelay
    {
        public List<WeakReference> Sent { get; } = [];

        public Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Add(new WeakReference(message));
            return Task.FromResult("OK");
        }
    }

    /// <summary>Keeps what the channel hands over instead of sending it (the relay itself is tested against aiosmtpd).</summary>
    private sealed class RecordingRelay : IMailRelay
    {
        public List<MimeMessage> Sent { get; } = [];

        public Exception? Failure { get; init; }

        public Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Sent.Add(message);
            return Task.FromResult("OK");
        }
    }
}
