using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Meetings.Deadlines;
using Jtai.Strategy.Meetings.Delivery;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Meetings.Replica;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jtai.Strategy.Meetings.Infrastructure;

public static class MeetingsSetup
{
    public const string EndpointPrefix = "meetings";

    /// <summary>The service's database, messaging (directory replica, delivery results), chase deadlines and services.</summary>
    public static WebApplicationBuilder AddMeetings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MeetingsOptions>().BindConfiguration(MeetingsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MeetingsOptions>, MeetingsOptionsValidator>();
        builder.Services.AddSingleton<ResponseLinkSigner>();
        builder.Services.AddScoped<InvitationIssuer>();
        builder.Services.AddScoped<InvitationAnswers>();
        builder.Services.AddExceptionHandler<MeetingsExceptionHandler>();

        builder.AddServiceDatabase<MeetingsDbContext>(Migration.FromEmbeddedResources(typeof(MeetingsDbContext).Assembly));
        builder.AddMessaging(EndpointPrefix, x =>
        {
            x.AddDirectoryReplica();
            x.AddConsumer<InvitationDeliveredConsumer>();
            x.AddConsumer<InvitationDeliveryFailedConsumer>();
            x.AddMeetingRecordingConsumers();
        });
        builder.AddDeadlines<MeetingsDbContext>(d => d
            .Handle<InvitationReminderHandler>()
            .Handle<InvitationEscalationHandler>());
        builder.AddMeetingRecording();
        builder.Services.AddHostedService<DirectorySnapshotRequestOnStartup>();
        return builder;
    }
}

/// <summary>Meeting rule breaks and a lost race for a bridge as 409 problems, never a 500.</summary>
internal sealed class MeetingsExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (title, detail) = exception switch
        {
            MeetingRuleException rule => (rule.Title, rule.Message),
            // Concurrency and uniqueness races are the building blocks' 409 (registered first).
            DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } } =>
                ("No free dial-in bridge", "The bridge was booked by another meeting a moment ago. Try again: another bridge or slot will be offered."),
            _ => (null, null),
        };
        if (title is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status409Conflict, Title = title, Detail = detail },
        });
    }
}
