using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// The broker dies for a while (a RabbitMQ node of this test's own, killed and started again) while meetings are
/// convened: requests still succeed (the outbox holds the messages), nothing answers 500, and once the broker is
/// back every accepted meeting's e-mails arrive once and no error queue holds anything. Short here; the outbox and
/// the bus's reconnection have no time limit, so the same covers two minutes.
/// </summary>
public sealed class BrokerOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    private PrivateRabbitMqServer rabbit = null!;
    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;
    private RabbitMqVirtualHost broker = null!;
    private SmtpSink smtp = null!;
    private MeetingsSide directory = null!;

    public async Task InitializeAsync()
    {
        rabbit = await PrivateRabbitMqServer.StartAsync();
        meetingsDatabase = await PostgresDatabase.CreateAsync();
        notificationsDatabase = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync(rabbit.ConnectionString, rabbit.Management);
        smtp = await SmtpSink.StartAsync();
        directory = await MeetingsSide.StartAsync(broker);
    }

    public async Task DisposeAsync()
    {
        await directory.DisposeAsync();
        await smtp.DisposeAsync();
        await broker.DisposeAsync();
        await notificationsDatabase.DisposeAsync();
        await meetingsDatabase.DisposeAsync();
        await rabbit.DisposeAsync();
    }

    [Fact]
    public async Task With_the_broker_down_meetings_are_still_convened_and_after_it_returns_each_one_is_e_mailed_once()
    {
        var json = DatabaseOutageTests.Json;
        await using var notifications = await new NotificationsHost(notificationsDatabase, broker, NotificationsHost.Settings(smtp, DatabaseOutageTests.OutageSettings)).StartedAsync();
        await using var meetings = await AcrossServices.StartMeetingsAsync(meetingsDatabase, broker, settings: DatabaseOutageTests.OutageSettings);
        await AcrossServices.AnnounceDirectoryAsync(directory.Publisher, meetingsDatabase, AcrossServices.OneSpocPerAgency());
        var team = await AcrossServices.CreateTeamAsync(meetings);
        var admin = meetings.ClientAs(JtaiRoles.Administrator);
        var manager = meetings.ClientAs(JtaiRoles.TeamManager, team: team);

        var accepted = new List<MeetingResponse> { await AcrossServices.ConveneAsync(manager, AcrossServices.Convene(DateTimeOffset.UtcNow)) };
        await rabbit.KillAsync();
        var statuses = new List<HttpStatusCode>();
        var until = DateTimeOffset.UtcNow + Outage;
        while (DateTimeOffset.UtcNow < until)
        {
            if (accepted.Count < 4)
            {
                var response = await manager.PostAsJsonAsync("/api/meetings", AcrossServices.Convene(DateTimeOffset.UtcNow, accepted.Count), json);
                statuses.Add(response.StatusCode);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                accepted.Add((await response.Content.ReadFromJsonAsync<MeetingResponse>(json))!);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
        await rabbit.StartAgainAsync();

        foreach (var meeting in accepted)
        {
            await Eventually.TrueAsync(async () => (await AcrossServices.MailsOfAsync(smtp, meeting)).Count == 3, TimeSpan.FromSeconds(120), $"the three invitations of {meeting.Reference} arrive");
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var meeting in accepted)
        {
            var mails = await AcrossServices.MailsOfAsync(smtp, meeting);
            Assert.Equal(3, mails.Count);
            Assert.Equal(3, mails.Select(m => m.Header("To")).Distinct().Count());
        }

        Assert.Empty((await admin.GetFromJsonAsync<List<DeadLetter>>("/api/admin/dead-letters", json))!);
        foreach (var errorQueue in (await broker.QueueNamesAsync()).Where(q => q.EndsWith("_error", StringComparison.Ordinal)))
        {
            Assert.Equal(0, await broker.ReadyCountAsync(errorQueue));
        }
    }
}
