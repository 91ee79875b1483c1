using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.Notifications;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotifications();

var app = builder.Build();

app.UseServiceDefaults();
app.MapNotifications();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.Notifications
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class NotificationsService;
}
