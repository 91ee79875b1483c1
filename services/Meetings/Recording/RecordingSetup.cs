using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.Meetings.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Recording;

public static class RecordingSetup
{
    /// <summary>Recording meetings and circulating their actions: options, the working-day calendar, the recorder and the circulation deadlines.</summary>
    public static WebApplicationBuilder AddMeetingRecording(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RecordingOptions>, RecordingOptionsValidator>();
        builder.Services.AddSingleton(sp =>
        {
            var file = sp.GetRequiredService<IOptions<RecordingOptions>>().Value.BankHolidaysFile;
            return string.IsNullOrWhiteSpace(file) ? WorkingDayCalendar.EnglandAndWales() : WorkingDayCalendar.FromFile(file);
        });
        builder.Services.AddSingleton(sp => new InitialConferenceClock(
            sp.GetRequiredService<WorkingDayCalendar>(), sp.GetRequiredService<IOptions<RecordingOptions>>().Value.TimeZone()));
        builder.Services.AddScoped<MeetingRecorder>();

        // Handlers join the service's one deadline poller (registered by AddDeadlines in MeetingsSetup).
        new DeadlineRegistration<MeetingsDbContext>(builder.Services)
            .Handle<CirculationWarningHandler>()
            .Handle<CirculationOverdueHandler>();
        return builder;
    }

    /// <summary>Delivery results of circulation notices, from the notifications service.</summary>
    public static IBusRegistrationConfigurator AddMeetingRecordingConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<CirculationDeliveredConsumer>();
        x.AddConsumer<CirculationDeliveryFailedConsumer>();
        return x;
    }
}
