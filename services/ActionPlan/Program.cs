using Jtai.Strategy.ActionPlan.Apis;
using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Evidence;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<ActionPlanDbContext>(Migration.FromEmbeddedResources(typeof(ActionPlanDbContext).Assembly));
builder.AddActionPlan();
builder.AddMessaging("action-plan", x => x.AddConsumer<AttendanceMetricsConsumer>(typeof(AttendanceMetricsConsumerDefinition)));

var app = builder.Build();

app.UseServiceDefaults();
app.MapPlansApi();
app.MapActionsApi();
app.MapMetricLinksApi();
app.MapReportsApi();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.ActionPlan
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class ActionPlanService;
}
