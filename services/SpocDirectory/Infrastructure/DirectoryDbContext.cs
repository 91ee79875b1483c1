using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.SpocDirectory.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.SpocDirectory.Infrastructure;

public sealed class DirectoryDbContext(DbContextOptions<DirectoryDbContext> options) : ServiceDbContext(options)
{
    public override string Schema => "spoc_directory";

    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<Spoc> Spocs => Set<Spoc>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Agency>(e =>
        {
            e.ToTable("agency");
            e.HasKey(a => a.Code);
            e.Property(a => a.Kind).HasConversion<string>();
            e.Property(a => a.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<Spoc>(e =>
        {
            e.ToTable("spoc");
            e.HasKey(s => s.Id);
            e.Property(s => s.Version).IsConcurrencyToken();
            e.HasMany(s => s.Covers).WithOne().HasForeignKey(c => c.SpocId);
        });
        modelBuilder.Entity<SpocCover>(e =>
        {
            e.ToTable("spoc_cover");
            e.HasKey(c => c.Id);
        });
    }
}
