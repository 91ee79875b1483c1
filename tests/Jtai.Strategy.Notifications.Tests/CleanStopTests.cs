using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Notifications.Tests.Support;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// SIGTERM under load, the service run as deployed (its own process): it stops taking messages, finishes those in
/// flight, stops the bus and only then disposes its container. No fault, nothing in an <c>_error</c> queue, and every
/// message it had not yet taken is taken by the next start: each invitation e-mailed exactly once.
/// </summary>
public sealed class CleanStopTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private const int Invitations = 150;

    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;
    private SmtpSink smtp = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
        smtp = await SmtpSink.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_sigterm_under_load_leaves_no_fault_nothing_in_error_and_the_rest_is_taken_once_by_the_next_start()
    {
        var settings = new Dictionary<string, string?>(NotificationsHost.Settings(smtp))
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
            ["Outbox:PollInterval"] = "00:00:00.200",
        };
        // The meetings service's side: publishes the invitations and takes the delivery results back.
        await using var meetings = await MeetingsSide.StartAsync(broker);
        var first = await ServiceProcess.StartAsync("Notifications", "Jtai.Strategy.Notifications", settings);
        string firstOutput;
        try
        {
            var meeting = TestMeeting.New();
            var invitations = Enumerable.Range(0, Invitations).Select(i => meeting.Invite(TestMeeting.Address($"load{i}"), sequence: 0)).ToList();
            foreach (var invitation in invitations)
            {
                await meetings.PublishAsync(invitation);
            }

            // Mid-stream: some delivered, most not.
            await Eventually.TrueAsync(() => Task.FromResult(invitations.Count(i => smtp.MessagesTo(i.Recipient.Email).Count > 0) >= 5), Timeout, "the first e-mails go out");
            var beforeStop = first.Output.Length;
            Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(60)));
            // What the service logged from SIGTERM on (the readiness probe's "not started" before the bus ran is no fault).
            firstOutput = first.Output[beforeStop..];
            var sentBeforeStop = invitations.Count(i => smtp.MessagesTo(i.Recipient.Email).Count > 0);
            Assert.True(sentBeforeStop < Invitations, "the stop came under load, not after it");

            Assert.False(firstOutput.Contains("ObjectDisposedException", StringComparison.Ordinal), firstOutput);
            Assert.False(firstOutput.Contains("fail:", StringComparison.Ordinal), firstOutput);
            Assert.False(firstOutput.Contains("crit:", StringComparison.Ordinal), firstOutput);
            foreach (var queue in (await broker.QueueNamesAsync()).Where(q => q.EndsWith("_error", StringComparison.Ordinal)))
            {
                Assert.Equal(0, await broker.ReadyCountAsync(queue));
            }

            // The next start takes what was left; every invitation is e-mailed exactly once.
            await using var second = await ServiceProcess.StartAsync("Notifications", "Jtai.Strategy.Notifications", settings);
            await Eventually.TrueAsync(() => Task.FromResult(invitations.All(i => smtp.MessagesTo(i.Recipient.Email).Count > 0)), Timeout, "every invitation is e-mailed after the restart");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.All(invitations, i => Assert.Single(smtp.MessagesTo(i.Recipient.Email)));
            foreach (var queue in (await broker.QueueNamesAsync()).Where(q => q.EndsWith("_error", StringComparison.Ordinal)))
            {
                Assert.Equal(0, await broker.ReadyCountAsync(queue));
            }

            Assert.Equal(0, await second.StopAsync());
            Assert.False(second.Output.Contains("ObjectDisposedException", StringComparison.Ordinal), second.Output);
            Assert.False(second.Output.Contains("crit:", StringComparison.Ordinal), second.Output);
        }
        finally
        {
            await first.DisposeAsync();
        }
    }
}
