using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Security;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>Marks the endpoints that serve case data (teams and bridges, meetings, invitations, records): their refusals are audited.</summary>
public sealed class CaseDataEndpoint;

/// <summary>
/// Audits every refused attempt (401 or 403) on a case-data endpoint, once per request, whoever refused it: the
/// authorization middleware (wrong role, no or bad token) or the endpoint (another team's or agency's record). It records
/// the actor (the token's subject, or <see cref="AnonymousActor"/>), the method and route template (never the raw path),
/// and the status. Runs first in the pipeline (a start-up filter), so it sees the final status of every refusal.
/// The anonymous answer-by-link endpoints are not case-data endpoints here: they never answer 401/403, and their
/// floods are refused by the rate limiter before anything is written.
/// </summary>
internal sealed partial class DeniedAttemptsAudit(RequestDelegate next, IServiceScopeFactory scopes, TimeProvider clock, ILogger<DeniedAttemptsAudit> logger)
{
    public const string AnonymousActor = "anonymous";

    public const string Action = "access.denied";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var status = context.Response.StatusCode;
        if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            || context.GetEndpoint() is not RouteEndpoint endpoint
            || endpoint.Metadata.GetMetadata<CaseDataEndpoint>() is null)
        {
            return;
        }

        var actor = context.User.Identity?.IsAuthenticated == true ? context.User.SubjectId() : AnonymousActor;
        var detail = $"{context.Request.Method} {endpoint.RoutePattern.RawText} {status}";
        try
        {
            // Its own unit of work: whatever the refused endpoint had tracked is not saved with it.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MeetingsDbContext>();
            await db.AuditReadAsync(actor, Action, null, clock.GetUtcNow(), detail, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The refusal stands (the response is sent); a missing audit row must still be noticed.
            LogAuditFailed(logger, ex, detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A refused attempt ({Attempt}) could not be audited")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string attempt);
}

internal sealed class DeniedAttemptsAuditStartup : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<DeniedAttemptsAudit>();
        next(app);
    };
}
