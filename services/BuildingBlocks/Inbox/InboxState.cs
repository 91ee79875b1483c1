namespace Jtai.Strategy.BuildingBlocks.Inbox;

/// <summary>Proof that a consumer handled a message; its primary key (message, consumer) is the idempotency key.</summary>
public sealed class InboxState
{
    public Guid MessageId { get; init; }

    public required string Consumer { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}
