using System.Reflection;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Import;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.ActionPlan.Infrastructure;

/// <summary>
/// Durham's JTAI improvement plan (seed 003, V2 of February 2019) as the sample plan: the 108
/// actions, the 11 timescale revisions Table 1 counts as Yellow (which V2 already shows), and the
/// metric links of section 1. Applied once, through the same importer as the API; administrators
/// and the MASDG change it through the API afterwards. Off with ActionPlan:SeedDurhamSamplePlan=false.
/// </summary>
public sealed class DurhamSamplePlanSeeder(TimeProvider clock, PlanCalendar calendar, IOptions<ActionPlanOptions> options) : IDataSeeder<ActionPlanDbContext>
{
    public const string PlanCode = "durham-jtai-2018";

    public const string PlanTitle = "County Durham JTAI Improvement Action Plan (V2, February 2019)";

    public static readonly Actor SeedActor = new("seed:durham-jtai-2018", "Sample data: Durham JTAI plan");

    // A declined seed records its own id, so turning the option on later still seeds once.
    public string Id => options.Value.SeedDurhamSamplePlan ? "durham-jtai-2018-sample" : "durham-jtai-2018-sample-declined";

    public Task SeedAsync(ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        if (options.Value.SeedDurhamSamplePlan)
        {
            db.Plans.Add(Build(clock.GetUtcNow(), calendar.Today(), out var links));
            db.MetricLinks.AddRange(links);
        }

        return Task.CompletedTask;
    }

    /// <summary>The sample plan with its revisions applied and its links; throws if the embedded files do not fit together.</summary>
    public static Plan Build(DateTimeOffset now, DateOnly today, out IReadOnlyList<MetricLink> links)
    {
        var errors = new ValidationErrors();
        var plan = PlanImporter.Build(PlanCode, PlanTitle, PlanCsv.Read(Open("durham-jtai-2018.csv"), errors), SeedActor, now);
        Check(errors, "durham-jtai-2018.csv");
        PlanImporter.ApplyEarlierRevisions(plan.Actions, RevisionsCsv.Read(Open("durham-revisions-2018.csv"), today, errors), SeedActor, now, errors);
        Check(errors, "durham-revisions-2018.csv");
        links = MetricLinksCsv.Read(Open("durham-metric-links.csv"), plan, SeedActor, now, errors);
        Check(errors, "durham-metric-links.csv");
        return plan;
    }

    public static StreamReader Open(string file) =>
        new(Assembly.GetExecutingAssembly().GetManifestResourceStream($"Jtai.Strategy.ActionPlan.SampleData.{file}")
            ?? throw new InvalidOperationException($"SampleData/{file} is not embedded."));

    private static void Check(ValidationErrors errors, string file)
    {
        if (errors.Any)
        {
            throw new InvalidOperationException($"SampleData/{file} does not import: " +
                string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
    }
}

/// <summary>
/// Table 1 of the Overview &amp; Scrutiny report of 11 February 2019 (seed 002) as a published progress table of the
/// sample plan: per-theme counts, as the report gives them, beside which the tracker shows its own table. A seeder
/// of its own, so a deployment that already had the sample plan gets it once too. Only with the sample opted in.
/// </summary>
public sealed class DurhamTable1Seeder(TimeProvider clock, IOptions<ActionPlanOptions> options) : IDataSeeder<ActionPlanDbContext>
{
    public const string SourceDocument =
        "Children and Young People's Overview and Scrutiny Committee, 11 February 2019: JTAI Progress Update (Report of Corporate Director of Children and Young People's Services), Table 1 (seed 002)";

    public static readonly DateOnly PublishedOn = new(2019, 2, 11);

    public static readonly DateOnly DueBy = new(2018, 12, 31);

    public string Id => options.Value.SeedDurhamSamplePlan ? "durham-jtai-2018-table1" : "durham-jtai-2018-table1-declined";

    public async Task SeedAsync(ActionPlanDbContext db, CancellationToken cancellationToken)
    {
        var plan = options.Value.SeedDurhamSamplePlan
            ? await db.Plans.AsNoTracking().Include(p => p.Themes).SingleOrDefaultAsync(p => p.Code == DurhamSamplePlanSeeder.PlanCode, cancellationToken)
            : null;
        if (plan is not null)
        {
            db.PublishedProgressTables.Add(Build(plan, clock.GetUtcNow()));
        }
    }

    public static PublishedProgressTable Build(Plan plan, DateTimeOffset now)
    {
        var csv = DurhamSamplePlanSeeder.Open("table1-december-2018.csv").ReadToEnd();
        var errors = new ValidationErrors();
        var lines = PublishedTableCsv.Read(new StringReader(csv), plan.Themes.Select(t => t.Number).ToHashSet(), errors);
        if (errors.Any)
        {
            throw new InvalidOperationException("SampleData/table1-december-2018.csv does not import: " +
                string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        return Apis.PublishedTablesApi.Build(plan.Id, SourceDocument, PublishedOn, DueBy, csv, lines, DurhamSamplePlanSeeder.SeedActor, now);
    }
}
