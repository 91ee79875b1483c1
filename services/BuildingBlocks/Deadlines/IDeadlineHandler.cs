using Jtai.Strategy.BuildingBlocks.Persistence;

namespace Jtai.Strategy.BuildingBlocks.Deadlines;

/// <summary>
/// Acts when a deadline of its <see cref="Kind"/> falls due. Change state through the context and
/// queue messages with <c>AddOutboxMessage</c>; do not save: the poller saves, marks the deadline
/// fired and commits, all in one transaction, so a deadline fires exactly once.
/// A handler that finds nothing left to do (the invitation was answered) simply returns.
/// </summary>
public interface IDeadlineHandler<in TDbContext>
    where TDbContext : ServiceDbContext
{
    string Kind { get; }

    Task HandleAsync(DeadlineRow deadline, TDbContext db, CancellationToken cancellationToken);
}
