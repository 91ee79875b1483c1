using System.Text;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// Base of every service's DbContext: its own schema, the outbox and inbox tables, and snake_case
/// names so the hand-written SQL migrations and the EF model agree.
/// </summary>
public abstract class ServiceDbContext : DbContext
{
    protected ServiceDbContext(DbContextOptions options)
        : base(options)
    {
        // No savepoint around each SaveChanges inside a unit of work's transaction (two statements each): no caller goes
        // on in a transaction after a failed save, it rolls the whole unit of work back (ConflictRetry starts anew).
        Database.AutoSavepointsEnabled = false;
    }

    /// <summary>The PostgreSQL schema this bounded context owns.</summary>
    public abstract string Schema { get; }

    /// <summary>The building blocks' statements for this schema.</summary>
    public SchemaSql Sql => sql ??= new SchemaSql(Schema);

    private SchemaSql? sql;

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxState> InboxStates => Set<InboxState>();

    public DbSet<DeadlineRow> Deadlines => Set<DeadlineRow>();

    /// <summary>Outbox rows were saved in the current unit of work and the relay has not been woken yet.</summary>
    internal bool OutboxPending { get; set; }

    /// <summary>The earliest due time of the deadlines saved in the current unit of work, until the poller is told.</summary>
    internal DateTimeOffset? DeadlineStoredDue { get; set; }

    /// <summary>
    /// Runs <paramref name="action"/> once the current unit of work commits, and never if it fails or rolls back
    /// (e.g. a log line that tells of the change: the log never tells of something the database does not hold).
    /// </summary>
    public void WhenCommitted(Action action) => CommitActions.Add(action);

    /// <summary>What the current unit of work queued to run on commit (<see cref="AfterCommitInterceptor"/>).</summary>
    internal List<Action> CommitActions { get; } = [];

    protected sealed override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_message");
            e.HasKey(m => m.SequenceNumber);
            e.Property(m => m.SequenceNumber).UseIdentityAlwaysColumn();
            e.Property(m => m.Body).HasColumnType("jsonb");
            e.Property(m => m.CreatedAt).HasDefaultValueSql("now()");
            e.Property(m => m.NextAttemptAt).HasDefaultValueSql("now()");
        });
        modelBuilder.Entity<InboxState>(e =>
        {
            e.ToTable("inbox_state");
            e.HasKey(s => new { s.MessageId, s.Consumer });
        });
        modelBuilder.Entity<DeadlineRow>(e =>
        {
            e.ToTable("deadline");
            e.HasKey(d => d.Id);
            e.Property(d => d.CreatedAt).HasDefaultValueSql("now()");
        });

        ConfigureModel(modelBuilder);
        ApplyCodeAssignedGuidKeys(modelBuilder);
        ApplySnakeCaseNames(modelBuilder);
    }

    /// <summary>
    /// Ids are assigned in code (NewId), never by the database. Saying so lets EF treat a new child
    /// added through a navigation as an insert rather than an update of a row that does not exist.
    /// </summary>
    private static void ApplyCodeAssignedGuidKeys(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.FindPrimaryKey()?.Properties ?? [])
            {
                if (property.ClrType == typeof(Guid))
                {
                    property.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
                }
            }
        }
    }

    protected abstract void ConfigureModel(ModelBuilder modelBuilder);

    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && !entity.IsOwned())
            {
                entity.SetTableName(ToSnakeCase(table));
            }

            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.GetColumnName()));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(ToSnakeCase(key.GetName()!));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(ToSnakeCase(foreignKey.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(ToSnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (i > 0 && name[i - 1] != '_' && (previousIsLowerOrDigit || (nextIsLower && char.IsUpper(name[i - 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
