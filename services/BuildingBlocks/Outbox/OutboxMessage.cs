namespace Jtai.Strategy.BuildingBlocks.Outbox;

/// <summary>A message waiting to be published, written in the transaction of the change that caused it.</summary>
public sealed class OutboxMessage
{
    public long SequenceNumber { get; private set; }

    /// <summary>Becomes the MassTransit MessageId, so every redelivery of this row is deduplicated by inboxes.</summary>
    public Guid MessageId { get; init; }

    /// <summary>The message's URN (from <c>[MessageUrn]</c>), resolved back to a contract type by the relay.</summary>
    public required string MessageType { get; init; }

    public required string Body { get; init; }

    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    public DateTimeOffset CreatedAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? DispatchedAt { get; private set; }
}
