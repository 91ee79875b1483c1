using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// A recipient's notices are ordered per meeting, not across meetings: an invitation waiting out its backoff after a
/// relay refusal holds back that meeting's later notice to the same SPOC, but not the same SPOC's invitation to another
/// meeting. (A SPOC receives every meeting's invitation; one send at a time per address capped the whole service.)
/// </summary>
public sealed class DeliveryOrderPerMeetingTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

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
    public async Task An_invitation_waiting_out_its_backoff_holds_back_its_own_meetings_next_notice_but_not_another_meetings()
    {
        await using var host = await new NotificationsHost(database, broker, NotificationsHost.Settings(smtp, new Dictionary<string, string?>
        {
            // After one refused attempt the first invitation waits 25 s: long enough to see what it holds back.
            ["Delivery:RetryDelay"] = "00:00:25",
            ["Delivery:MaxRetryDelay"] = "00:00:25",
            ["Delivery:Relay:BreakDuration"] = "00:00:01",
        })).StartedAsync();
        var spoc = TestMeeting.Address("spoc");
        var first = TestMeeting.New();
        var second = TestMeeting.New();

        await smtp.StopAsync();
        var firstInvitation = first.Invite(spoc);
        var firstInvitationId = await meetings.PublishAsync(firstInvitation);
        await Eventually.TrueAsync(
            async () => await Scalar<int>("SELECT attempts FROM notifications.delivery WHERE source_message_id = @id AND status = 'pending'", firstInvitationId) >= 1,
            Timeout, "the first meeting's invitation is refused once and waits for its next attempt");
        await smtp.StartAgainAsync();
        // Past the breaker's break (1 s) that the refusal opened: a send within it would fail at once and wait 25 s too.
        await Task.Delay(TimeSpan.FromSeconds(3));

        // Accepted after it, to the same SPOC: the first meeting's new time, and the second meeting's invitation.
        var firstRescheduledId = await meetings.PublishAsync(first.Reschedule(firstInvitation, TimeSpan.FromHours(1), 1).Message);
        var secondInvitationId = await meetings.PublishAsync(second.Invite(spoc));

        await Eventually.TrueAsync(() => Task.FromResult(smtp.MessagesWithId(secondInvitationId.ToString("N")).Count == 1), TimeSpan.FromSeconds(15),
            "the second meeting's invitation goes while the first meeting's waits");
        Assert.Empty(smtp.MessagesWithId(firstInvitationId.ToString("N")));
        Assert.Empty(smtp.MessagesWithId(firstRescheduledId.ToString("N")));
        Assert.Equal("pending", await Scalar<string>("SELECT status FROM notifications.delivery WHERE source_message_id = @id", firstRescheduledId));

        // Then the first meeting's two, in the order accepted, each once.
        await Eventually.TrueAsync(() => Task.FromResult(smtp.MessagesWithId(firstRescheduledId.ToString("N")).Count == 1), Timeout,
            "the first meeting's notices go after its backoff");
        var invitationSent = await Scalar<DateTime>("SELECT sent_at FROM notifications.delivery WHERE source_message_id = @id", firstInvitationId);
        var rescheduleClaimed = await Scalar<DateTime>("SELECT last_attempt_at FROM notifications.delivery WHERE source_message_id = @id", firstRescheduledId);
        Assert.True(rescheduleClaimed >= invitationSent, $"the new time was claimed at {rescheduleClaimed:O}, before its invitation was sent at {invitationSent:O}");
        Assert.Single(smtp.MessagesWithId(firstInvitationId.ToString("N")));
        Assert.Single(smtp.MessagesWithId(secondInvitationId.ToString("N")));
        Assert.Equal(3, smtp.MessagesTo(spoc).Count);
    }

    private Task<T?> Scalar<T>(string sql, Guid id) => database.ScalarAsync<T>(sql, ("id", id));
}
