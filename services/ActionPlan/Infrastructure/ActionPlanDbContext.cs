using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Infrastructure;

public sealed class ActionPlanDbContext(DbContextOptions<ActionPlanDbContext> options) : ServiceDbContext(options)
{
    public override string Schema => "action_plan";

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<PlanAction> Actions => Set<PlanAction>();

    public DbSet<StatusChange> StatusChanges => Set<StatusChange>();

    public DbSet<TimescaleRevision> TimescaleRevisions => Set<TimescaleRevision>();

    public DbSet<MetricLink> MetricLinks => Set<MetricLink>();

    public DbSet<MetricEvidence> MetricEvidence => Set<MetricEvidence>();

    public DbSet<PublishedProgressTable> PublishedProgressTables => Set<PublishedProgressTable>();

    public DbSet<IssuedReport> IssuedReports => Set<IssuedReport>();

    public DbSet<ExecutiveDecision> ExecutiveDecisions => Set<ExecutiveDecision>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        // Ids are made in code (version 7 GUIDs). Saying so lets EF treat a new history row or revision
        // added to a tracked action's collection as an insert, not an update of a row that is not there.
        modelBuilder.Entity<Plan>().Property(p => p.Id).ValueGeneratedNever();
        modelBuilder.Entity<PlanAction>().Property(a => a.Id).ValueGeneratedNever();
        modelBuilder.Entity<StatusChange>().Property(c => c.Id).ValueGeneratedNever();
        modelBuilder.Entity<TimescaleRevision>().Property(r => r.Id).ValueGeneratedNever();
        modelBuilder.Entity<MetricLink>().Property(l => l.Id).ValueGeneratedNever();
        modelBuilder.Entity<MetricEvidence>().Property(e => e.Id).ValueGeneratedNever();

        modelBuilder.Entity<Plan>(e =>
        {
            e.ToTable("plan");
            e.HasKey(p => p.Id);
            e.HasIndex(p => p.Code).IsUnique();
            e.HasMany(p => p.Themes).WithOne().HasForeignKey(t => t.PlanId);
            e.HasMany(p => p.Areas).WithOne().HasForeignKey(a => a.PlanId);
            e.HasMany(p => p.Actions).WithOne().HasForeignKey(a => a.PlanId);
        });
        modelBuilder.Entity<Theme>(e =>
        {
            e.ToTable("theme");
            e.HasKey(t => new { t.PlanId, t.Number });
        });
        modelBuilder.Entity<AreaForImprovement>(e =>
        {
            e.ToTable("area_for_improvement");
            e.HasKey(a => new { a.PlanId, a.Ref });
            e.HasOne<Theme>().WithMany().HasForeignKey(a => new { a.PlanId, a.ThemeNumber });
        });
        modelBuilder.Entity<PlanAction>(e =>
        {
            e.ToTable("action");
            e.HasKey(a => a.Id);
            e.HasIndex(a => new { a.PlanId, a.Key }).IsUnique();
            e.Property(a => a.Status).HasConversion<string>();
            e.Property(a => a.Version).IsConcurrencyToken();
            e.Ignore(a => a.DueDate);
            e.HasOne<AreaForImprovement>().WithMany().HasForeignKey(a => new { a.PlanId, a.Ref });
            e.HasMany(a => a.StatusHistory).WithOne().HasForeignKey(c => c.ActionId);
            e.HasMany(a => a.Revisions).WithOne().HasForeignKey(r => r.ActionId);
        });
        modelBuilder.Entity<StatusChange>(e =>
        {
            e.ToTable("status_change");
            e.HasKey(c => c.Id);
            e.Property(c => c.FromStatus).HasConversion<string>();
            e.Property(c => c.ToStatus).HasConversion<string>();
            e.Property(c => c.Source).HasConversion<string>();
        });
        modelBuilder.Entity<TimescaleRevision>(e =>
        {
            e.ToTable("timescale_revision");
            e.HasKey(r => r.Id);
            e.Property(r => r.Source).HasConversion<string>();
        });
        modelBuilder.Entity<StatusChange>().HasOne<TimescaleRevision>().WithMany().HasForeignKey(c => c.TimescaleRevisionId);
        modelBuilder.Entity<MetricLink>(e =>
        {
            e.ToTable("metric_link");
            e.HasKey(l => l.Id);
            e.Property(l => l.Comparison).HasConversion<string>();
            e.Property(l => l.AgencyScope).HasConversion<string>();
            e.Property(l => l.Version).IsConcurrencyToken();
            e.HasOne<Plan>().WithMany().HasForeignKey(l => l.PlanId);
            e.HasOne<PlanAction>().WithMany().HasForeignKey(l => l.ActionId);
        });
        modelBuilder.Entity<PublishedProgressTable>(e =>
        {
            e.ToTable("published_progress_table");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).ValueGeneratedNever();
            e.HasOne<Plan>().WithMany().HasForeignKey(t => t.PlanId);
            e.HasMany(t => t.Lines).WithOne().HasForeignKey(l => l.TableId);
        });
        modelBuilder.Entity<PublishedProgressLine>(e =>
        {
            e.ToTable("published_progress_line");
            e.HasKey(l => new { l.TableId, l.Ordinal });
            e.Property(l => l.Ordinal).ValueGeneratedNever();
            e.Ignore(l => l.NotStarted);
        });
        modelBuilder.Entity<ExecutiveDecision>(e =>
        {
            e.ToTable("executive_decision");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Ignore(d => d.ApprovedByText);
            e.HasOne<Plan>().WithMany().HasForeignKey(d => d.PlanId);
        });
        modelBuilder.Entity<TimescaleRevision>().HasOne<ExecutiveDecision>().WithMany().HasForeignKey(r => r.ExecutiveDecisionId);
        modelBuilder.Entity<IssuedReport>(e =>
        {
            e.ToTable("issued_report");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Kind).HasConversion<string>();
            e.HasOne<Plan>().WithMany().HasForeignKey(r => r.PlanId);
        });
        modelBuilder.Entity<MetricEvidence>(e =>
        {
            e.ToTable("metric_evidence");
            e.HasKey(v => v.Id);
            e.Property(v => v.Comparison).HasConversion<string>();
            e.HasOne<PlanAction>().WithMany().HasForeignKey(v => v.ActionId);
            e.HasOne<MetricLink>().WithMany().HasForeignKey(v => v.LinkId).OnDelete(DeleteBehavior.SetNull);
        });
    }
}
