using System.Diagnostics.Metrics;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.BuildingBlocks.Inbox;

/// <summary>
/// A consumer that acts once per message id, however often the broker delivers it. The inbox row,
/// the consumer's state changes and the outbox rows it adds commit in one transaction; if anything
/// fails, all of it rolls back and the retry (or redelivery) starts clean.
/// </summary>
public abstract partial class IdempotentConsumer<TMessage, TDbContext>(TDbContext db, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : ServiceDbContext
{
    private static readonly Counter<long> Duplicates = JtaiTelemetry.Meter.CreateCounter<long>("jtai.inbox.duplicates", description: "Deliveries dropped because the consumer had already handled the message");

    protected TDbContext Db { get; } = db;

    /// <summary>The inbox key's consumer part; stable across renames of the class if overridden.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId; it cannot be deduplicated.");

        await using var transaction = await Db.Database.BeginTransactionAsync(context.CancellationToken);

        // A concurrent delivery of the same id blocks here on the primary key until the first
        // commits (then it sees a conflict) or rolls back (then it proceeds).
        var inserted = await Db.Database.ExecuteSqlRawAsync(Db.Sql.InsertInbox, [messageId, ConsumerName], context.CancellationToken);
        if (inserted == 0)
        {
            Duplicates.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
            LogDuplicate(logger, messageId, ConsumerName);
            await transaction.CommitAsync(context.CancellationToken);
            return;
        }

        await Handle(context);
        await Db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    /// <summary>Change state through <see cref="Db"/> and queue messages with <c>Db.AddOutboxMessage</c>; do not save.</summary>
    protected abstract Task Handle(ConsumeContext<TMessage> context);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} already handled by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}
