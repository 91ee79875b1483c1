using System.Threading.RateLimiting;
using Jtai.Strategy.BuildingBlocks.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Invitations;

/// <summary>
/// Limits of the anonymous answer-by-link endpoints (section <c>Meetings:AnswerRateLimit</c>). Anyone may call them, so
/// a flood is refused (429) by the rate limiter before a token is checked, the database is asked or an audit row is written.
/// </summary>
public sealed class AnswerRateLimitOptions
{
    public const string Section = "Meetings:AnswerRateLimit";

    /// <summary>
    /// Requests a minute from one client address. Behind a reverse proxy every caller shares the proxy's address unless
    /// the host is configured for forwarded headers; the web service's answer page calls from the web server's address.
    /// </summary>
    public int PerClientPerMinute { get; set; } = 120;

    /// <summary>Requests a minute for one link (by the link id a well-signed token names; ill-signed tokens count per client only).</summary>
    public int PerLinkPerMinute { get; set; } = 20;

    /// <summary>The largest body an answer may have; a larger one is refused (413) unread.</summary>
    public int MaxBodyBytes { get; set; } = 5 * 1024;
}

/// <summary>The marker on the answer-by-link endpoints: only they are rate-limited.</summary>
public sealed class AnswerByLinkRateLimited;

internal static class AnswerRateLimit
{
    /// <summary>
    /// A global limiter that limits only the endpoints marked <see cref="AnswerByLinkRateLimited"/>: chained, by client
    /// address and by link, so neither many links from one client nor one link from many clients gets through.
    /// </summary>
    public static IServiceCollection AddAnswerRateLimit(this IServiceCollection services)
    {
        services.AddOptions<AnswerRateLimitOptions>().BindConfiguration(AnswerRateLimitOptions.Section)
            .Validate(o => o.PerClientPerMinute > 0 && o.PerLinkPerMinute > 0, "Meetings:AnswerRateLimit: PerClientPerMinute and PerLinkPerMinute must be positive.")
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= 64 * 1024, "Meetings:AnswerRateLimit:MaxBodyBytes must be between 1024 and 65536.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AnswerRateLimitOptions>, ResponseLinkSigner>((o, limits, signer) =>
        {
            var (perClient, perLink) = (limits.Value.PerClientPerMinute, limits.Value.PerLinkPerMinute);
            o.OnRejected = RateLimitProblems.WriteAsync;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Limited(http)
                    ? RateLimitPartition.GetFixedWindowLimiter("client:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => PerMinute(perClient))
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Limited(http) && signer.Verify(http.Request.RouteValues["token"] as string) is { } claims
                    // Keyed by the link id, not the token: the limiter's keys hold no secret.
                    ? RateLimitPartition.GetFixedWindowLimiter("link:" + claims.LinkId.ToString("N"), _ => PerMinute(perLink))
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
        });
        return services;
    }

    private static bool Limited(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<AnswerByLinkRateLimited>() is not null;

    private static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };
}
