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

/// <summary>Refers to a widget that may not exist yet: bad data until the test creates it (the dead-letter test).</summary>
[MessageUrn("jtai-strategy:tests:widget-checked:v1")]
[EntityName("jtai-strategy.tests.widget-checked")]
public sealed record WidgetChecked(Guid WidgetId);

/// <summary>Fails with a timeout the given number of times before it is handled: an outage, not poison.</summary>
[MessageUrn("jtai-strategy:tests:flaky:v1")]
[EntityName("jtai-strategy.tests.flaky")]
public sealed record Flaky(Guid WidgetId, int TimeoutsFirst);

/// <summary>Handled by a consumer that counts its attempts before it touches the database: for the outage-gate test.</summary>
[MessageUrn("jtai-strategy:tests:widget-audited:v1")]
[EntityName("jtai-strategy.tests.widget-audited")]
public sealed record WidgetAudited(Guid WidgetId);

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

/// <summary>Records the check once the widget exists; an unknown widget is a poison failure (a plain exception).</summary>
public sealed class WidgetCheckedConsumer(TestDbContext db, ILogger<WidgetCheckedConsumer> logger) : IdempotentConsumer<WidgetChecked, TestDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<WidgetChecked> context)
    {
        if (await Db.Widgets.FindAsync([context.Message.WidgetId], context.CancellationToken) is null)
        {
            throw new InvalidOperationException($"Widget {context.Message.WidgetId} is unknown");
        }

        Db.Handled.Add(new WidgetHandled { MessageId = context.MessageId!.Value, WidgetId = context.Message.WidgetId });
    }
}

/// <summary>Throws <see cref="TimeoutException"/> as often as the message asks (more than the poison retry allows), then records it.</summary>
public sealed class FlakyConsumer(TestDbContext db, ILogger<FlakyConsumer> logger) : IdempotentConsumer<Flaky, TestDbContext>(db, logger)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Attempts = new();

    public static int AttemptsFor(Guid widgetId) => Attempts.GetValueOrDefault(widgetId);

    protected override Task Handle(ConsumeContext<Flaky> context)
    {
        if (Attempts.AddOrUpdate(context.Message.WidgetId, 1, (_, n) => n + 1) <= context.Message.TimeoutsFirst)
        {
            throw new TimeoutException("Simulated database timeout");
        }

        Db.Handled.Add(new WidgetHandled { MessageId = context.MessageId!.Value, WidgetId = context.Message.WidgetId });
        return Task.CompletedTask;
    }
}

/// <summary>Counts each attempt (retries included) before it touches the database, then records the widget.</summary>
public sealed class WidgetAuditedConsumer(TestDbContext db) : IConsumer<WidgetAudited>
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Attempts = new();

    public static int AttemptsFor(Guid widgetId) => Attempts.GetValueOrDefault(widgetId);

    public async Task Consume(ConsumeContext<WidgetAudited> context)
    {
        Attempts.AddOrUpdate(context.Message.WidgetId, 1, (_, n) => n + 1);
        db.Handled.Add(new WidgetHandled { MessageId = context.MessageId!.Value, WidgetId = context.Message.WidgetId });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
