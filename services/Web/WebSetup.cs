using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Jtai.Strategy.Contracts;
using Jtai.Strategy.Web.LiveBoard;
using Jtai.Strategy.Web.Answering;
using Jtai.Strategy.Web.Apis;
using Jtai.Strategy.Web.Dashboard;
using Jtai.Strategy.Web.SignIn;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jtai.Strategy.Web;

/// <summary>
/// The composition root: telemetry and health as every service has them, sign-in (cookie + OpenID Connect), the
/// typed clients of the services' APIs with the user's token, and the pages. The web service has no database and
/// no project reference to another service: what it shows comes from the APIs.
/// </summary>
public static class WebSetup
{
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // First: the secrets directory's files (the broker's connection string) are read by everything after.
        builder.AddServiceSecrets();
        var options = builder.Configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section);

        builder.AddTelemetry();
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        services.AddProblemDetails();

        var keys = services.AddDataProtection().SetApplicationName("jtai-strategy-web");
        if (!string.IsNullOrWhiteSpace(options.DataProtectionKeysDirectory))
        {
            keys.PersistKeysToFileSystem(new DirectoryInfo(options.DataProtectionKeysDirectory));
        }
        else if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException("Configure Web:DataProtectionKeysDirectory: the sign-in cookies of every instance are encrypted with those keys.");
        }

        builder.AddWebSignIn(options.Oidc);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new LondonTime(options.TimeZone));

        // The live board: changes heard on the bus go to the open pages of the meeting (LiveBoard/). The consumer
        // changes no state, so the web service still keeps no database (and no inbox).
        services.AddSingleton<MeetingChanges>();
        services.AddSingleton(new WebInstance(options.InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant()));
        builder.AddMessaging("web", MessageContracts.Assembly, x => x.AddConsumer<BoardChangeConsumer>(typeof(BoardChangeConsumerDefinition)));

        // The services' APIs. The user's token travels with each call (SignIn/AccessTokenForwarder); the standard
        // resilience handler retries transient failures with backoff and timeouts, and breaks a failing circuit.
        services.AddHttpContextAccessor();
        services.AddTransient<AccessTokenForwarder>();
        services.AddHttpClient<MeetingsApiClient>(c => c.BaseAddress = options.Apis.Meetings ?? new Uri("http://127.0.0.1:5102/"))
            .AddHttpMessageHandler<AccessTokenForwarder>()
            .AddStandardResilienceHandler();
        // The administrator's pages: the directory's agencies and SPOCs, the meetings service's teams.
        services.AddHttpClient<DirectoryApiClient>(c => c.BaseAddress = options.Apis.Directory ?? new Uri("http://127.0.0.1:5101/"))
            .AddHttpMessageHandler<AccessTokenForwarder>()
            .AddStandardResilienceHandler();
        services.AddHttpClient<TeamsApiClient>(c => c.BaseAddress = options.Apis.Meetings ?? new Uri("http://127.0.0.1:5102/"))
            .AddHttpMessageHandler<AccessTokenForwarder>()
            .AddStandardResilienceHandler();
        services.AddHttpClient<NotificationsApiClient>(c => c.BaseAddress = options.Apis.Notifications ?? new Uri("http://127.0.0.1:5103/"))
            .AddHttpMessageHandler<AccessTokenForwarder>()
            .AddStandardResilienceHandler();
        // The MASDG's pages (Dashboard/, ActionPlanProgress/): the metrics and action plan services, with the user's token.
        services.AddHttpClient<MetricsApiClient>(c => c.BaseAddress = options.Apis.Metrics ?? new Uri("http://127.0.0.1:5104/"))
            .AddHttpMessageHandler<AccessTokenForwarder>()
            .AddStandardResilienceHandler();
        services.AddHttpClient<ActionPlanApiClient>(c => c.BaseAddress = options.Apis.ActionPlan ?? new Uri("http://127.0.0.1:5105/"))
            .AddHttpMessageHandler<AccessTokenForwarder>()
            .AddStandardResilienceHandler();
        services.AddTransient<MasdgFilters>();
        // The answer link needs no sign-in: its own client, which never carries a user's token.
        services.AddHttpClient<ResponseLinkClient>(c => c.BaseAddress = options.Apis.Meetings ?? new Uri("http://127.0.0.1:5102/"))
            .AddStandardResilienceHandler(r =>
            {
                // An answer is not to be sent twice by a retry: retry the reads only (the link is single-use anyway).
                r.Retry.ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get && HttpClientResiliencePredicates.IsTransient(args.Outcome));
            });

        services.AddRazorPages(o =>
        {
            // One folder per capability at the project's root (SignIn/, Answering/, TeamMeetings/), as in the other services.
            o.RootDirectory = "/";
            o.Conventions.AuthorizeFolder("/TeamMeetings", WebPolicies.TeamManager);
            o.Conventions.AuthorizeFolder("/Convening", WebPolicies.TeamManager);
            o.Conventions.AuthorizeFolder("/Recording", WebPolicies.TeamManager);
            o.Conventions.AuthorizeFolder("/TeamNotices", WebPolicies.TeamManager);
            o.Conventions.AuthorizeFolder("/AgencyInvitations", WebPolicies.Spoc);
            o.Conventions.AuthorizeFolder("/CirculatedActions", WebPolicies.Spoc);
            o.Conventions.AuthorizeFolder("/Administration", WebPolicies.Administrator);
            o.Conventions.AuthorizeFolder("/Dashboard", WebPolicies.Masdg);
            o.Conventions.AuthorizeFolder("/ActionPlanProgress", WebPolicies.Masdg);
            o.Conventions.AuthorizeFolder("/Home");
            o.Conventions.AllowAnonymousToFolder("/Answering");
            o.Conventions.AllowAnonymousToFolder("/Shared");
            o.Conventions.AllowAnonymousToPage("/Index");
            o.Conventions.AllowAnonymousToPage("/SignIn/SignedOut");
        });
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        // Scripts and styles only from this service (GOV.UK Frontend is served from wwwroot); a form may post here or,
        // by the sign-out redirect, to the identity provider.
        var authority = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebOptions>>().Value.Oidc.Authority;
        var provider = Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "";
        var contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + $"form-action 'self'{provider}; frame-ancestors 'none'; base-uri 'self'";
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.Use(async (context, next) =>
        {
            // No page is to be framed, sniffed or sent with a referrer that carries an answer link's token.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
            await next();
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapSignInEndpoints();
        app.MapBoardChanges();
        app.MapMasdgDownloads();
        app.MapStaticAssets();
        app.MapRazorPages();
        return app;
    }
}
