using System.Reflection;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Resilience;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Jtai.Strategy.BuildingBlocks.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ with the project's conventions: durable quorum queues named in
    /// kebab-case with the service's prefix, publisher confirms; outages (see <see cref="TransientFailures"/>) waited out
    /// by an unbounded retry, with every consumer paused at one gate while the database is down (see
    /// <see cref="DatabaseOutageGate"/>); other failures retried a bounded number of times and then moved
    /// to the endpoint's <c>_error</c> queue with the exception, from where an administrator can requeue them.
    /// </summary>
    /// <param name="messages">The assembly of the messages the service publishes and consumes (the contracts), so the
    /// outbox can store each by its URN and the relay find its type again after a restart.</param>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, string endpointPrefix, Assembly messages, Action<IBusRegistrationConfigurator>? configure = null)
    {
        MessageTypeRegistry.Known.Include(messages);
        // Read when first resolved, not now, so test hosts and deployments can override configuration late.
        builder.Services.AddSingleton(sp => BrokerAddress.Parse(sp.GetRequiredService<IConfiguration>().GetConnectionString("RabbitMq")
            ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not configured (see README: configuring real servers).")));
        builder.Services.AddSingleton<TopologyDeployment>();
        // Who this service is on the broker and whom it trusts for other contexts' events (see PublisherIdentity).
        builder.Services.AddSingleton(sp => new PublisherIdentity(
            endpointPrefix, sp.GetRequiredService<BrokerAddress>(), sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        builder.Services.AddScoped(typeof(TrustedPublisherFilter<>));
        MovedCopyUserIdFilter<ReceiveContext>.EnsureSupported();
        builder.Services.AddSingleton<DatabaseOutageGate>();
        builder.Services.AddHostedService<BrokerStartupGate>();
        builder.AddDeadLetters();
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, includeNamespace: false));
            configure?.Invoke(x);

            // Quorum queues are replicated once the broker is clustered; every endpoint is declared alike,
            // or RabbitMQ refuses a redeclaration with "inequivalent arg 'x-queue-type'".
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }

                // No Fault<T> or ReceiveFault events: no service consumes them, each service's broker user may write only
                // its own exchanges, and the failed message itself waits in _error with its fault (see DeadLetters).
                endpoint.PublishFaults = false;

                // MassTransit's moves to _error and _skipped, with the moved copy given this service's user_id (RabbitMQ
                // refuses any other on this connection); otherwise as MassTransit's own error and dead-letter pipes.
                var identity = context.GetRequiredService<PublisherIdentity>();
                endpoint.ConfigureError(e =>
                {
                    e.UseFilter(new MovedCopyUserIdFilter<ExceptionReceiveContext>(identity));
                    e.UseFilter(new ErrorTransportFilter());
                });
                endpoint.ConfigureDeadLetter(d =>
                {
                    d.UseFilter(new MovedCopyUserIdFilter<ReceiveContext>(identity));
                    d.UseFilter(new DeadLetterTransportFilter());
                });
            });

            x.UsingRabbitMq((context, cfg) =>
            {
                var broker = context.GetRequiredService<BrokerAddress>();
                var outage = context.GetRequiredService<IConfiguration>().GetSection("Messaging").Get<OutageOptions>() ?? new OutageOptions();
                cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
                {
                    h.Username(broker.Username);
                    h.Password(broker.Password);
                    h.PublisherConfirmation = true;
                    // MassTransit's default is the client's 60 s: a node gone silent without closing its socket would hold the
                    // connection (its consumers, its unconfirmed publishes) for about two minutes before a reconnect.
                    h.Heartbeat(outage.Heartbeat);
                    if (broker.IsCluster)
                    {
                        // A cluster: the client connects to a node that answers and, when that node goes away, to another.
                        h.UseCluster(c =>
                        {
                            foreach (var node in broker.Nodes)
                            {
                                c.Node(node.ToString());
                            }
                        });
                    }
                });
                // Every message this service publishes or sends carries its own user as AMQP user_id, which RabbitMQ
                // checks against the connection: consumers of its events can then tell it published them.
                var userId = new PublisherUserIdFilter(broker.Username);
                cfg.ConfigureSend(s => s.UseFilter<SendContext>(userId));
                cfg.ConfigurePublish(p => p.UseFilter<PublishContext>(userId));
                // MassTransit's default prefetch is twice the core count (4 here): too few messages in
                // flight when each consumer waits on its database transaction. Also caps concurrency.
                cfg.PrefetchCount = context.GetRequiredService<IConfiguration>().GetValue("Messaging:PrefetchCount", 32);

                // Outer filter: transient failures retry at a steady pace without limit, so they never spend
                // the budget below nor reach _error.
                cfg.UseMessageRetry(r =>
                {
                    // Incremental with a zero step: a steady pace, computed per attempt (Interval would allocate one slot per attempt).
                    r.Incremental(int.MaxValue, outage.TransientRetryInterval, TimeSpan.Zero);
                    r.Handle<Exception>(TransientFailures.IsTransient);
                });

                // Between the two: while the database is down every consumer waits at one gate, and one probe (not
                // each message's retry) tries the database; see DatabaseOutageGate.
                cfg.UseFilter(new DatabaseOutageGateFilter(context.GetRequiredService<DatabaseOutageGate>()));

                // Inner filter: everything else is a poison candidate with a bounded exponential retry, then
                // the endpoint's _error queue (listed and requeued through /api/admin/dead-letters).
                cfg.UseMessageRetry(r =>
                {
                    r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400));
                    r.Ignore<Exception>(TransientFailures.IsTransient);
                    // A message that cannot be understood will not be understood on retry.
                    r.Ignore<FormatException>();
                    r.Ignore<ArgumentException>();
                    // A publisher that may not publish this event will not become one on retry.
                    r.Ignore<UntrustedPublisherException>();
                });
                // Another context's event from anyone but that context's broker user goes to _error with the reason.
                cfg.UseConsumeFilter(typeof(TrustedPublisherFilter<>), context);
                // The migrate step: declare every endpoint's queue, exchanges and bindings (see RunServiceAsync).
                cfg.DeployTopologyOnly = context.GetRequiredService<TopologyDeployment>().Only;
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}

/// <summary>How consumers ride out an outage (configuration section <c>Messaging</c>).</summary>
public sealed class OutageOptions
{
    /// <summary>Pause between attempts of a message that failed transiently.</summary>
    public TimeSpan TransientRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The AMQP heartbeat asked of the broker: a peer silent for about two of these is taken as gone, the connection is
    /// closed and made again (to another node of a cluster). MassTransit's ContinuationTimeout (20 s) and
    /// RequestedConnectionTimeout (10 s) already bound a channel operation and a connection attempt.
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// True in the <c>migrate</c> step (<c>dotnet service.dll migrate</c>): the bus is then built to declare its topology
/// (every receive endpoint's queue, exchanges and bindings) in MassTransit's deploy-only mode, and starts no consumer.
/// Read from the command line, not set by the step: the web application's set-up (its health checks) builds the bus
/// before the step runs, and a flag set later came too late (a waiting message was consumed by migrate).
/// </summary>
public sealed class TopologyDeployment
{
    public bool Only { get; } = Environment.GetCommandLineArgs().Skip(1).Contains("migrate", StringComparer.Ordinal);
}

/// <summary>One node of the broker: its host and AMQP port.</summary>
public sealed record BrokerNode(string Host, ushort Port)
{
    // System.Uri gives an IPv6 host in its brackets already.
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>
/// RabbitMQ address from an <c>amqp://user:password@host:port/vhost</c> connection string; a cluster's nodes are listed
/// comma-separated where the host goes, <c>amqp://user:password@host1:port1,host2:port2,host3:port3/vhost</c> (one
/// setting per service still, so every script and secret that passes the URL through carries the whole cluster).
/// <see cref="Host"/> and <see cref="Port"/> are the first node; <see cref="Nodes"/> all of them, in the order given.
/// </summary>
public sealed record BrokerAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    private const ushort DefaultPort = 5672;

    /// <summary>The further nodes of a cluster, after the first (<see cref="Host"/>:<see cref="Port"/>); none for one broker.</summary>
    public IReadOnlyList<BrokerNode> OtherNodes { get; init; } = [];

    /// <summary>Every node, the first one first.</summary>
    public IReadOnlyList<BrokerNode> Nodes => [new BrokerNode(Host, Port), .. OtherNodes];

    public bool IsCluster => OtherNodes.Count > 0;

    public static BrokerAddress Parse(string connectionString)
    {
        // A cluster's hosts, "h1:p1,h2:p2": the first stands in for all while System.Uri reads the rest of the address.
        var authorityStart = connectionString.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? scheme + 3 : 0;
        var authorityEnd = connectionString.IndexOf('/', authorityStart) is var slash and >= 0 ? slash : connectionString.Length;
        var hostsStart = connectionString.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) is var at and >= 0 ? at + 1 : authorityStart;
        var hosts = connectionString[hostsStart..authorityEnd].Split(',', StringSplitOptions.TrimEntries);
        var uri = new Uri(connectionString[..hostsStart] + hosts[0] + connectionString[authorityEnd..]);
        if (uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new FormatException($"ConnectionStrings:RabbitMq must be an amqp:// URI, not '{uri.Scheme}'.");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new BrokerAddress(
            uri.Host,
            (ushort)(uri.IsDefaultPort ? DefaultPort : uri.Port),
            virtualHost.Length == 0 ? "/" : virtualHost,
            Uri.UnescapeDataString(userInfo[0] is { Length: > 0 } user ? user : "guest"),
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest")
        {
            OtherNodes = [.. hosts.Skip(1).Select(ParseNode)],
        };
    }

    private static BrokerNode ParseNode(string node)
    {
        var uri = new Uri("amqp://" + node);
        if (uri.AbsolutePath is not ("/" or "") || uri.UserInfo.Length > 0)
        {
            throw new FormatException($"A broker node in ConnectionStrings:RabbitMq is host[:port], not '{node}'.");
        }

        return new BrokerNode(uri.Host, (ushort)(uri.IsDefaultPort ? DefaultPort : uri.Port));
    }

    /// <summary>The address as a connection string again, every node included (what <see cref="Parse"/> reads).</summary>
    public string ToConnectionString() =>
        $"amqp://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{string.Join(',', Nodes)}/{Uri.EscapeDataString(VirtualHost)}";

    /// <summary>The address of a single broker as a URI; a cluster has no one URI (use <see cref="ConnectAsync"/>).</summary>
    public Uri ToUri() => IsCluster
        ? throw new InvalidOperationException("A cluster's address is not one URI: use ToConnectionString() or ConnectAsync().")
        : new($"amqp://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{Nodes[0]}/{Uri.EscapeDataString(VirtualHost)}");

    /// <summary>A connection of the RabbitMQ client to the first node that answers (the client tries them in turn).</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory
        {
            UserName = Username,
            Password = Password,
            VirtualHost = VirtualHost,
            ClientProvidedName = clientName,
        };
        return factory.CreateConnectionAsync([.. Nodes.Select(n => new AmqpTcpEndpoint(n.Host, n.Port))], cancellationToken);
    }

    public bool Equals(BrokerAddress? other) =>
        other is not null && Host == other.Host && Port == other.Port && VirtualHost == other.VirtualHost
        && Username == other.Username && Password == other.Password && OtherNodes.SequenceEqual(other.OtherNodes);

    public override int GetHashCode() => HashCode.Combine(Host, Port, VirtualHost, Username, Password, OtherNodes.Count);
}

/// <summary>
/// Waits, with a Polly pipeline, until the broker accepts a connection before the bus starts, so a
/// service started before RabbitMQ logs clear retries instead of failing. Gives up after the
/// pipeline's bound; MassTransit then keeps reconnecting and readiness stays red.
/// </summary>
public sealed partial class BrokerStartupGate(BrokerAddress broker, PublisherIdentity identity, ILogger<BrokerStartupGate> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Before anything reaches the broker (the start and the migrate step both pass here).
        identity.EnsureAllowed(logger);
        try
        {
            await StartupResilience.Broker(logger).ExecuteAsync(async ct =>
            {
                await using var connection = await broker.ConnectAsync("startup-probe", ct);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogGaveUp(logger, ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "RabbitMQ still unreachable after retries; the bus will keep reconnecting")]
    private static partial void LogGaveUp(ILogger logger, Exception exception);
}
