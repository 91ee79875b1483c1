using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Notifications.Apis;
using Jtai.Strategy.Notifications.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<NotificationsDbContext>(Migration.FromEmbeddedResources(typeof(NotificationsDbContext).Assembly));
builder.AddNotificationDelivery();
builder.AddMessaging("notifications", x => x.AddNotificationConsumers());

var app = builder.Build();

app.UseServiceDefaults();
app.MapDeliveriesApi();

await app.RunServiceAsync(args);

namespace Jtai.Strategy.Notifications
{
    /// <summary>Marks this service's assembly for test hosts (WebApplicationFactory).</summary>
    public sealed class NotificationsService;
}
