using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>The EF mapping of the recording tables (migration 0100_recording); called from <c>MeetingsDbContext</c>.</summary>
internal static class RecordingModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MeetingRecord>(e =>
        {
            e.ToTable("meeting_record");
            e.HasKey(r => r.MeetingId);
            e.Ignore(r => r.IsCirculated);
            e.Property(r => r.BelowMinimumReasonCode).HasConversion<string>();
            e.Property(r => r.Investigation).HasConversion<string>();
            e.Property(r => r.ChildViews).HasConversion<string>();
            e.Property(r => r.Revision).IsConcurrencyToken();
            e.HasOne<Domain.StrategyMeeting>().WithOne().HasForeignKey<MeetingRecord>(r => r.MeetingId);
            e.HasMany(r => r.Attendance).WithOne().HasForeignKey(a => a.MeetingId);
            e.HasMany(r => r.Actions).WithOne().HasForeignKey(a => a.MeetingId);
            e.HasMany(r => r.Circulations).WithOne().HasForeignKey(c => c.MeetingId);
        });
        modelBuilder.Entity<MeetingAttendance>(e =>
        {
            e.ToTable("meeting_attendance");
            e.HasKey(a => new { a.MeetingId, a.AgencyCode });
            e.Ignore(a => a.Attended);
            e.Property(a => a.AgencyKind).HasConversion<string>();
            e.Property(a => a.Mode).HasConversion<string>();
        });
        modelBuilder.Entity<AgreedAction>(e =>
        {
            e.ToTable("agreed_action");
            e.HasKey(a => a.Id);
            // Known to EF so that a replaced list deletes the old rows before inserting the new numbers.
            e.HasIndex(a => new { a.MeetingId, a.Number }).IsUnique();
            e.Property(a => a.Status).HasConversion<string>();
        });
        modelBuilder.Entity<Circulation>(e =>
        {
            e.ToTable("circulation");
            e.HasKey(c => c.Id);
            e.HasIndex(c => new { c.MeetingId, c.Version }).IsUnique();
            e.HasMany(c => c.Actions).WithOne().HasForeignKey(a => a.CirculationId);
            e.HasMany(c => c.Recipients).WithOne().HasForeignKey(r => r.CirculationId);
        });
        modelBuilder.Entity<CirculatedAction>(e =>
        {
            e.ToTable("circulated_action");
            e.HasKey(a => new { a.CirculationId, a.Number });
            e.Property(a => a.Status).HasConversion<string>();
        });
        modelBuilder.Entity<CirculationRecipientDelivery>(e =>
        {
            e.ToTable("circulation_recipient");
            e.HasKey(r => new { r.CirculationId, r.AgencyCode });
            e.Property(r => r.DeliveryState).HasConversion<string>();
        });
    }
}
