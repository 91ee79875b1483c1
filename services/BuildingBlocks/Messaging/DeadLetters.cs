using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Jtai.Strategy.BuildingBlocks.Messaging;

/// <summary>One message in an <c>_error</c> queue: where it sits and why it failed, never its body (it may hold personal data).</summary>
public sealed record DeadLetter(
    string Queue,
    string SourceQueue,
    string? MessageId,
    IReadOnlyList<string> MessageTypes,
    string? FaultMessage,
    string? ExceptionType,
    string? FaultTimestamp);

public sealed record DeadLetterQueueDepth(string Queue, long Messages);

public enum RequeueOutcome
{
    Requeued,
    QueueUnknown,
    MessageNotFound,
}

public static class DeadLetterExtensions
{
    /// <summary>The service's receive endpoints, their <c>_error</c> queues' depths (gauge and health) and the way back.</summary>
    internal static IHostApplicationBuilder AddDeadLetters(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReceiveEndpointCatalog>();
        builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<ReceiveEndpointCatalog>());
        builder.Services.AddSingleton<DeadLetterStore>();
        builder.Services.AddHostedService<DeadLetterDepthMonitor>();
        builder.Services.AddHealthChecks().AddCheck<DeadLetterHealthCheck>("error-queues", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// <c>GET /api/admin/dead-letters</c> lists the service's <c>_error</c> messages with their fault;
    /// <c>POST /api/admin/dead-letters/{queue}/{messageId}/requeue</c> moves one back to its queue (audited in the log).
    /// </summary>
    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/dead-letters").RequireAuthorization(JtaiPolicies.Administrator).WithTags("Dead letters");
        admin.MapGet("/", async (DeadLetterStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        admin.MapPost("/{queue}/{messageId}/requeue", async Task<Results<NoContent, ProblemHttpResult>> (
            string queue, string messageId, HttpContext http, DeadLetterStore store, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var outcome = await store.RequeueAsync(queue, messageId, ct);
            switch (outcome)
            {
                case RequeueOutcome.QueueUnknown:
                    return Problems.NotFound("No such error queue", $"'{queue}' is not an error queue of this service.");
                case RequeueOutcome.MessageNotFound:
                    return Problems.NotFound("No such message", $"Message {messageId} is not in {queue}.");
                default:
                    DeadLetterAudit.Requeued(loggers.CreateLogger("Jtai.Strategy.Audit"), messageId, queue, http.User.SubjectId());
                    return TypedResults.NoContent();
            }
        });
        return app;
    }
}

/// <summary>The queues this service consumes from, as MassTransit reports its receive endpoints ready.</summary>
public sealed class ReceiveEndpointCatalog : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, byte> queues = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Queues => [.. queues.Keys.Order(StringComparer.Ordinal)];

    public static string ErrorQueueOf(string queue) => queue + "_error";

    public Task Ready(ReceiveEndpointReady ready)
    {
        // The bus's own reply queue is temporary and has no error queue worth watching.
        var address = ready.InputAddress;
        if (!address.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase) && !address.Query.Contains("autodelete=true", StringComparison.OrdinalIgnoreCase))
        {
            queues.TryAdd(address.Segments[^1], 0);
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}

/// <summary>
/// Reads and moves <c>_error</c> messages with the broker's own protocol: basic.get without acknowledgement, so a
/// message is only ever removed after its copy was confirmed by the broker on the source queue.
/// </summary>
public sealed class DeadLetterStore(BrokerAddress broker, ReceiveEndpointCatalog catalog, PublisherIdentity identity) : IAsyncDisposable
{
    private const int MaxListed = 500;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private IConnection? connection;

    public async Task<IReadOnlyList<DeadLetterQueueDepth>> DepthsAsync(CancellationToken cancellationToken)
    {
        var depths = new List<DeadLetterQueueDepth>();
        foreach (var queue in catalog.Queues)
        {
            var errorQueue = ReceiveEndpointCatalog.ErrorQueueOf(queue);
            depths.Add(new DeadLetterQueueDepth(errorQueue, await CountAsync(errorQueue, cancellationToken)));
        }

        return depths;
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        foreach (var queue in catalog.Queues)
        {
            var errorQueue = ReceiveEndpointCatalog.ErrorQueueOf(queue);
            if (await CountAsync(errorQueue, cancellationToken) == 0)
            {
                continue;
            }

            // Closing the channel returns every message fetched here to the queue.
            await using var channel = await (await ConnectionAsync(cancellationToken)).CreateChannelAsync(cancellationToken: cancellationToken);
            while (letters.Count < MaxListed && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } got)
            {
                letters.Add(Describe(errorQueue, queue, got));
            }

            await channel.BasicNackAsync(0, multiple: true, requeue: true, cancellationToken);
        }

        return letters;
    }

    public async Task<RequeueOutcome> RequeueAsync(string errorQueue, string messageId, CancellationToken cancellationToken)
    {
        var queue = catalog.Queues.FirstOrDefault(q => ReceiveEndpointCatalog.ErrorQueueOf(q) == errorQueue);
        if (queue is null)
        {
            return RequeueOutcome.QueueUnknown;
        }

        var remaining = await CountAsync(errorQueue, cancellationToken);
        await using var channel = await (await ConnectionAsync(cancellationToken)).CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        try
        {
            for (var seen = 0L; seen < remaining && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } got; seen++)
            {
                if (got.BasicProperties.MessageId != messageId)
                {
                    continue;
                }

                // Another service's user_id would be refused on this connection: the copy carries ours, and the one it
                // arrived with in a header, so the consumer still judges it by its first publisher.
                var properties = identity.ForCopy(got.BasicProperties);
                if (properties.Headers is { } headers)
                {
                    // The copy goes back as the original, without the record of its failure.
                    properties.Headers = headers.Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != "MT-Reason")
                        .ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
                }

                // Through the queue's own endpoint exchange (bound to it alone), not the default exchange: writing there
                // would let a service's user write to every queue. Mandatory with confirms: the await returns only once
                // the source queue holds the copy.
                await channel.BasicPublishAsync(queue, string.Empty, mandatory: true, properties, got.Body, cancellationToken);
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, cancellationToken);
                return RequeueOutcome.Requeued;
            }

            return RequeueOutcome.MessageNotFound;
        }
        finally
        {
            // Everything else fetched while looking goes back untouched.
            if (channel.IsOpen)
            {
                await channel.BasicNackAsync(0, multiple: true, requeue: true, CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        connecting.Dispose();
    }

    private async Task<uint> CountAsync(string errorQueue, CancellationToken cancellationToken)
    {
        await using var channel = await (await ConnectionAsync(cancellationToken)).CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return 0; // No message has failed on this endpoint yet, so MassTransit has not declared its error queue.
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (connection is { IsOpen: true })
        {
            return connection;
        }

        await connecting.WaitAsync(cancellationToken);
        try
        {
            if (connection is not { IsOpen: true })
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                connection = await broker.ConnectAsync("dead-letters", cancellationToken);
            }

            return connection;
        }
        finally
        {
            connecting.Release();
        }
    }

    private static DeadLetter Describe(string errorQueue, string queue, BasicGetResult got)
    {
        var headers = got.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        } : null;

        return new DeadLetter(errorQueue, queue, got.BasicProperties.MessageId, MessageTypes(got), Header("MT-Fault-Message"), Header("MT-Fault-ExceptionType"), Header("MT-Fault-Timestamp"));
    }

    // Only the envelope's messageType is read; the message itself is never returned.
    private static IReadOnlyList<string> MessageTypes(BasicGetResult got)
    {
        try
        {
            using var envelope = JsonDocument.Parse(got.Body);
            return envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                ? [.. types.EnumerateArray().Select(t => t.GetString() ?? string.Empty)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>Degraded while any <c>_error</c> queue of the service holds a message: it needs a person's look.</summary>
public sealed class DeadLetterHealthCheck(DeadLetterStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var waiting = (await store.DepthsAsync(cancellationToken)).Where(d => d.Messages > 0).ToList();
            return waiting.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded("Messages wait in " + string.Join(", ", waiting.Select(w => $"{w.Queue} ({w.Messages})")) + ": see /api/admin/dead-letters");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The broker check reports the outage itself; this one cannot tell.
            return HealthCheckResult.Degraded("Error queues could not be read", ex);
        }
    }
}

/// <summary>Publishes the gauge <c>jtai.messaging.error_queue.depth</c> per error queue, read every <c>Messaging:DeadLetters:PollInterval</c>.</summary>
public sealed partial class DeadLetterDepthMonitor(DeadLetterStore store, IConfiguration configuration, ILogger<DeadLetterDepthMonitor> logger) : BackgroundService
{
    private static IReadOnlyList<DeadLetterQueueDepth> latest = [];

    private static readonly ObservableGauge<long> Depth = JtaiTelemetry.Meter.CreateObservableGauge(
        "jtai.messaging.error_queue.depth",
        () => Volatile.Read(ref latest).Select(d => new Measurement<long>(d.Messages, new KeyValuePair<string, object?>("queue", d.Queue))),
        description: "Messages waiting in the service's _error queues");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = Depth;
        var interval = configuration.GetValue("Messaging:DeadLetters:PollInterval", TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Volatile.Write(ref latest, await store.DepthsAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogUnreadable(logger, ex);
            }

            await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Error queue depths could not be read")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);
}

internal static partial class DeadLetterAudit
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: dead letter {MessageId} moved from {ErrorQueue} back to its queue by {Subject}")]
    public static partial void Requeued(ILogger logger, string messageId, string errorQueue, string subject);
}
