using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>
/// Log lines that describe a change wait for the change to commit, so the log never tells of something
/// the database does not hold: a unit of work that rolls back (a bridge lost to a race, a consumer or
/// deadline that fails and is retried) logs nothing, and its retry logs once. Lines are queued on the
/// context holding the change, beside it, and written by <see cref="CommittedLogInterceptor"/>.
/// </summary>
public static class CommittedLog
{
    /// <summary>Writes <paramref name="logLine"/> once the current unit of work commits; drops it if it does not.</summary>
    public static void LogWhenCommitted(this MeetingsDbContext db, Action logLine) => db.PendingLogLines.Add(logLine);
}

/// <summary>
/// Writes the queued log lines after a commit: the commit of an explicit transaction, or a save outside
/// one. Discards them when the save or the transaction fails. Stateless, so one instance serves every context.
/// </summary>
internal sealed class CommittedLogInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly CommittedLogInterceptor Instance = new();

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WriteIfCommitted(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WriteIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Write(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Write(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Discard(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private static void WriteIfCommitted(DbContext? context)
    {
        // Inside an explicit transaction nothing is committed until the transaction is.
        if (context?.Database.CurrentTransaction is null)
        {
            Write(context);
        }
    }

    private static void Write(DbContext? context)
    {
        if (context is MeetingsDbContext { PendingLogLines.Count: > 0 } db)
        {
            var lines = db.PendingLogLines.ToList();
            db.PendingLogLines.Clear();
            foreach (var line in lines)
            {
                line();
            }
        }
    }

    private static void Discard(DbContext? context)
    {
        if (context is MeetingsDbContext db)
        {
            db.PendingLogLines.Clear();
        }
    }
}
