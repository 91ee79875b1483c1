using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.BuildingBlocks.Tests.Fixtures;

[MessageUrn("jtai-strategy:tests:widget-made:v1")]
[EntityName("jtai-strategy.tests.widget-made")]
public sealed record WidgetMade(Guid WidgetId, string Name);

/// <summary>A message the consumer can never handle: for the error-queue test.</summary>
[MessageUrn("jtai-strategy:tests:poison:v1")]
[EntityName("jtai-strategy.tests.poison")]
public sealed record Poison(string Why);

/// <summary>A message no consumer of the test host takes: for the unroutable-publish test.</summary>
[MessageUrn("jtai-strategy:tests:widget-shipped:v1")]
[EntityName("jtai-strategy.tests.widget-shipped")]
public sealed record WidgetShipped(Guid WidgetId);

public sealed class Widget
{
    public Guid Id { get; init; }

    public required string Name { get; init; }
}

/// <summary>What the consumer did: one row per handling, keyed by the message it handled.</summary>
public sealed class WidgetHandled
{
    public Guid MessageId { get; init; }

    public Guid WidgetId { get; init; }
}

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : ServiceDbContext(options)
{
    public override string Schema => "bb_test";

    public DbSet<Widget> Widgets => Set<Widget>();

    public DbSet<WidgetHandled> Handled => Set<WidgetHandled>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Widget>().ToTable("widget");
        modelBuilder.Entity<WidgetHandled>(e =>
        {
            e.ToTable("widget_handled");
            e.HasKey(h => new { h.MessageId, h.WidgetId });
        });
    }

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new("0001_widgets", """
            CREATE TABLE {schema}.widget (id uuid PRIMARY KEY, name text NOT NULL);
            -- no uniqueness on purpose: a second handling would show as a second row
            CREATE TABLE {schema}.widget_handled (message_id uuid NOT NULL, widget_id uuid NOT NULL, handled_serial bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
            """),
    ];
}

/// <summary>Records each handling in the database, inside the inbox transaction.</summary>
public sealed class WidgetMadeConsumer(TestDbContext db, ILogger<WidgetMadeConsumer> logger) : IdempotentConsumer<WidgetMade, TestDbContext>(db, logger)
{
    protected override Task Handle(ConsumeContext<WidgetMade> context)
    {
        Db.Handled.Add(new WidgetHandled { MessageId = context.MessageId!.Value, WidgetId = context.Message.WidgetId });
        return Task.CompletedTask;
    }
}

public sealed class PoisonConsumer : IConsumer<Poison>
{
    public Task Consume(ConsumeContext<Poison> context) => throw new InvalidOperationException("Cannot handle: " + context.Message.Why);
}

/// <summary>
/// Records the firing (message id = deadline id) and announces it through the outbox. A payload of
/// "fail-twice" throws on its first two attempts (the batch, then the isolated retry), to show a
/// failing deadline is recorded, backed off and retried without holding back the others.
/// </summary>
public sealed class WidgetDeadlineHandler : IDeadlineHandler<TestDbContext>
{
    public const string DeadlineKind = "widget-due";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Failures = new();

    public string Kind => DeadlineKind;

    public Task HandleAsync(DeadlineRow deadline, TestDbContext db, CancellationToken cancellationToken)
    {
        if (deadline.Payload == "fail-twice" && Failures.AddOrUpdate(deadline.Id, 1, (_, n) => n + 1) <= 2)
        {
            throw new InvalidOperationException("Simulated handler failure");
        }

        db.Handled.Add(new WidgetHandled { MessageId = deadline.Id, WidgetId = deadline.SubjectId });
        db.AddOutboxMessage(new WidgetMade(deadline.SubjectId, "deadline"));
        return Task.CompletedTask;
    }
}
