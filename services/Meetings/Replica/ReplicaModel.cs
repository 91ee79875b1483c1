using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jtai.Strategy.Meetings.Replica;

// The EF mapping of the replica tables (migration 0001_meetings), applied by MeetingsDbContext from
// this assembly: the context stays free of the replica's types, so Infrastructure depends on Domain only.

internal sealed class AgencyReplicaMapping : IEntityTypeConfiguration<AgencyReplica>
{
    public void Configure(EntityTypeBuilder<AgencyReplica> e)
    {
        e.ToTable("agency_replica");
        e.HasKey(a => a.Code);
        e.Property(a => a.Kind).HasConversion<string>();
    }
}

internal sealed class SpocReplicaMapping : IEntityTypeConfiguration<SpocReplica>
{
    public void Configure(EntityTypeBuilder<SpocReplica> e)
    {
        e.ToTable("spoc_replica");
        e.HasKey(s => s.Id);
        e.Property(s => s.CoversJson).HasColumnType("jsonb");
    }
}

/// <summary>The replica's tables as sets of the service's context.</summary>
public static class ReplicaData
{
    extension(MeetingsDbContext db)
    {
        public DbSet<AgencyReplica> AgencyReplicas => db.Set<AgencyReplica>();

        public DbSet<SpocReplica> SpocReplicas => db.Set<SpocReplica>();
    }
}
