using Jtai.Strategy.Contracts;
using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Evidence;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Security;

namespace Jtai.Strategy.ActionPlan;

/// <summary>The composition root of the action-plan service (see <c>ServiceDefaults</c> for why every service is wired this way).</summary>
public static class ActionPlanSetup
{
    public static WebApplicationBuilder AddActionPlan(this WebApplicationBuilder builder)
    {
        // Refused before anything runs (migrate included): a production database must never get the sample plan.
        if (builder.Environment.IsProduction() && builder.Configuration.GetValue<bool>("ActionPlan:SeedDurhamSamplePlan"))
        {
            throw new InvalidOperationException(
                "ActionPlan:SeedDurhamSamplePlan is set in Production. The Durham sample plan is reconstructed sample data and is never seeded in Production; remove the setting.");
        }

        builder.AddServiceDatabase<ActionPlanDbContext>(Migration.FromEmbeddedResources(typeof(ActionPlanDbContext).Assembly));
        builder.Services.AddOptions<ActionPlanOptions>().BindConfiguration("ActionPlan")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "ActionPlan:TimeZone is not a time zone this machine knows.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PlanCalendar>();
        builder.Services.AddScoped<IDataSeeder<ActionPlanDbContext>, DurhamSamplePlanSeeder>();
        builder.Services.AddScoped<IDataSeeder<ActionPlanDbContext>, DurhamTable1Seeder>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlanPolicies.PlanReaders, p => p.RequireRole(JtaiRoles.Masdg, JtaiRoles.Administrator));
        builder.AddMessaging("action-plan", MessageContracts.Assembly, x => x.AddConsumer<AttendanceMetricsConsumer>(typeof(AttendanceMetricsConsumerDefinition)));
        return builder;
    }

    public static WebApplication MapActionPlan(this WebApplication app)
    {
        app.MapPlansApi();
        app.MapActionsApi();
        app.MapActionEvidenceApi();
        app.MapMetricLinksApi();
        app.MapReportsApi();
        app.MapPublishedTablesApi();
        app.MapIssuedReportsApi();
        app.MapExecutiveDecisionsApi();
        return app;
    }
}
