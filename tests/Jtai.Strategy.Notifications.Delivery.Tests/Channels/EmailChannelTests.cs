using System.Text;
using Jtai.Strategy.Notifications.Delivery.Mime;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Smtp;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

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
        var smtp = new RecordingSmtpClient();
        var channel = new EmailChannel(smtp, Options, new MimeMessageBuilder(new FixedTimeProvider(TestData.Now)));

        var result = await channel.SendAsync(Notification());

        Assert.Equal("email", channel.ChannelName);
        Assert.True(result.IsDelivered);
        Assert.Equal("<n-1@jtai-strategy>", result.ProviderReference);
        var (envelope, message) = Assert.Single(smtp.Sent);
        Assert.Equal("no-reply@strategy.example.gov.uk", envelope.MailFrom);
        Assert.Equal(["dana.officer@police.example"], envelope.Recipients);
        var raw = Encoding.ASCII.GetString(message);
        Assert.Contains("\r\nMessage-ID: <n-1@jtai-strategy>\r\n", raw);
        Assert.Contains("\r\nFrom: Strategy meetings <no-reply@strategy.example.gov.uk>\r\n", raw);
        Assert.Contains("Content-Type: text/calendar; charset=utf-8; method=REQUEST", raw);
    }

    [Fact]
    public async Task Recipient_without_e_mail_is_a_permanent_failure_and_nothing_is_sent()
    {
        var smtp = new RecordingSmtpClient();
        var channel = new EmailChannel(smtp, Options);

        Assert.False(channel.CanDeliver(Notification(email: null)));
        var result = await channel.SendAsync(Notification(email: null));

        Assert.True(result.IsPermanentFailure);
        Assert.Empty(smtp.Sent);
    }

    [Fact]
    public async Task Invalid_address_is_a_permanent_failure()
    {
        var result = await new EmailChannel(new RecordingSmtpClient(), Options).SendAsync(Notification(email: "not an address"));
        Assert.True(result.IsPermanentFailure);
    }

    [Theory]
    [InlineData(true, DeliveryOutcome.PermanentFailure)]
    [InlineData(false, DeliveryOutcome.TransientFailure)]
    public async Task Smtp_failures_map_to_permanent_or_transient(bool permanent, DeliveryOutcome expected)
    {
        var smtp = new RecordingSmtpClient
        {
            Failure = new SmtpDeliveryException("refused", SmtpStage.RecipientTo, permanent, new SmtpReply(permanent ? 550 : 451, ["x"])),
        };

        var result = await new EmailChannel(smtp, Options).SendAsync(Notification());

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(!permanent, result.ShouldRetry);
        Assert.Contains("refused", result.Detail);
    }

    [Fact]
    public void Channel_needs_a_valid_sender()
    {
        Assert.Throws<ArgumentException>(() => new EmailChannel(new RecordingSmtpClient(), new SmtpOptions { FromAddress = "" }));
    }

    private sealed class RecordingSmtpClient : ISmtpClient
    {
        public List<(SmtpEnvelope Envelope, byte[] Message)> Sent { get; } = [];

        public SmtpDeliveryException? Failure { get; init; }

        public Task<SmtpSendResult> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Sent.Add((envelope, message.ToArray()));
            return Task.FromResult(new SmtpSendResult(envelope.Recipients, [], new SmtpReply(250, ["OK"])));
        }
    }
}
