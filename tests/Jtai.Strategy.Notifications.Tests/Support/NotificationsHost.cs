using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>The notifications service in process, on its own database and vhost, sending to the test's SMTP sink.</summary>
public sealed class NotificationsHost(PostgresDatabase database, RabbitMqVirtualHost broker, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : ServiceHost<NotificationsService>(database, broker, settings, services)
{
    public const string FromAddress = "strategy-no-reply@durham.example.gov.uk";

    /// <summary>Fast timings so retries, leases and the breaker play out in seconds.</summary>
    public static Dictionary<string, string?> Settings(SmtpSink smtp, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:UseStartTls"] = "false",
            ["Smtp:FromAddress"] = FromAddress,
            ["Smtp:FromDisplayName"] = "Strategy meetings (do not reply)",
            ["Smtp:ClientDomain"] = "notifications-tests.local",
            ["Smtp:Timeout"] = "00:00:05",
            ["Notifications:OrganizerEmail"] = TestMeeting.OrganizerEmail,
            ["Notifications:SignInLink"] = "https://strategy.example.gov.uk/sign-in",
            ["Delivery:PollInterval"] = "00:00:00.100",
            ["Delivery:RetryDelay"] = "00:00:00.300",
            ["Delivery:MaxRetryDelay"] = "00:00:01",
            ["Delivery:SendTimeout"] = "00:00:20",
            ["Delivery:SendingLease"] = "00:00:30",
            ["Delivery:Relay:RetryAttempts"] = "1",
            ["Delivery:Relay:RetryDelay"] = "00:00:00.100",
            ["Delivery:Relay:MinimumThroughput"] = "2",
            ["Delivery:Relay:SamplingDuration"] = "00:00:05",
            ["Delivery:Relay:BreakDuration"] = "00:00:01",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts the host and waits until its consumers' queues are bound (a publish before that would be lost).</summary>
    public async Task<NotificationsHost> StartedAsync()
    {
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return this;
    }
}

/// <summary>One database, vhost, SMTP sink, notifications host and meetings side, shared by the tests of a class.</summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public PostgresDatabase Database { get; private set; } = null!;

    public RabbitMqVirtualHost Broker { get; private set; } = null!;

    public SmtpSink Smtp { get; private set; } = null!;

    public NotificationsHost Host { get; private set; } = null!;

    public MeetingsSide Meetings { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        Broker = await RabbitMqVirtualHost.CreateAsync();
        Smtp = await SmtpSink.StartAsync();
        Host = await new NotificationsHost(Database, Broker, NotificationsHost.Settings(Smtp)).StartedAsync();
        Meetings = await MeetingsSide.StartAsync(Broker);
    }

    public async Task DisposeAsync()
    {
        await Meetings.DisposeAsync();
        await Host.DisposeAsync();
        await Smtp.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}
