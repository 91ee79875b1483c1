using System.Data.Common;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// After a commit, wakes what waits for its rows: the outbox relay when outbox rows were written, the deadline poller
/// when deadlines were stored. Stateless (a singleton): what the unit of work wrote is kept on the context that wrote it.
/// </summary>
public sealed class CommitSignalInterceptor(OutboxSignal outbox, DeadlineSignal deadlines) : SaveChangesInterceptor, IDbTransactionInterceptor
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
    }
}
