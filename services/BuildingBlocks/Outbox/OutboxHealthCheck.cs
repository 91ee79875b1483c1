using Jtai.Strategy.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jtai.Strategy.BuildingBlocks.Outbox;

/// <summary>What the relay records on a row it could not publish.</summary>
public static class OutboxFailure
{
    /// <summary>Starts <c>last_error</c> of a row the broker returned because no queue was bound for its type.</summary>
    public const string UnroutablePrefix = "Unroutable: ";

    /// <summary>Starts <c>last_error</c> of a row whose publish the broker did not confirm within <see cref="OutboxOptions.PublishTimeout"/>.</summary>
    public const string ConfirmTimeoutPrefix = "Confirm timeout: ";
}

/// <summary>
/// Degraded while any pending outbox row was last returned by the broker as unroutable (no consumer's queue is
/// bound for its type yet): the service works and the messages are kept, but someone is not hearing them.
/// Tagged "ready", so readiness answers 200 with status Degraded; liveness is unaffected. Read from the table,
/// so it holds across restarts and instances, and turns Healthy once every such row has been routed.
/// </summary>
public sealed class OutboxHealthCheck<TDbContext>(IServiceScopeFactory scopeFactory) : IHealthCheck
    where TDbContext : ServiceDbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var unroutable = await db.Database.SqlQueryRaw<UnroutableType>(db.Sql.UnroutableOutboxTypes, OutboxFailure.UnroutablePrefix + "%")
            .ToListAsync(cancellationToken);
        if (unroutable.Count == 0)
        {
            return HealthCheckResult.Healthy();
        }

        var types = string.Join(", ", unroutable.Select(u => $"{u.MessageType} ({u.Pending})"));
        return HealthCheckResult.Degraded(
            $"{unroutable.Sum(u => u.Pending)} outbox messages are pending because no queue is bound for their type: {types}",
            data: unroutable.ToDictionary(u => u.MessageType, u => (object)u.Pending));
    }

    private sealed record UnroutableType(string MessageType, int Pending);
}
