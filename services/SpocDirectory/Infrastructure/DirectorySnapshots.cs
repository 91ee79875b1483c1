using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.SpocDirectory;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.SpocDirectory.Infrastructure;

/// <summary>
/// Replicas catch up through the bus, never by calling this service: a snapshot of the whole directory
/// at every start-up (for replicas already listening) and on request (for replicas that start later).
/// </summary>
public static class DirectorySnapshots
{
    public static async Task QueueSnapshotAsync(DirectoryDbContext db, Guid? requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agencies = await db.Agencies.AsNoTracking().OrderBy(a => a.Code).ToListAsync(cancellationToken);
        var spocs = await db.Spocs.AsNoTracking().Include(s => s.Covers).OrderBy(s => s.AgencyCode).ThenBy(s => s.Rank).ToListAsync(cancellationToken);
        db.AddOutboxMessage(new DirectorySnapshotPublished(requestId, agencies.Select(a => a.ToSnapshot()).ToList(), spocs.Select(s => s.ToSnapshot()).ToList(), now));
    }
}

public sealed class DirectorySnapshotRequestedConsumer(DirectoryDbContext db, TimeProvider clock, ILogger<DirectorySnapshotRequestedConsumer> logger)
    : IdempotentConsumer<DirectorySnapshotRequested, DirectoryDbContext>(db, logger)
{
    protected override Task Handle(ConsumeContext<DirectorySnapshotRequested> context) =>
        DirectorySnapshots.QueueSnapshotAsync(Db, context.Message.RequestId, clock.GetUtcNow(), context.CancellationToken);
}

/// <summary>Queues a snapshot once migrations and seeding are done (they run before any StartAsync).</summary>
public sealed class DirectorySnapshotOnStartup(IServiceScopeFactory scopeFactory, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        await DirectorySnapshots.QueueSnapshotAsync(db, null, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
