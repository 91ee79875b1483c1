using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Contracts;
using Jtai.Strategy.Notifications.Apis;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Dispatch;
using Jtai.Strategy.Notifications.Infrastructure;
using Jtai.Strategy.Notifications.Intake;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications;

/// <summary>The composition root of the notifications service (see <c>ServiceDefaults</c> for why every service is wired this way).</summary>
public static class NotificationsSetup
{
    /// <summary>
    /// The service's schema, its consumers, rendering, channels (e-mail over the configured SMTP relay), the relay's
    /// resilience pipeline and the dispatcher.
    /// </summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationsDbContext>(Migration.FromEmbeddedResources(typeof(NotificationsDbContext).Assembly));
        var services = builder.Services;
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName);
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName);

        services.AddSingleton(sp => new InvitationEmailRenderer(timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ActionsCirculatedEmailRenderer>();
        services.AddSingleton<MasdgDigestEmailRenderer>(sp => new MasdgDigestEmailRenderer());
        services.AddSingleton<AdministratorNoticeEmailRenderer>();
        services.AddScoped<NotificationComposer>();
        // Notices to a team's managers: their own renderer and composer.
        services.AddSingleton(_ => new ManagerNoticeEmailRenderer());
        services.AddScoped<ManagerNoticeComposer>();
        services.AddScoped<DeliveryIntake>();

        // Channels: every IDeliveryChannel registered here is a candidate; ChannelSelector picks per recipient.
        // An SMS gateway over HTTP would be one more AddSingleton<IDeliveryChannel, SmsChannel>().
        // The relay is a pool of authenticated MailKit connections; the container disposes it (closing them) on shutdown.
        services.AddSingleton<IMailRelay>(sp => new SmtpRelayPool(sp.GetRequiredService<IOptions<SmtpOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IDeliveryChannel>(sp => new EmailChannel(
            sp.GetRequiredService<IMailRelay>(),
            sp.GetRequiredService<IOptions<SmtpOptions>>().Value,
            new EmailComposer(sp.GetRequiredService<TimeProvider>())));
        services.AddSingleton<ChannelSelector>();

        services.AddSingleton<RelayResilience>();
        services.AddSingleton<DeliverySignal>();
        services.AddConsumeObserver<WakeDispatcherAfterConsume>();
        services.AddHostedService<DeliveryDispatcher>();
        services.AddDeliveriesApi();
        builder.AddMessaging("notifications", MessageContracts.Assembly, x =>
        {
            x.AddConsumer<InvitationIssuedConsumer>();
            x.AddConsumer<InvitationReminderDueConsumer>();
            x.AddConsumer<InvitationRescheduledConsumer>();
            x.AddConsumer<InvitationCancelledConsumer>();
            x.AddConsumer<AgreedActionsCirculatedConsumer>();
            x.AddConsumer<CirculationNoticePassedOnConsumer>();
            x.AddConsumer<MasdgDigestDueConsumer>();
            x.AddConsumer<AdministratorNoticeDueConsumer>();
            x.AddConsumer<ManagerNoticeDueConsumer>();
        });
        return builder;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        app.MapDeliveriesApi();
        app.MapManagerNoticesApi();
        return app;
    }
}
