using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Security;

namespace Jtai.Strategy.ActionPlan.Infrastructure;

public static class ActionPlanSetup
{
    /// <summary>Who may read the plan itself (not the reports): the MASDG, and administrators who keep the plan and its links.</summary>
    public const string PlanReaders = nameof(PlanReaders);

    public static IHostApplicationBuilder AddActionPlan(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ActionPlanOptions>().BindConfiguration("ActionPlan")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "ActionPlan:TimeZone is not a time zone this machine knows.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PlanCalendar>();
        builder.Services.AddScoped<IDataSeeder<ActionPlanDbContext>, DurhamSamplePlanSeeder>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlanReaders, p => p.RequireRole(JtaiRoles.Masdg, JtaiRoles.Administrator));
        return builder;
    }
}
