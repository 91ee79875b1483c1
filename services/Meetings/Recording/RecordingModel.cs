using System.Text.Json;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jtai.Strategy.Meetings.Recording;

// The EF mapping of the recording tables (migration 0100_recording), applied by MeetingsDbContext from
// this assembly: the context stays free of the record's types, so Infrastructure depends on Domain only.

internal sealed class MeetingRecordMapping : IEntityTypeConfiguration<MeetingRecord>
{
    public void Configure(EntityTypeBuilder<MeetingRecord> e)
    {
        e.ToTable("meeting_record");
        e.HasKey(r => r.MeetingId);
        e.Ignore(r => r.IsCirculated);
        e.Ignore(r => r.CirculationDeadlineFixed);
        e.Property(r => r.BelowMinimumReasonCode).HasConversion<string>();
        e.Property(r => r.Investigation).HasConversion<string>();
        e.Property(r => r.ChildViews).HasConversion<string>();
        e.Property(r => r.Revision).IsConcurrencyToken();
        e.HasOne<StrategyMeeting>().WithOne().HasForeignKey<MeetingRecord>(r => r.MeetingId);
        e.HasMany(r => r.Attendance).WithOne().HasForeignKey(a => a.MeetingId);
        e.HasMany(r => r.Actions).WithOne().HasForeignKey(a => a.MeetingId);
        e.HasMany(r => r.Circulations).WithOne().HasForeignKey(c => c.MeetingId);
    }
}

internal sealed class MeetingAttendanceMapping : IEntityTypeConfiguration<MeetingAttendance>
{
    public void Configure(EntityTypeBuilder<MeetingAttendance> e)
    {
        e.ToTable("meeting_attendance");
        e.HasKey(a => new { a.MeetingId, a.AgencyCode });
        e.Ignore(a => a.Attended);
        e.Property(a => a.AgencyKind).HasConversion<string>();
        e.Property(a => a.Mode).HasConversion<string>();
    }
}

internal sealed class AgreedActionMapping : IEntityTypeConfiguration<AgreedAction>
{
    public void Configure(EntityTypeBuilder<AgreedAction> e)
    {
        e.ToTable("agreed_action");
        e.HasKey(a => a.Id);
        // Known to EF so that a replaced list deletes the old rows before inserting the new numbers.
        e.HasIndex(a => new { a.MeetingId, a.Number }).IsUnique();
        e.Property(a => a.Status).HasConversion<string>();
    }
}

internal sealed class CirculationMapping : IEntityTypeConfiguration<Circulation>
{
    public void Configure(EntityTypeBuilder<Circulation> e)
    {
        e.ToTable("circulation");
        e.HasKey(c => c.Id);
        e.HasIndex(c => new { c.MeetingId, c.Version }).IsUnique();
        e.HasMany(c => c.Actions).WithOne().HasForeignKey(a => a.CirculationId);
        e.HasMany(c => c.Recipients).WithOne().HasForeignKey(r => r.CirculationId);
    }
}

internal sealed class CirculatedActionMapping : IEntityTypeConfiguration<CirculatedAction>
{
    public void Configure(EntityTypeBuilder<CirculatedAction> e)
    {
        e.ToTable("circulated_action");
        e.HasKey(a => new { a.CirculationId, a.Number });
        e.Property(a => a.Status).HasConversion<string>();
    }
}

internal sealed class CirculationRecipientMapping : IEntityTypeConfiguration<CirculationRecipientDelivery>
{
    public void Configure(EntityTypeBuilder<CirculationRecipientDelivery> e)
    {
        e.ToTable("circulation_recipient");
        e.HasKey(r => new { r.CirculationId, r.AgencyCode });
        e.Property(r => r.DeliveryState).HasConversion<string>();
        // A short history read with its entry, never queried on its own: one jsonb column, compared by value so an added
        // hop is saved.
        e.Ignore(r => r.CurrentSpocId);
        e.Ignore(r => r.TriedSpocIds);
        e.Property(r => r.PassedOn)
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                s => JsonSerializer.Deserialize<List<CirculationNoticePassOn>>(s, (JsonSerializerOptions?)null) ?? new List<CirculationNoticePassOn>(),
                new ValueComparer<List<CirculationNoticePassOn>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x.GetHashCode())),
                    v => v.ToList()));
    }
}

/// <summary>The recording tables as sets of the service's context.</summary>
public static class RecordingData
{
    extension(MeetingsDbContext db)
    {
        public DbSet<MeetingRecord> MeetingRecords => db.Set<MeetingRecord>();

        public DbSet<Circulation> Circulations => db.Set<Circulation>();

        public DbSet<CirculationRecipientDelivery> CirculationRecipients => db.Set<CirculationRecipientDelivery>();
    }
}
