using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Infrastructure;
using MassTransit;

namespace Jtai.Strategy.Meetings.Replica;

// One consumer per directory event, all on one queue (meetings-directory-replica). Each is idempotent
// (inbox) and the upsert ignores a snapshot older than the one held, so redelivery and reordering
// leave the replica as the directory last described it.

public sealed class AgencyRegisteredConsumer(MeetingsDbContext db, ILogger<AgencyRegisteredConsumer> logger) : IdempotentConsumer<AgencyRegistered, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override Task Handle(ConsumeContext<AgencyRegistered> context) =>
        Db.ApplyAsync(nameof(AgencyRegistered), context.Message.Agency, context.Message.OccurredAt, log, context.CancellationToken);
}

public sealed class AgencyUpdatedConsumer(MeetingsDbContext db, ILogger<AgencyUpdatedConsumer> logger) : IdempotentConsumer<AgencyUpdated, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override Task Handle(ConsumeContext<AgencyUpdated> context) =>
        Db.ApplyAsync(nameof(AgencyUpdated), context.Message.Agency, context.Message.OccurredAt, log, context.CancellationToken);
}

public sealed class AgencyDeactivatedConsumer(MeetingsDbContext db, ILogger<AgencyDeactivatedConsumer> logger) : IdempotentConsumer<AgencyDeactivated, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override Task Handle(ConsumeContext<AgencyDeactivated> context) =>
        Db.ApplyAsync(nameof(AgencyDeactivated), context.Message.Agency, context.Message.OccurredAt, log, context.CancellationToken);
}

public sealed class SpocAssignedConsumer(MeetingsDbContext db, ILogger<SpocAssignedConsumer> logger) : IdempotentConsumer<SpocAssigned, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override Task Handle(ConsumeContext<SpocAssigned> context) =>
        Db.ApplyAsync(nameof(SpocAssigned), context.Message.Spoc, context.Message.OccurredAt, log, context.CancellationToken);
}

public sealed class SpocDetailsChangedConsumer(MeetingsDbContext db, ILogger<SpocDetailsChangedConsumer> logger) : IdempotentConsumer<SpocDetailsChanged, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override Task Handle(ConsumeContext<SpocDetailsChanged> context) =>
        Db.ApplyAsync(nameof(SpocDetailsChanged), context.Message.Spoc, context.Message.OccurredAt, log, context.CancellationToken);
}

public sealed class SpocCoverChangedConsumer(MeetingsDbContext db, ILogger<SpocCoverChangedConsumer> logger) : IdempotentConsumer<SpocCoverChanged, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override Task Handle(ConsumeContext<SpocCoverChanged> context) =>
        Db.ApplyAsync(nameof(SpocCoverChanged), context.Message.Spoc, context.Message.OccurredAt, log, context.CancellationToken);
}

public sealed class SpocRetiredConsumer(MeetingsDbContext db, ILogger<SpocRetiredConsumer> logger) : IdempotentConsumer<SpocRetired, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override Task Handle(ConsumeContext<SpocRetired> context) =>
        Db.ApplyAsync(nameof(SpocRetired), context.Message.Spoc, context.Message.OccurredAt, log, context.CancellationToken);
}

/// <summary>The whole directory at once (at its start-up, or answering our request): fills what we missed.</summary>
public sealed partial class DirectorySnapshotPublishedConsumer(MeetingsDbContext db, ILogger<DirectorySnapshotPublishedConsumer> logger)
    : IdempotentConsumer<DirectorySnapshotPublished, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<DirectorySnapshotPublished> context)
    {
        // Agencies first: a SPOC row refers to its agency.
        var agencies = 0;
        foreach (var agency in context.Message.Agencies)
        {
            agencies += await Db.UpsertAsync(agency, context.Message.OccurredAt, context.CancellationToken);
        }

        var spocs = 0;
        foreach (var spoc in context.Message.Spocs)
        {
            spocs += await Db.UpsertAsync(spoc, context.Message.OccurredAt, context.CancellationToken);
        }

        // One line for the whole directory; what was already held (stale) is the rest of each count.
        var message = context.Message;
        Db.LogWhenCommitted(() => LogSnapshotApplied(log, agencies, message.Agencies.Count, spocs, message.Spocs.Count));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Directory snapshot applied to the replica: {AgenciesApplied} of {Agencies} agencies and {SpocsApplied} of {Spocs} SPOCs were newer, the rest ignored as stale")]
    private static partial void LogSnapshotApplied(ILogger logger, int agenciesApplied, int agencies, int spocsApplied, int spocs);
}

/// <summary>
/// Asks the directory for a snapshot at every start-up, through the outbox (so the request survives a
/// broker that is not up yet). Events published before our queue existed never reached us.
/// </summary>
public sealed class DirectorySnapshotRequestOnStartup(IServiceScopeFactory scopeFactory, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MeetingsDbContext>();
        db.AddOutboxMessage(new DirectorySnapshotRequested(NewId.NextGuid(), "meetings", clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The one queue every directory event reaches this service through, so they apply in the order published.</summary>
public static class DirectoryReplicaQueue
{
    public const string Name = "meetings-directory-replica";
}
