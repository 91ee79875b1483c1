using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Meetings.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Infrastructure;

public sealed class MeetingsDbContext(DbContextOptions<MeetingsDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "meetings";

    public override string Schema => SchemaName;

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<Bridge> Bridges => Set<Bridge>();

    public DbSet<TeamManager> TeamManagers => Set<TeamManager>();

    public DbSet<StrategyMeeting> Meetings => Set<StrategyMeeting>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<ResponseLink> ResponseLinks => Set<ResponseLink>();

    public DbSet<DecisionNotToConvene> DecisionsNotToConvene => Set<DecisionNotToConvene>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    // The replica's and the record's sets are extension properties in their own namespaces
    // (Replica.ReplicaData, Recording.RecordingData): the context does not depend on them.

    /// <summary>The next meeting number from the database sequence (gap-tolerant, never reused).</summary>
    public async Task<long> NextMeetingNumberAsync(CancellationToken cancellationToken) =>
        (await Database.SqlQueryRaw<long>(NextMeetingNumberSql).ToListAsync(cancellationToken)).Single();

    private const string NextMeetingNumberSql = "SELECT nextval('" + SchemaName + ".meeting_reference_seq') AS \"Value\"";

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Team>(e =>
        {
            e.ToTable("team");
            e.HasKey(t => t.Code);
            e.HasMany(t => t.Bridges).WithOne().HasForeignKey(b => b.TeamCode);
            e.HasMany(t => t.Managers).WithOne().HasForeignKey(m => m.TeamCode);
        });
        modelBuilder.Entity<TeamManager>(e =>
        {
            e.ToTable("team_manager");
            e.HasKey(m => new { m.TeamCode, m.Email });
        });
        modelBuilder.Entity<Bridge>(e =>
        {
            e.ToTable("bridge");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).ValueGeneratedNever(); // code-assigned (NewId), so Add is never mistaken for an update
        });
        modelBuilder.Entity<StrategyMeeting>(e =>
        {
            e.ToTable("strategy_meeting");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedNever(); // code-assigned (NewId), so Add is never mistaken for an update
            e.Ignore(m => m.Facts);
            e.Ignore(m => m.IsScheduled);
            e.Ignore(m => m.CurrentInvitations);
            e.Property(m => m.ConcernCategory).HasConversion<string>();
            e.Property(m => m.ThresholdReasonCode).HasConversion<string>();
            e.Property(m => m.ChildAgeBand).HasConversion<string>();
            e.Property(m => m.DelayReasonCode).HasConversion<string>();
            e.Property(m => m.CancelReasonCode).HasConversion<string>();
            e.Property(m => m.Status).HasConversion<string>();
            e.Property(m => m.UpdatedAt).IsConcurrencyToken();
            e.HasOne(m => m.Bridge).WithMany().HasForeignKey(m => m.BridgeId);
            e.HasMany(m => m.Agencies).WithOne().HasForeignKey(a => a.MeetingId);
            e.HasMany(m => m.Invitations).WithOne().HasForeignKey(i => i.MeetingId);
        });
        modelBuilder.Entity<MeetingAgency>(e =>
        {
            e.ToTable("meeting_agency");
            e.HasKey(a => new { a.MeetingId, a.AgencyCode });
            e.Property(a => a.AgencyKind).HasConversion<string>();
            e.Property(a => a.Source).HasConversion<string>();
            e.Property(a => a.RemovalReasonCode).HasConversion<string>();
        });
        modelBuilder.Entity<Invitation>(e =>
        {
            e.ToTable("invitation");
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).ValueGeneratedNever(); // code-assigned (NewId), so Add is never mistaken for an update
            e.Ignore(i => i.IsCurrent);
            // PostgreSQL's row version: of two concurrent changes to one invitation (an answer and an
            // escalation, two delivery failures) the second fails and is retried on fresh state.
            e.Property<uint>("xmin").HasColumnType("xid").ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
            e.Ignore(i => i.IsAwaiting);
            e.Property(i => i.RecipientRole).HasConversion<string>();
            e.Property(i => i.Status).HasConversion<string>();
            e.Property(i => i.DeliveryState).HasConversion<string>();
            e.Property(i => i.Answer).HasConversion<string>();
            e.Property(i => i.DeclineReasonCode).HasConversion<string>();
            e.Property(i => i.SupersededReason).HasConversion<string>();
        });
        modelBuilder.Entity<ResponseLink>(e =>
        {
            e.ToTable("response_link");
            e.HasKey(l => l.Id);
            e.HasOne<Invitation>().WithMany().HasForeignKey(l => l.InvitationId); // so inserts are ordered after the invitation's
            e.Property(l => l.Id).ValueGeneratedNever(); // code-assigned (NewId), so Add is never mistaken for an update
        });
        modelBuilder.Entity<DecisionNotToConvene>(e =>
        {
            e.ToTable("decision_not_to_convene");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedNever(); // code-assigned (NewId), so Add is never mistaken for an update
            e.Property(d => d.ConcernCategory).HasConversion<string>();
            e.Property(d => d.ReasonCode).HasConversion<string>();
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entry");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).UseIdentityAlwaysColumn();
        });

        // The tables a capability owns (the directory replica, the meeting record) are mapped beside
        // their entities, as IEntityTypeConfiguration classes, so this context knows only the domain.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MeetingsDbContext).Assembly);
    }
}
