using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Notifications.Infrastructure;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "notifications";

    public override string Schema => SchemaName;

    public DbSet<DeliveryRecord> Deliveries => Set<DeliveryRecord>();

    public DbSet<InvitationRecord> Invitations => Set<InvitationRecord>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DeliveryRecord>(e =>
        {
            e.ToTable("delivery");
            e.HasKey(d => d.Id);
            e.Property(d => d.Status).HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<DeliveryStatus>(s, true));
            e.Property(d => d.Content).HasColumnType("jsonb");
            // Two dispatchers recording the outcome of one claim: only the one holding the latest claim may.
            e.Property(d => d.Attempts).IsConcurrencyToken();
        });
        modelBuilder.Entity<InvitationRecord>(e =>
        {
            e.ToTable("invitation");
            e.HasKey(i => i.InvitationId);
        });
    }
}
