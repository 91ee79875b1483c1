using Jtai.Strategy.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Metrics.Infrastructure;

/// <summary>
/// The metrics schema through EF Core: publications (with the outbox and deadlines). The event log,
/// facts and rollups are written and read with plain Npgsql (see <c>MetricsProjection</c>), because
/// they are the hot paths; they share the schema and its migrations.
/// </summary>
public sealed class MetricsDbContext(DbContextOptions<MetricsDbContext> options) : ServiceDbContext(options)
{
    public override string Schema => Projection.MetricsProjection.Schema;

    public DbSet<Publication> Publications => Set<Publication>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Publication>(e =>
        {
            e.ToTable("publication");
            e.HasKey(p => p.PublicationId);
            e.Property(p => p.Body).HasColumnType("jsonb");
        });
    }
}

/// <summary>One <c>AttendanceMetricsPublished</c> as sent, kept for the dashboard and for publishing each closed period once.</summary>
public sealed class Publication
{
    public const string Scheduled = "schedule";
    public const string OnDemand = "demand";

    public Guid PublicationId { get; init; }

    public required string PeriodKind { get; init; }

    public DateOnly PeriodStart { get; init; }

    public DateOnly PeriodEnd { get; init; }

    /// <summary><see cref="Scheduled"/> at a period's close, or <see cref="OnDemand"/>.</summary>
    public required string Trigger { get; init; }

    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>The subject of the MASDG member who asked, for on-demand publications.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The published message as JSON.</summary>
    public required string Body { get; init; }
}
