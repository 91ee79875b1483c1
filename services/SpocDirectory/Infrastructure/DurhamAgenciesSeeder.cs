using System.Reflection;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Text;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.SpocDirectory.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.SpocDirectory.Infrastructure;

/// <summary>
/// Durham's partner agencies, named in the JTAI improvement action plan, as starting data.
/// Applied once; administrators change it through the API afterwards. Each agency is announced
/// through the outbox like any other registration, so replicas learn it too.
/// </summary>
public sealed class DurhamAgenciesSeeder(TimeProvider clock) : IDataSeeder<DirectoryDbContext>
{
    public string Id => "durham-agencies-2018";

    public async Task SeedAsync(DirectoryDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var (code, name, kind) in Read())
        {
            if (await db.Agencies.AnyAsync(a => a.Code == code, cancellationToken))
            {
                continue;
            }

            var agency = new Agency { Code = code, Name = name, Kind = kind, UpdatedAt = now };
            db.Agencies.Add(agency);
            db.AddOutboxMessage(new AgencyRegistered(agency.ToSnapshot(), now));
        }
    }

    public static IReadOnlyList<(string Code, string Name, AgencyKind Kind)> Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Jtai.Strategy.SpocDirectory.SeedData.durham-agencies.csv")!;
        using var reader = new StreamReader(stream);
        return Csv.Parse(reader).Skip(1).Select(r => (r[0], r[1], Enum.Parse<AgencyKind>(r[2]))).ToList();
    }
}
