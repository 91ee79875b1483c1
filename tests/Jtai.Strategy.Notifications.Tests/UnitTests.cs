using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Dispatch;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Intake;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>Rules that need no server: channel choice, stable ids, the delivery's life cycle, failure reasons.</summary>
public sealed class UnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_preferred_channel_that_can_reach_the_recipient_is_chosen()
    {
        var email = new FakeChannel("email", n => n.Recipient.EmailAddress is not null);
        var sms = new FakeChannel("sms", n => n.Recipient.PhoneNumber is not null);
        var selector = new ChannelSelector([email, sms], Options.Create(new DeliveryOptions { ChannelPreference = ["sms", "email"] }));

        Assert.Same(sms, selector.Select(Notification(new NotificationRecipient("A", "a@x.example", "+447700900123"))));
        Assert.Same(email, selector.Select(Notification(new NotificationRecipient("A", "a@x.example"))));
        Assert.Null(selector.Select(Notification(new NotificationRecipient("A"))));
        Assert.Same(email, selector.ByName("email"));
    }

    [Fact]
    public void Two_channels_with_one_name_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new ChannelSelector(
            [new FakeChannel("email", _ => true), new FakeChannel("email", _ => true)], Options.Create(new DeliveryOptions())));
    }

    [Fact]
    public void The_email_id_is_derived_from_the_source_message_and_stable()
    {
        var source = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var spoc = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");

        Assert.Equal("0f8fad5bd9cb469fa16570867728950e", DeliveryPlan.NotificationIdFor(source));
        Assert.Equal("0f8fad5bd9cb469fa16570867728950e.7c9e6679742540de944be07fc1f90ae7", DeliveryPlan.NotificationIdFor(source, spoc));
        Assert.Equal(DeliveryPlan.NotificationIdFor(source, spoc), DeliveryPlan.NotificationIdFor(source, spoc));
        Assert.Equal("dana@police.example", DeliveryPlan.RecipientKeyOf(new NotificationRecipient("Dana", " Dana@Police.Example ")));
    }

    [Fact]
    public void A_delivery_found_sending_again_counts_as_an_interrupted_send_and_a_finished_one_cannot_be_claimed()
    {
        var delivery = DeliveryRecord.Planned(Plan(), "email", "{}", Now, Now.AddHours(1));

        delivery.Claim(Now, Now.AddMinutes(5));
        Assert.Equal((DeliveryStatus.Sending, 1, 0), (delivery.Status, delivery.Attempts, delivery.InterruptedSends));

        delivery.Claim(Now.AddMinutes(5), Now.AddMinutes(10)); // the first dispatcher died; its lease ran out
        Assert.Equal((DeliveryStatus.Sending, 2, 1), (delivery.Status, delivery.Attempts, delivery.InterruptedSends));

        delivery.Sent(Now.AddMinutes(6), "<x@jtai-strategy>");
        Assert.Null(delivery.Content);
        Assert.Throws<InvalidOperationException>(() => delivery.Claim(Now.AddMinutes(7), Now.AddMinutes(12)));
    }

    [Fact]
    public void A_transient_failure_returns_the_delivery_to_pending_until_its_next_attempt()
    {
        var delivery = DeliveryRecord.Planned(Plan(), "email", "{}", Now, Now.AddHours(1));
        delivery.Claim(Now, Now.AddMinutes(5));

        delivery.RetryLater(Now.AddSeconds(30), "SMTP connect failed");

        Assert.Equal((DeliveryStatus.Pending, Now.AddSeconds(30), "SMTP connect failed"), (delivery.Status, delivery.NextAttemptAt, delivery.LastError));
        Assert.NotNull(delivery.Content);
    }

    [Theory]
    [InlineData("SMTP RCPT TO failed at RecipientTo: 550 5.1.1 <dana.officer@police.example>: mailbox unavailable", "SMTP RCPT TO failed at RecipientTo: 550 5.1.1 <<address>>: mailbox unavailable")]
    [InlineData("550 user dana@x.example unknown\r\nsecond line", "550 user <address> unknown second line")]
    [InlineData(null, "unknown")]
    public void Failure_reasons_leaving_the_service_mask_addresses(string? detail, string expected)
    {
        Assert.Equal(expected, DeliveryEventFactory.Reason(detail));
    }

    [Fact]
    public void Stored_content_round_trips_with_its_calendar_object()
    {
        var content = new NotificationContent
        {
            Subject = "S",
            TextBody = "T",
            HtmlBody = "<p>H</p>",
            ShortText = "short",
            Calendar = new Delivery.Rendering.CalendarAttachment("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", Delivery.Rendering.CalendarMethod.Cancel, "cancel.ics"),
        };

        Assert.Equal(content, StoredContent.Deserialize(StoredContent.Serialize(content)));
    }

    [Fact]
    public void A_lease_not_longer_than_the_send_timeout_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new DeliveryOptions { SendTimeout = TimeSpan.FromMinutes(5), SendingLease = TimeSpan.FromMinutes(5) }.Validate());
    }

    private static OutgoingNotification Notification(NotificationRecipient recipient) =>
        new("id", recipient, new NotificationContent { Subject = "s", TextBody = "t" });

    private static DeliveryPlan Plan() => new(
        Guid.NewGuid(), DeliveryKinds.Invitation, Guid.NewGuid(), Guid.NewGuid(), "SM-2026-000001", "FF-A", "DURHAM-POLICE",
        new NotificationRecipient("Dana", "dana@police.example"), "n", Now.AddDays(1), new NotificationContent { Subject = "s", TextBody = "t" });

    private sealed class FakeChannel(string name, Func<OutgoingNotification, bool> canDeliver) : IDeliveryChannel
    {
        public string ChannelName => name;

        public bool CanDeliver(OutgoingNotification notification) => canDeliver(notification);

        public Task<DeliveryResult> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken = default) =>
            Task.FromResult(DeliveryResult.Delivered(name));
    }
}
