using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Jtai.Strategy.BuildingBlocks.Messaging;

/// <summary>
/// Who may publish each bounded context's events, and who this service is on the broker. Every service connects as
/// its own RabbitMQ user (deploy/rabbitmq/permissions.tsv); RabbitMQ refuses a message whose AMQP <c>user_id</c> is
/// not the connection's user, so a consumer that checks <c>user_id</c> knows which service published.
/// </summary>
/// <remarks>
/// A context's events are those whose exchange (<c>[EntityName]</c>) is <c>jtai-strategy.&lt;context&gt;.*</c>; their
/// publisher's user is <c>Messaging:BrokerUsers:&lt;context&gt;</c>, by default the context's own name (the users
/// <c>scripts/infra.sh</c> and the compose file create). The check is on when the service connects as its own user.
/// Outside Development a service that connects as anyone else refuses to start; in Development (the tests' in-process
/// hosts share one administrator connection) the check is off and the start-up log says so.
/// </remarks>
public sealed class PublisherIdentity
{
    /// <summary>The header a service's own user writes on a message it moves (to <c>_error</c>, <c>_skipped</c> and back):
    /// the <c>user_id</c> the message arrived with, since the moved copy must carry the mover's own.</summary>
    public const string ArrivedAsHeader = "Jtai-Arrived-As-User";

    private const string ExchangePrefix = "jtai-strategy.";
    private static readonly string[] Contexts = ["spoc-directory", "meetings", "notifications", "metrics", "action-plan", "web"];
    private static readonly ConcurrentDictionary<Type, string?> ContextOfType = new();
    private readonly IReadOnlyDictionary<string, string> users;

    public PublisherIdentity(string context, BrokerAddress broker, IConfiguration configuration, IHostEnvironment environment)
    {
        Context = context;
        OwnUser = broker.Username;
        var section = configuration.GetSection("Messaging:BrokerUsers");
        // The service's own context too when it is none of the known ones (a test host's, say).
        users = Contexts.Append(context).Distinct(StringComparer.Ordinal)
            .ToDictionary(c => c, c => section[c] is { Length: > 0 } user ? user : c, StringComparer.Ordinal);
        Checking = users[context] == OwnUser;
        IsDevelopment = environment.IsDevelopment();
    }

    /// <summary>This service's bounded context (its endpoint prefix).</summary>
    public string Context { get; }

    /// <summary>The broker user this service connects as.</summary>
    public string OwnUser { get; }

    /// <summary>True when the service connects as its own user, so consumers check who published another context's events.</summary>
    public bool Checking { get; }

    private bool IsDevelopment { get; }

    public string UserOf(string context) => users[context];

    /// <summary>Refuses, outside Development, a service that does not connect as its own broker user.</summary>
    public void EnsureAllowed(ILogger logger)
    {
        if (Checking)
        {
            return;
        }

        if (!IsDevelopment)
        {
            throw new InvalidOperationException(
                $"The {Context} service connects to RabbitMQ as '{OwnUser}', not as its own user '{users[Context]}' (Messaging:BrokerUsers:{Context}): " +
                "outside Development every service connects as its own user, so its consumers can tell which service published an event (see SECURITY.md).");
        }

        PublisherIdentityLog.CheckOff(logger, Context, OwnUser, users[Context]);
    }

    /// <summary>The context whose events travel on the message type's exchange, or null for a type without a contract exchange.</summary>
    public static string? ContextOf(Type messageType) => ContextOfType.GetOrAdd(messageType, static t =>
    {
        var name = t.GetCustomAttribute<EntityNameAttribute>()?.EntityName;
        return name is not null && name.StartsWith(ExchangePrefix, StringComparison.Ordinal)
            ? Contexts.FirstOrDefault(c => name.AsSpan(ExchangePrefix.Length).StartsWith(c + ".", StringComparison.Ordinal))
            : null;
    });

    /// <summary>
    /// The reason to refuse a message of <paramref name="messageType"/> that arrived with these properties, or null to
    /// accept it. Only another context's events are checked: their <c>user_id</c> must be that context's user. A copy
    /// this service moved itself (its own <c>user_id</c>) is judged by the <c>user_id</c> it first arrived with.
    /// </summary>
    public string? RefusalOf(Type messageType, IReadOnlyBasicProperties properties)
    {
        if (!Checking || ContextOf(messageType) is not { } owner || owner == Context)
        {
            return null;
        }

        var publisher = properties.UserId;
        if (publisher == OwnUser)
        {
            publisher = HeaderText(properties.Headers, ArrivedAsHeader);
        }

        var expected = users[owner];
        return publisher == expected
            ? null
            : $"{messageType.Name} is an event of {owner}, which only the broker user '{expected}' publishes; this one came with " +
              (string.IsNullOrEmpty(publisher) ? "no AMQP user_id" : $"user_id '{publisher}'") + ", so it was refused and changed nothing.";
    }

    /// <summary>
    /// Properties for a copy of a received message that this service publishes again (to an error queue, or back to its
    /// queue): RabbitMQ accepts only its own <c>user_id</c>, so the one the message arrived with moves to
    /// <see cref="ArrivedAsHeader"/> (removed when it came with none, so no sender can plant it).
    /// </summary>
    public BasicProperties ForCopy(IReadOnlyBasicProperties received)
    {
        var properties = new BasicProperties(received);
        if (received.UserId == OwnUser)
        {
            return properties;
        }

        var headers = properties.Headers is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal)
            : new Dictionary<string, object?>(properties.Headers, StringComparer.Ordinal);
        headers.Remove(ArrivedAsHeader);
        if (!string.IsNullOrEmpty(received.UserId))
        {
            headers[ArrivedAsHeader] = received.UserId;
        }

        properties.Headers = headers;
        properties.UserId = OwnUser;
        return properties;
    }

    private static string? HeaderText(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            string text => text,
            _ => null,
        } : null;
}

/// <summary>Thrown by <see cref="TrustedPublisherFilter{T}"/>: never retried, so the message goes straight to the endpoint's <c>_error</c> queue.</summary>
public sealed class UntrustedPublisherException(string reason) : Exception(reason);

/// <summary>Sets the AMQP <c>user_id</c> of everything this service publishes or sends to its own broker user.</summary>
/// <remarks>MassTransit runs a publish through the publish pipe only, a send through the send pipe: one filter for each.</remarks>
public sealed class PublisherUserIdFilter(string user) : IFilter<SendContext>, IFilter<PublishContext>
{
    public Task Send(SendContext context, IPipe<SendContext> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("publisherUserId");

    private void Stamp(SendContext context)
    {
        if (context is RabbitMqSendContext rabbit || context.TryGetPayload(out rabbit!))
        {
            rabbit.BasicProperties.UserId = user;
        }
    }
}

/// <summary>Refuses another context's event that its owner's broker user did not publish (see <see cref="PublisherIdentity.RefusalOf"/>).</summary>
public sealed class TrustedPublisherFilter<T>(PublisherIdentity identity) : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (identity.Checking && context.ReceiveContext.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit)
            && identity.RefusalOf(typeof(T), rabbit.Properties) is { } reason)
        {
            throw new UntrustedPublisherException(reason);
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("trustedPublisher");
}

/// <summary>
/// Before MassTransit moves a received message to the endpoint's <c>_error</c> or <c>_skipped</c> queue: the move
/// republishes the message with its properties, and RabbitMQ would refuse another service's <c>user_id</c> on this
/// service's connection (closing the channel, so the message would come back for ever). The copy carries this
/// service's <c>user_id</c> and the original in <see cref="PublisherIdentity.ArrivedAsHeader"/>.
/// </summary>
/// <remarks>MassTransit reads the properties it copies from the receive context and has no hook to change them; the
/// context's properties are swapped for the copy's here (checked at start-up, see <see cref="EnsureSupported"/>).</remarks>
public sealed class MovedCopyUserIdFilter<TContext>(PublisherIdentity identity) : IFilter<TContext>
    where TContext : class, ReceiveContext
{
    private static readonly FieldInfo? PropertiesField =
        typeof(RabbitMqReceiveContext).GetField("<Properties>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>Fails at start-up, not at the first failed message, if MassTransit's receive context changed shape.</summary>
    public static void EnsureSupported()
    {
        if (PropertiesField?.FieldType != typeof(IReadOnlyBasicProperties))
        {
            throw new InvalidOperationException("This MassTransit version's RabbitMqReceiveContext has no Properties field to give a moved message this service's user_id.");
        }
    }

    public Task Send(TContext context, IPipe<TContext> next)
    {
        // The error pipe's context wraps the receive context; asked for the RabbitMQ context, both answer with it.
        if (context.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit) && rabbit is RabbitMqReceiveContext received
            && received.Properties.UserId != identity.OwnUser)
        {
            PropertiesField!.SetValue(received, identity.ForCopy(received.Properties));
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("movedCopyUserId");
}

internal static partial class PublisherIdentityLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Context} service connects to RabbitMQ as '{User}', not as its own user '{OwnUser}': consumers accept other contexts' events from any publisher (Development only; refused in any other environment)")]
    public static partial void CheckOff(ILogger logger, string context, string user, string ownUser);
}
