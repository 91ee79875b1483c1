using Jtai.Strategy.Contracts;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Meetings.Replica;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jtai.Strategy.Meetings;

/// <summary>
/// The composition root: everything the service runs, listed here by capability, so that each
/// consumer, deadline handler and endpoint group is registered in one visible place.
/// </summary>
public static class MeetingsSetup
{
    public const string EndpointPrefix = "meetings";

    /// <summary>The service's database, messaging (directory replica, delivery results), deadlines and services.</summary>
    public static WebApplicationBuilder AddMeetings(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MeetingsOptions>().BindConfiguration(MeetingsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MeetingsOptions>, MeetingsOptionsValidator>();
        // The partnership's reading of the national minimum, shared by convening (what is covered) and recording (who attended).
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MeetingsOptions>>().Value.Minimum());
        services.AddExceptionHandler<MeetingsExceptionHandler>();
        // Refused attempts on case data (401/403) are audited, whoever refused them.
        services.AddTransient<IStartupFilter, DeniedAttemptsAuditStartup>();
        builder.AddServiceDatabase<MeetingsDbContext>(Migration.FromEmbeddedResources(typeof(MeetingsDbContext).Assembly));
        // The audit trail is a hash chain (migration 0130); `verify-audit` checks it.
        builder.AddAuditTrail(AuditLog.Trail);
        // Notices to a team's managers, queued by convening, the chase and recording alike.
        services.AddScoped<ManagerNotices>();

        // Convening: teams, bridges, suggestions, convene / reschedule / cancel, decisions not to convene.
        services.AddScoped<MeetingConvener>();

        // Invitations: issuing, answering (signed in or by link), chasing, delivery results.
        services.AddSingleton<ResponseLinkSigner>();
        services.AddAnswerRateLimit();
        services.AddScoped<InvitationIssuer>();
        services.AddScoped<InvitationAnswers>();

        // Recording: the record, its agreed actions, circulation and its 24-hour clock.
        services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecordingOptions>, RecordingOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var file = sp.GetRequiredService<IOptions<RecordingOptions>>().Value.BankHolidaysFile;
            return string.IsNullOrWhiteSpace(file) ? WorkingDayCalendar.EnglandAndWales() : WorkingDayCalendar.FromFile(file);
        });
        services.AddSingleton(sp => new InitialConferenceClock(
            sp.GetRequiredService<WorkingDayCalendar>(), sp.GetRequiredService<IOptions<RecordingOptions>>().Value.TimeZone()));
        services.AddScoped<MeetingRecorder>();
        // The list runs out: administrators are told a year ahead (health, log, and a daily notice to their mailbox).
        services.AddSingleton<BankHolidayHorizon>();
        services.AddHealthChecks().AddCheck<BankHolidayHealthCheck>(BankHolidayHealthCheck.Name, tags: ["ready"]);
        services.AddHostedService<BankHolidayHorizonMonitor>();

        // Every consumer. Queue names come from the consumer types' names, so moving one between
        // folders changes no queue; the directory's events share one queue to keep their order.
        builder.AddMessaging(EndpointPrefix, MessageContracts.Assembly, x =>
        {
            // Replica: the SPOC directory's events and snapshots.
            x.AddConsumer<AgencyRegisteredConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);
            x.AddConsumer<AgencyUpdatedConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);
            x.AddConsumer<AgencyDeactivatedConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);
            x.AddConsumer<SpocAssignedConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);
            x.AddConsumer<SpocDetailsChangedConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);
            x.AddConsumer<SpocCoverChangedConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);
            x.AddConsumer<SpocRetiredConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);
            x.AddConsumer<DirectorySnapshotPublishedConsumer>().Endpoint(e => e.Name = DirectoryReplicaQueue.Name);

            // Invitations: delivery results of invitations, reminders and notices about them.
            x.AddConsumer<InvitationDeliveredConsumer>();
            x.AddConsumer<InvitationDeliveryFailedConsumer>();

            // Recording: delivery results of circulation notices (NoticeDelivered / NoticeDeliveryFailed).
            x.AddConsumer<CirculationDeliveredConsumer>();
            x.AddConsumer<CirculationDeliveryFailedConsumer>();
        });

        // Every deadline handler, on the service's one deadline poller.
        builder.AddDeadlines<MeetingsDbContext>(d => d
            // Invitations: the chase of an unanswered invitation.
            .Handle<InvitationReminderHandler>()
            .Handle<InvitationEscalationHandler>()
            // Recording: the 24-hour circulation rule.
            .Handle<CirculationWarningHandler>()
            .Handle<CirculationOverdueHandler>()
            // Recording: a meeting never recorded (record due after its scheduled end).
            .Handle<RecordDueHandler>()
            // Recording: the administrators' daily notice while the bank holiday list runs out.
            .Handle<BankHolidayNoticeHandler>());

        services.AddHostedService<DirectorySnapshotRequestOnStartup>();
        return builder;
    }

    /// <summary>Every endpoint group, by capability.</summary>
    public static WebApplication MapMeetings(this WebApplication app)
    {
        // After routing (the limiter reads the endpoint and its token), before any endpoint: a flood of anonymous answers
        // is refused here, before the database or the audit trail is touched.
        app.UseRateLimiter();
        // Case data: a refusal on any of these is audited (DeniedAttemptsAudit).
        var caseData = app.MapGroup(string.Empty).WithMetadata(new CaseDataEndpoint());
        caseData.MapTeamsApi();
        caseData.MapMeetingsApi();
        caseData.MapInvitationsApi();
        caseData.MapRecordingApi();
        app.MapRespondApi();
        return app;
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
