using System.Data.Common;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// The one after-commit mechanism: once a unit of work commits (an explicit transaction's commit, or a save outside
/// one) it runs what the unit of work queued with <see cref="ServiceDbContext.WhenCommitted"/> and wakes what waits
/// for its rows: the outbox relay when outbox rows were written, the deadline poller when deadlines were stored. A
/// failed save or a rolled-back transaction drops all of it, so nothing tells of a change the database does not hold.
/// Stateless (a singleton): what the unit of work did is kept on the context that did it.
/// </summary>
public sealed class AfterCommitInterceptor(OutboxSignal outbox, DeadlineSignal deadlines) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyIfCommitted(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Clear(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Clear(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Clear(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Track(DbContext? context)
    {
        if (context is not ServiceDbContext db)
        {
            return;
        }

        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Added)
            {
                continue;
            }

            switch (entry.Entity)
            {
                case OutboxMessage:
                    db.OutboxPending = true;
                    break;
                case DeadlineRow deadline when db.DeadlineStoredDue is not { } earlier || deadline.DueAt < earlier:
                    db.DeadlineStoredDue = deadline.DueAt;
                    break;
            }
        }
    }

    private void NotifyIfCommitted(DbContext? context)
    {
        // Inside an explicit transaction the rows are not visible until commit.
        if (context?.Database.CurrentTransaction is null)
        {
            Flush(context);
        }
    }

    private static void Clear(DbContext? context)
    {
        if (context is ServiceDbContext db)
        {
            db.OutboxPending = false;
            db.DeadlineStoredDue = null;
            db.CommitActions.Clear();
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is not ServiceDbContext db)
        {
            return;
        }

        if (db.OutboxPending)
        {
            db.OutboxPending = false;
            outbox.Notify();
        }

        if (db.DeadlineStoredDue is { } due)
        {
            db.DeadlineStoredDue = null;
            deadlines.Stored(due);
        }

        if (db.CommitActions.Count > 0)
        {
            var actions = db.CommitActions.ToList();
            db.CommitActions.Clear();
            foreach (var action in actions)
            {
                action();
            }
        }
    }
}
