using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Notifications.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// A first deployment in the wrong order: the meetings service convenes before the notifications service has ever run,
/// so no queue is bound for InvitationIssued. RabbitMQ would drop those messages; the relay publishes them as mandatory,
/// keeps them pending (health Degraded) and delivers them once the notifications service's queue exists, whether its
/// first start or its migrate step declared it.
/// </summary>
public sealed class FirstDeploymentTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string IssuedUrn = MessageTypeRegistry.Known.UrnOf(typeof(InvitationIssued));

    private const string IssuedQueue = "notifications-invitation-issued";
    private const string IssuedExchange = "jtai-strategy.meetings.invitation-issued.v2";

    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;
    private RabbitMqVirtualHost broker = null!;
    private SmtpSink smtp = null!;

    public async Task InitializeAsync()
    {
        meetingsDatabase = await PostgresDatabase.CreateAsync();
        notificationsDatabase = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
        smtp = await SmtpSink.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        await broker.DisposeAsync();
        await notificationsDatabase.DisposeAsync();
        await meetingsDatabase.DisposeAsync();
    }

    [Fact]
    public async Task Invitations_convened_before_notifications_first_started_stay_pending_and_arrive_once_it_starts()
    {
        // The other services a deployment has (directory, metrics) as one stand-in: it takes the directory snapshot
        // request and the convened event, but not InvitationIssued, which only the notifications service takes here.
        var others = await StartOthersAsync();
        try
        {
            await using var meetings = new ServiceHost<MeetingsService>(meetingsDatabase, broker, new Dictionary<string, string?>
            {
                ["Deadlines:PollInterval"] = "00:00:00.100",
                ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
                ["Meetings:ResponseLinkKey"] = "TEST-ONLY-meetings-response-link-key-0123456789abcdef",
                // The production backoff is 1 s doubling to 5 min; a test waits seconds, not minutes.
                ["Outbox:RetryDelay"] = "00:00:00.200",
                ["Outbox:MaxRetryDelay"] = "00:00:02",
            });
            await meetings.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            var spocs = AcrossServices.OneSpocPerAgency(TestMeeting.Address("police"));
            await AcrossServices.AnnounceDirectoryAsync(others, meetingsDatabase, spocs);

            var manager = meetings.ClientAs(JtaiRoles.TeamManager, team: await AcrossServices.CreateTeamAsync(meetings));
            var meeting = await AcrossServices.ConveneAsync(manager, AcrossServices.Convene(DateTimeOffset.UtcNow, caseReference: "LL-2026-6001"));

            // Returned by the broker, retried, still pending; readiness answers 200 and says Degraded, naming the type.
            await Eventually.TrueAsync(async () => await meetingsDatabase.ScalarAsync<long>(
                    $"SELECT count(*) FROM meetings.outbox_message WHERE message_type = '{IssuedUrn}' AND dispatched_at IS NULL AND last_error LIKE 'Unroutable: %' AND attempts >= 2") == spocs.Count,
                Timeout, "every InvitationIssued is returned unroutable and retried");
            Assert.Equal(0L, await meetingsDatabase.ScalarAsync<long>($"SELECT count(*) FROM meetings.outbox_message WHERE message_type = '{IssuedUrn}' AND dispatched_at IS NOT NULL"));
            var degraded = await meetings.AnonymousClient().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
            var report = JsonDocument.Parse(await degraded.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Degraded", report.GetProperty("status").GetString());
            var outbox = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "outbox");
            Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
            Assert.Contains($"{IssuedUrn} ({spocs.Count})", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Empty(spocs.SelectMany(s => smtp.MessagesTo(s.SecureEmail)));

            // The notifications service's first start (no migrate step run): its start declares the queue.
            await using var notifications = await new NotificationsHost(notificationsDatabase, broker, NotificationsHost.Settings(smtp)).StartedAsync();

            foreach (var spoc in spocs)
            {
                await Eventually.TrueAsync(() => Task.FromResult(smtp.MessagesTo(spoc.SecureEmail).Count > 0), Timeout, $"the invitation to {spoc.FullName} arrives");
            }

            await Eventually.TrueAsync(async () => await meetingsDatabase.ScalarAsync<long>(
                $"SELECT count(*) FROM meetings.outbox_message WHERE message_type = '{IssuedUrn}' AND dispatched_at IS NOT NULL") == spocs.Count, Timeout, "the relay marks every invitation dispatched");
            await Eventually.TrueAsync(async () =>
                JsonDocument.Parse(await meetings.AnonymousClient().GetStringAsync("/health/ready")).RootElement.GetProperty("status").GetString() == "Healthy",
                Timeout, "readiness is Healthy again once everything is routed");

            // Exactly once each, with the meeting's reference.
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var spoc in spocs)
            {
                var mail = await ReceivedMail.ReadAsync(Assert.Single(smtp.MessagesTo(spoc.SecureEmail)));
                Assert.Equal($"Strategy meeting {meeting.Reference} \u2013 invitation", mail.Header("Subject"));
            }
        }
        finally
        {
            await others.StopAsync();
        }
    }

    [Fact]
    public async Task The_migrate_step_alone_declares_the_queues_and_a_message_published_before_the_first_start_waits_in_them()
    {
        var settings = new Dictionary<string, string?>(NotificationsHost.Settings(smtp))
        {
            ["ConnectionStrings:Postgres"] = notificationsDatabase.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
        };
        Assert.DoesNotContain(IssuedQueue, await broker.QueueNamesAsync());

        var (exitCode, output) = await ServiceProcess.MigrateAsync("Notifications", "Jtai.Strategy.Notifications", settings);
        Assert.True(exitCode == 0, output);

        // No service is running; the queues and their bindings are there (message exchange -> endpoint exchange -> queue).
        var queues = await broker.QueueNamesAsync();
        Assert.Contains(IssuedQueue, queues);
        Assert.Contains("notifications-invitation-reminder-due", queues);
        var bindings = await broker.BindingsAsync();
        Assert.Contains((IssuedExchange, IssuedQueue), bindings);
        Assert.Contains((IssuedQueue, IssuedQueue), bindings);

        // Published before the service ever started: it waits in the queue.
        var meeting = TestMeeting.New();
        var invitation = meeting.Invite(TestMeeting.Address("police"));
        var publisher = await StartOthersAsync();
        try
        {
            await publisher.Publish(invitation, c => ((RabbitMqSendContext)c).Mandatory = true);
        }
        finally
        {
            await publisher.StopAsync();
        }

        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(IssuedQueue) == 1, Timeout, "the invitation waits in the queue");
        Assert.Empty(smtp.MessagesTo(invitation.Recipient.Email));

        // A second migrate (the next deployment's first step) declares again and consumes nothing: the message still waits.
        (exitCode, output) = await ServiceProcess.MigrateAsync("Notifications", "Jtai.Strategy.Notifications", settings);
        Assert.True(exitCode == 0, output);
        var left = (Ready: await broker.ReadyNowAsync(IssuedQueue),
            Inbox: await notificationsDatabase.ScalarAsync<long>("SELECT count(*) FROM notifications.inbox_state"),
            Deliveries: await notificationsDatabase.ScalarAsync<long>("SELECT count(*) FROM notifications.delivery"),
            Queues: string.Join(",", (await broker.QueueNamesAsync()).Where(q => q.StartsWith("notifications-invitation-issued", StringComparison.Ordinal))));
        Assert.True((left.Ready, left.Inbox, left.Deliveries) == (1u, 0L, 0L), left.ToString() + "\n" + output);

        // The first start takes it.
        await using var notifications = await new NotificationsHost(notificationsDatabase, broker, NotificationsHost.Settings(smtp)).StartedAsync();
        await Eventually.TrueAsync(() => Task.FromResult(smtp.MessagesTo(invitation.Recipient.Email).Count == 1), Timeout, "the waiting invitation is delivered");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(smtp.MessagesTo(invitation.Recipient.Email));
    }

    /// <summary>A bus standing in for the directory and metrics services: publishes the directory, takes what they take.</summary>
    private async Task<IBusControl> StartOthersAsync()
    {
        var address = BrokerAddress.Parse(broker.ConnectionString);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
            {
                h.Username(address.Username);
                h.Password(address.Password);
            });
            cfg.ReceiveEndpoint("other-services-stand-in", e =>
            {
                e.Handler<DirectorySnapshotRequested>(_ => Task.CompletedTask);
                e.Handler<StrategyMeetingConvened>(_ => Task.CompletedTask);
            });
        });
        await bus.StartAsync();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return bus;
    }
}
