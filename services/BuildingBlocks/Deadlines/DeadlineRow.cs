namespace Jtai.Strategy.BuildingBlocks.Deadlines;

/// <summary>A moment at which something must happen (a reminder, an escalation, an overdue notice).</summary>
public sealed class DeadlineRow
{
    public Guid Id { get; init; }

    /// <summary>Which <see cref="IDeadlineHandler{TDbContext}"/> handles it.</summary>
    public required string Kind { get; init; }

    /// <summary>What it is about (an invitation, a meeting, ...).</summary>
    public Guid SubjectId { get; init; }

    public DateTimeOffset DueAt { get; init; }

    /// <summary>Small handler-specific data (e.g. the repeat number); never personal data.</summary>
    public string? Payload { get; init; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? FiredAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}
