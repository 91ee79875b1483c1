using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.ActionPlan;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddActionPlan();

var app = builder.Build();

app.UseServiceDefaults();
app.MapActionPlan();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.ActionPlan
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class ActionPlanService;
}
