using Jtai.Strategy.Notifications.Apis;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Dispatch;
using Jtai.Strategy.Notifications.Intake;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Infrastructure;

public static class NotificationsSetup
{
    /// <summary>Rendering, channels (e-mail over the configured SMTP relay), the relay's resilience pipeline and the dispatcher.</summary>
    public static IHostApplicationBuilder AddNotificationDelivery(this IHostApplicationBuilder builder)
    {
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
        services.AddScoped<NotificationComposer>();
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
        return builder;
    }

    public static void AddNotificationConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<InvitationIssuedConsumer>();
        x.AddConsumer<InvitationReminderDueConsumer>();
        x.AddConsumer<InvitationRescheduledConsumer>();
        x.AddConsumer<InvitationCancelledConsumer>();
        x.AddConsumer<AgreedActionsCirculatedConsumer>();
        x.AddConsumer<CirculationNoticePassedOnConsumer>();
    }
}
