using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// Runs a request's unit of work again, on fresh state, when a concurrent change to the same rows committed first.
/// Only for requests that carry no version of their own (an answer): their conflict is with the service's own
/// background work (a delivery receipt, a reminder) on the same row, not with anything the user read, so "reload and
/// try again" is the service's to do. Requests that send a version keep their 409.
/// </summary>
public static class ConflictRetry
{
    public const int Attempts = 3;

    public static async Task<T> RunAsync<T>(DbContext db, Func<CancellationToken, Task<T>> unitOfWork, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unitOfWork(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // The attempt's transaction rolled back as it unwound; what the context tracked is stale.
                db.ChangeTracker.Clear();
            }
        }
    }
}
