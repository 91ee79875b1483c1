using System.Globalization;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Evidence;
using Jtai.Strategy.BuildingBlocks.Http;

namespace Jtai.Strategy.ActionPlan.Import;

/// <summary>Metric links as a CSV (the Durham sample's are SampleData/durham-metric-links.csv), validated like the API's.</summary>
public static class MetricLinksCsv
{
    public static readonly string[] RequiredColumns = ["action_key", "metric_key", "comparison", "target", "agency_scope", "period_kind", "description"];

    public static readonly string[] OptionalColumns = ["agency_code", "minimum_denominator"];

    public static IReadOnlyList<MetricLink> Read(TextReader reader, Plan plan, Actor actor, DateTimeOffset now, ValidationErrors errors)
    {
        var table = CsvTable.Read(reader, RequiredColumns, OptionalColumns, errors);
        if (table is null)
        {
            return [];
        }

        var actions = plan.Actions.ToDictionary(a => a.Key, StringComparer.OrdinalIgnoreCase);
        var links = new List<MetricLink>();
        foreach (var r in table.Records)
        {
            var action = actions.GetValueOrDefault(r["action_key"]);
            errors.When(action is null, r.Field("action_key"), $"The plan has no action '{r["action_key"]}'.");
            TargetComparison? comparison = Enum.TryParse<TargetComparison>(r["comparison"], out var c) ? c : null;
            AgencyScope? scope = Enum.TryParse<AgencyScope>(r["agency_scope"], out var s) ? s : null;
            decimal? target = decimal.TryParse(r["target"], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var t) ? t : null;
            int? minimum = r["minimum_denominator"].Length == 0 ? 1 : int.TryParse(r["minimum_denominator"], CultureInfo.InvariantCulture, out var m) ? m : 0;
            var agency = r["agency_code"].Length == 0 ? null : r["agency_code"];
            foreach (var (field, messages) in MetricLinkRules.Validate(r["metric_key"], comparison, target, scope, agency, r["period_kind"], minimum, r["description"]).ToDictionary())
            {
                foreach (var message in messages)
                {
                    errors.Add(r.Field(field), message);
                }
            }

            if (action is not null && !errors.Any)
            {
                links.Add(new MetricLink
                {
                    Id = Guid.CreateVersion7(now),
                    PlanId = plan.Id,
                    ActionId = action.Id,
                    MetricKey = r["metric_key"],
                    Comparison = comparison!.Value,
                    Target = target!.Value,
                    AgencyScope = scope!.Value,
                    AgencyCode = agency,
                    PeriodKind = r["period_kind"],
                    MinimumDenominator = minimum!.Value,
                    Description = r["description"],
                    UpdatedBy = actor.Name,
                    UpdatedAt = now,
                });
            }
        }

        return errors.Any ? [] : links;
    }
}
