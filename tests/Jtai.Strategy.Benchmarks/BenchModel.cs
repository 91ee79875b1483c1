using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.Benchmarks;

[MessageUrn("jtai-strategy:benchmarks:tick:v1")]
[EntityName("jtai-strategy.benchmarks.tick")]
public sealed record Tick(Guid SubjectId, DateTimeOffset CreatedAt);

public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : ServiceDbContext(options)
{
    public override string Schema => "bench";

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
    }

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new("0001_received", "CREATE TABLE {schema}.received (message_id uuid PRIMARY KEY, subject_id uuid NOT NULL, created_at timestamptz NOT NULL, received_at timestamptz NOT NULL DEFAULT clock_timestamp());"),
    ];
}

/// <summary>What a real deadline handler does: a state change's worth of work and one outbox message.</summary>
public sealed class TickDeadlineHandler(TimeProvider clock) : IDeadlineHandler<BenchDbContext>
{
    public const string DeadlineKind = "bench-tick";

    public string Kind => DeadlineKind;

    public Task HandleAsync(DeadlineRow deadline, BenchDbContext db, CancellationToken cancellationToken)
    {
        db.AddOutboxMessage(new Tick(deadline.SubjectId, clock.GetUtcNow()));
        return Task.CompletedTask;
    }
}

/// <summary>An inbox consumer recording when each message arrived, for end-to-end latency.</summary>
public sealed class TickConsumer(BenchDbContext db, ILogger<TickConsumer> logger) : IdempotentConsumer<Tick, BenchDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<Tick> context) =>
        await Db.Database.ExecuteSqlAsync(
            $"INSERT INTO bench.received (message_id, subject_id, created_at) VALUES ({context.MessageId!.Value}, {context.Message.SubjectId}, {context.Message.CreatedAt})");
}
