using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Jtai.Strategy.BuildingBlocks.Resilience;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Http;

public static class ProblemDetailsExtensions
{
    /// <summary>Every error, ours or the framework's (401, 403, 404, bad JSON), as an RFC 9457 problem document with a trace id.</summary>
    public static IServiceCollection AddJtaiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // The path without a secret segment: a problem document may be logged or shown, the token must not travel on.
            context.ProblemDetails.Instance ??= SecretPaths.Redact(context.HttpContext.Request.Path.ToString());
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<ConflictExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        return services;
    }
}

/// <summary>Malformed JSON, a wrong content type or a missing body: 400 with the reason, never a 500.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                Detail = bad.InnerException?.Message ?? bad.Message,
            },
        });
    }
}

/// <summary>
/// Someone else changed the same record first (optimistic concurrency), or a uniqueness rule the
/// endpoint did not pre-check was hit in a race: 409, so the caller reloads and tries again.
/// </summary>
internal sealed class ConflictExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var detail = exception switch
        {
            DbUpdateConcurrencyException => "The record was changed by someone else since you read it. Reload it and try again.",
            DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } => "The change conflicts with an existing record.",
            _ => null,
        };
        if (detail is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status409Conflict, Title = "Conflicting change", Detail = detail },
        });
    }
}

/// <summary>
/// The database is unreachable (restart, failover, network): 503 with <c>Retry-After</c> (seconds, setting
/// <c>Http:RetryAfterSeconds</c>), so clients and proxies wait and try again instead of reporting a fault (500).
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problemDetails, IConfiguration configuration) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientFailures.IsDatabaseOutage(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        var retryAfter = configuration.GetValue("Http:RetryAfterSeconds", 30);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable",
                Detail = $"Its database cannot be reached just now, so the request was not completed. Try again in {retryAfter} seconds.",
            },
        });
    }
}
