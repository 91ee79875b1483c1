using System.Diagnostics;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Persistence;
using MassTransit;

namespace Jtai.Strategy.BuildingBlocks.Outbox;

public static class OutboxExtensions
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Queues a message to be published when, and only when, the surrounding SaveChanges/transaction
    /// commits. Never publish to the bus directly from code that also writes to the database.
    /// </summary>
    public static Guid AddOutboxMessage<T>(this ServiceDbContext db, T message)
        where T : class
    {
        var messageId = NewId.NextGuid();
        var activity = Activity.Current;
        db.OutboxMessages.Add(new OutboxMessage
        {
            MessageId = messageId,
            // The runtime type, so a message passed as a base type is still stored as its contract.
            MessageType = MessageTypeRegistry.Known.UrnOf(message.GetType()),
            Body = JsonSerializer.Serialize(message, message.GetType(), SerializerOptions),
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
        });
        return messageId;
    }
}
