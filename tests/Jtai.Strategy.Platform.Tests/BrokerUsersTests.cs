using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Replica;
using Jtai.Strategy.SpocDirectory;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// The directory and meetings services, each connected as its own broker user with the permissions of
/// deploy/rabbitmq/permissions.tsv (the ones scripts/infra.sh provisions), on one virtual host of the real broker.
/// </summary>
public sealed class BrokerUsersFixture : IAsyncLifetime
{
    public const string Team = "FF-BROKER";

    public PostgresDatabase Database { get; private set; } = null!;

    public RabbitMqVirtualHost Broker { get; private set; } = null!;

    public ServiceHost<SpocDirectoryService> Directory { get; private set; } = null!;

    public ServiceHost<MeetingsService> Meetings { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        Broker = await RabbitMqVirtualHost.CreateAsync();
        await Broker.GrantServiceUsersAsync();
        Directory = new ServiceHost<SpocDirectoryService>(Database, Broker, new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = Broker.ConnectionStringAs("spoc-directory") });
        Meetings = new ServiceHost<MeetingsService>(Database, Broker, new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = Broker.ConnectionStringAs("meetings") });
        _ = Directory.Services;
        _ = Meetings.Services;
        using var admin = Meetings.ClientAs(JtaiRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/teams", new { code = Team, name = "Families First broker users", gpPilot = false })).EnsureSuccessStatusCode();
    }

    /// <summary>The health agency's name as the meetings service's replica knows it, through its suggestions.</summary>
    public async Task<string?> HealthAgencyNameAsync()
    {
        using var manager = Meetings.ClientAs(JtaiRoles.TeamManager, team: Team);
        using var response = await manager.PostAsJsonAsync("/api/meetings/suggestions", new { ageBand = "FiveToTen" });
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().Where(s => s.GetProperty("agencyCode").GetString() == BrokerUsersTests.HealthAgency)
            .Select(s => s.GetProperty("agencyName").GetString()).FirstOrDefault();
    }

    public async Task DisposeAsync()
    {
        await Meetings.DisposeAsync();
        await Directory.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class BrokerUsersTests(BrokerUsersFixture fixture) : IClassFixture<BrokerUsersFixture>
{
    public const string HealthAgency = "CDDFT";
    private const string RealName = "County Durham & Darlington NHS Foundation Trust";
    private const string SnapshotExchange = "jtai-strategy.spoc-directory.directory-snapshot-published";
    private const string ReplicaErrorQueue = DirectoryReplicaQueue.Name + "_error";

    [Fact]
    public async Task The_directorys_snapshot_reaches_meetings_with_each_service_as_its_own_user()
    {
        Assert.Equal(RealName, await ReplicaHealthNameAsync());
    }

    [Fact]
    public async Task The_broker_refuses_a_directory_event_from_another_services_user()
    {
        var refusal = await PublishAsync(fixture.Broker.ConnectionStringAs("metrics"), SnapshotExchange, Forged(), userId: null);

        Assert.Equal((ushort?)403, refusal?.ReplyCode); // ACCESS_REFUSED: metrics may not write to the directory's exchanges
    }

    [Fact]
    public async Task The_broker_refuses_another_services_user_posing_as_the_directory()
    {
        // Posing on the directory's exchange: refused.
        var posing = await PublishAsync(fixture.Broker.ConnectionStringAs("metrics"), SnapshotExchange, Forged(), userId: "spoc-directory");
        Assert.NotNull(posing);
        Assert.Contains(posing.ReplyCode, new ushort[] { 403, 406 });

        // And the user_id check on its own: on an exchange metrics may write to, the directory's user_id is refused.
        var ownExchange = await PublishAsync(fixture.Broker.ConnectionStringAs("metrics"), "jtai-strategy.metrics.masdg-digest-due", Forged(), userId: "spoc-directory", declare: true);
        Assert.Equal((ushort?)406, ownExchange?.ReplyCode); // PRECONDITION_FAILED: user_id is not the connection's user
        Assert.Contains("user_id", ownExchange!.ReplyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("guest")]
    public async Task A_forged_snapshot_from_a_user_with_write_rights_lands_in_the_error_queue_and_changes_nothing(string? userId)
    {
        Assert.Equal(RealName, await ReplicaHealthNameAsync());
        var before = await ErrorCountAsync();

        // The fixture's own user (guest, the vhost's administrator) may write anywhere, but is not the directory.
        var forged = new DirectorySnapshotPublished(null, [new AgencySnapshot(HealthAgency, "Forged health trust", AgencyKind.Health, true, 1_000_000)], [], DateTimeOffset.UtcNow);
        var messageId = NewId.NextGuid();
        await PublishWithMassTransitAsync(forged, messageId, userId);

        await Eventually.TrueAsync(async () => await ErrorCountAsync() > before, TimeSpan.FromSeconds(30), "the forged snapshot reaches the error queue");
        var letters = await DeadLettersAsync();
        var letter = Assert.Single(letters, l => l.MessageId == messageId.ToString());
        Assert.Equal(ReplicaErrorQueue, letter.Queue);
        Assert.Contains("only the broker user 'spoc-directory' publishes", letter.FaultMessage, StringComparison.Ordinal);
        Assert.Contains(userId is null ? "no AMQP user_id" : $"user_id '{userId}'", letter.FaultMessage, StringComparison.Ordinal);
        Assert.Equal(RealName, await fixture.HealthAgencyNameAsync());

        // The way back judges it again by who first published it: refused again, still nothing changed.
        using var admin = fixture.Meetings.ClientAs(JtaiRoles.Administrator);
        var errors = await ErrorCountAsync();
        (await admin.PostAsync($"/api/admin/dead-letters/{ReplicaErrorQueue}/{messageId}/requeue", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await DeadLettersAsync()).Any(l => l.MessageId == messageId.ToString()) && await ErrorCountAsync() == errors,
            TimeSpan.FromSeconds(30), "the requeued forgery is refused again");
        Assert.Contains("only the broker user 'spoc-directory' publishes", (await DeadLettersAsync()).Single(l => l.MessageId == messageId.ToString()).FaultMessage, StringComparison.Ordinal);
        Assert.Equal(RealName, await fixture.HealthAgencyNameAsync());
    }

    [Fact]
    public async Task A_services_user_cannot_consume_another_services_queue()
    {
        await ReplicaHealthNameAsync(); // the meetings queue exists
        var factory = new ConnectionFactory { Uri = new Uri(fixture.Broker.ConnectionStringAs("metrics")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var refused = await Assert.ThrowsAnyAsync<OperationInterruptedException>(() => channel.BasicGetAsync(DirectoryReplicaQueue.Name, autoAck: false));
        Assert.Equal((ushort?)403, refused.ShutdownReason?.ReplyCode);

        // Its own kind of queue it may read: the refusal is about whose queue it is.
        await using var own = await connection.CreateChannelAsync();
        await own.QueueDeclareAsync("metrics-broker-users-probe", durable: false, exclusive: true, autoDelete: true);
        Assert.Null(await own.BasicGetAsync("metrics-broker-users-probe", autoAck: true));
    }

    private Task<string?> ReplicaHealthNameAsync() =>
        Eventually.GetAsync(fixture.HealthAgencyNameAsync, name => name == RealName, TimeSpan.FromSeconds(60), "the directory's snapshot reaches the meetings replica");

    private async Task<long> ErrorCountAsync()
    {
        try
        {
            return await fixture.Broker.ReadyNowAsync(ReplicaErrorQueue);
        }
        catch (OperationInterruptedException)
        {
            return 0; // not declared yet
        }
    }

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync()
    {
        using var admin = fixture.Meetings.ClientAs(JtaiRoles.Administrator);
        return (await admin.GetFromJsonAsync<List<DeadLetter>>("/api/admin/dead-letters"))!;
    }

    private static byte[] Forged() => JsonSerializer.SerializeToUtf8Bytes(new { agencies = new[] { new { code = HealthAgency, name = "Forged", version = 1_000_000 } } });

    /// <summary>Publishes with confirms as the given connection; returns the broker's reason for closing the channel, or null if it took the message.</summary>
    private static async Task<ShutdownEventArgs?> PublishAsync(string connectionString, string exchange, byte[] body, string? userId, bool declare = false)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        if (declare)
        {
            // As its owner declares it (the metrics service is not running here).
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        }

        try
        {
            await channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, new BasicProperties { UserId = userId, ContentType = "application/json" }, body);
            await channel.ExchangeDeclarePassiveAsync(exchange); // a round trip, so a refusal has arrived
            return null;
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or RabbitMQ.Client.Exceptions.PublishException)
        {
            for (var i = 0; i < 50 && channel.CloseReason is null; i++)
            {
                await Task.Delay(100);
            }

            return channel.CloseReason ?? (ex as OperationInterruptedException)?.ShutdownReason;
        }
    }

    /// <summary>What a forger with a MassTransit client does: publish the contract, as the fixture's own user.</summary>
    private async Task PublishWithMassTransitAsync(DirectorySnapshotPublished message, Guid messageId, string? userId)
    {
        var address = BrokerAddress.Parse(fixture.Broker.ConnectionString);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
        {
            h.Username(address.Username);
            h.Password(address.Password);
        }));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        try
        {
            await bus.Publish(message, context =>
            {
                context.MessageId = messageId;
                if (context is RabbitMqSendContext rabbit)
                {
                    rabbit.BasicProperties.UserId = userId;
                }
            });
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}

/// <summary>
/// deploy/rabbitmq/permissions.tsv against the code: each service's user reads exactly the exchanges of the events it
/// consumes, writes only its own context's exchanges (and meetings the directory's snapshot request), and touches no
/// other service's queues; and each service declares its whole topology on the broker as its own user.
/// </summary>
public sealed class BrokerPermissionsTests
{
    private static readonly Type[] Contracts = [.. Jtai.Strategy.Contracts.MessageContracts.Assembly.GetTypes()
        .Where(t => t.GetCustomAttributes(typeof(EntityNameAttribute), false).Length > 0)];

    /// <summary>Each service's user and the message types its consumers take.</summary>
    public static TheoryData<string> Users => [.. BrokerUserPermissions.All.Select(p => p.User)];

    private static IReadOnlySet<Type> ConsumedBy(string user) => user switch
    {
        "spoc-directory" => Consumers(typeof(SpocDirectoryService).Assembly),
        "meetings" => Consumers(typeof(MeetingsService).Assembly),
        "notifications" => Consumers(typeof(Notifications.NotificationsService).Assembly),
        // The projection registers one generic consumer per type of its one list.
        "metrics" => Consumers(typeof(Metrics.MetricsService).Assembly).Concat(Metrics.Projection.ProjectedEvents.All.Select(e => e.Type)).ToHashSet(),
        "action-plan" => Consumers(typeof(ActionPlan.ActionPlanService).Assembly),
        // Not referenced here (a Razor and static-asset project): its one consumer, LiveBoard's BoardChangeConsumer.
        "web" => new HashSet<Type>
        {
            typeof(Contracts.Meetings.InvitationIssued), typeof(Contracts.Notifications.InvitationDelivered),
            typeof(Contracts.Notifications.InvitationDeliveryFailed), typeof(Contracts.Meetings.InvitationAnswered),
            typeof(Contracts.Meetings.InvitationSuperseded), typeof(Contracts.Meetings.InvitationReminderDue),
            typeof(Contracts.Meetings.InvitationNotIssued),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(user), user, "a user of permissions.tsv without a service here"),
    };

    [Theory]
    [MemberData(nameof(Users))]
    public void A_services_user_reads_what_it_consumes_and_writes_only_its_own_contexts_exchanges(string user)
    {
        var permissions = BrokerUserPermissions.Of(user);
        var consumed = ConsumedBy(user);
        foreach (var contract in Contracts)
        {
            var exchange = ((EntityNameAttribute)contract.GetCustomAttributes(typeof(EntityNameAttribute), false)[0]).EntityName;
            var own = PublisherIdentity.ContextOf(contract) == user;
            var requested = user == "meetings" && contract == typeof(DirectorySnapshotRequested);
            Assert.True(Matches(permissions.Read, exchange) == consumed.Contains(contract), $"{user}: read on {exchange} should be {consumed.Contains(contract)}");
            Assert.True(Matches(permissions.Write, exchange) == (own || requested), $"{user}: write on {exchange} should be {own || requested}");
            Assert.True(Matches(permissions.Configure, exchange) == (own || requested || consumed.Contains(contract)), $"{user}: configure on {exchange}");
        }

        foreach (var other in BrokerUserPermissions.All)
        {
            var queue = other.User + "-some-endpoint";
            var mine = other.User == user;
            foreach (var (kind, pattern) in new[] { ("configure", permissions.Configure), ("write", permissions.Write), ("read", permissions.Read) })
            {
                Assert.True(Matches(pattern, queue) == mine, $"{user}: {kind} on {queue} should be {mine}");
                Assert.True(Matches(pattern, queue + "_error") == mine, $"{user}: {kind} on {queue}_error should be {mine}");
            }
        }

        // Never the default exchange (it would reach every queue by name) nor MassTransit's fault exchanges.
        Assert.False(Matches(permissions.Write, "amq.default"));
        Assert.False(Matches(permissions.Write, "MassTransit:Fault"));
    }

    public static TheoryData<string> Services => ["notifications", "metrics", "action-plan"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_declares_its_topology_and_gets_ready_as_its_own_user(string user)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await broker.GrantServiceUsersAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = broker.ConnectionStringAs(user) };
        await using IAsyncDisposable host = user switch
        {
            "notifications" => new ServiceHost<Notifications.NotificationsService>(database, broker, settings),
            "metrics" => new ServiceHost<Metrics.MetricsService>(database, broker, settings),
            _ => new ServiceHost<ActionPlan.ActionPlanService>(database, broker, settings),
        };
        var client = host switch
        {
            ServiceHost<Notifications.NotificationsService> n => n.AnonymousClient(),
            ServiceHost<Metrics.MetricsService> m => m.AnonymousClient(),
            ServiceHost<ActionPlan.ActionPlanService> a => a.AnonymousClient(),
            _ => throw new InvalidOperationException(),
        };

        // Ready means the bus and every receive endpoint started: each queue, exchange and binding declared as this user.
        await Eventually.TrueAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), $"{user} gets ready");
        var queues = await broker.QueueNamesAsync();
        Assert.NotEmpty(queues);
        Assert.All(queues, q => Assert.StartsWith(user + "-", q, StringComparison.Ordinal));
    }

    private static bool Matches(string pattern, string name) => System.Text.RegularExpressions.Regex.IsMatch(name, pattern);

    private static HashSet<Type> Consumers(System.Reflection.Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();
}
