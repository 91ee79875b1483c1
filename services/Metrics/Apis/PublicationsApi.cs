using System.Security.Claims;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Publishing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Metrics.Apis;

public sealed record PublicationSummary(Guid PublicationId, string PeriodKind, DateOnly PeriodStart, DateOnly PeriodEnd, string Trigger, DateTimeOffset PublishedAt, string? RequestedBy);

public static class PublicationsApi
{
    public static IEndpointRouteBuilder MapPublicationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/metrics/publications").WithTags("Publications").RequireAuthorization(JtaiPolicies.Masdg);
        api.MapGet("/", ListPublications);
        api.MapGet("/{publicationId:guid}", GetPublication);
        api.MapPost("/", Publish);
        return app;
    }

    /// <summary>The latest publications, newest first.</summary>
    public static async Task<Ok<List<PublicationSummary>>> ListPublications(MetricsDbContext db, CancellationToken cancellationToken, int take = 50) =>
        TypedResults.Ok(await db.Publications.AsNoTracking()
            .OrderByDescending(p => p.PublishedAt).ThenBy(p => p.PublicationId)
            .Take(Math.Clamp(take, 1, 500))
            .Select(p => new PublicationSummary(p.PublicationId, p.PeriodKind, p.PeriodStart, p.PeriodEnd, p.Trigger, p.PublishedAt, p.RequestedBy))
            .ToListAsync(cancellationToken));

    /// <summary>A publication exactly as it was sent to the action-plan tracker.</summary>
    public static async Task<Results<Ok<AttendanceMetricsPublished>, NotFound>> GetPublication(Guid publicationId, MetricsDbContext db, CancellationToken cancellationToken)
    {
        var body = await db.Publications.AsNoTracking().Where(p => p.PublicationId == publicationId).Select(p => p.Body).SingleOrDefaultAsync(cancellationToken);
        return body is null ? TypedResults.NotFound() : TypedResults.Ok(JsonSerializer.Deserialize<AttendanceMetricsPublished>(body, JsonSerializerOptions.Web)!);
    }

    /// <summary>Publishes a period's metrics now (on demand), through the outbox.</summary>
    public static async Task<Results<Created<AttendanceMetricsPublished>, ValidationProblem>> Publish(
        PublishRequest request, ClaimsPrincipal user, MetricsDbContext db, Publisher publisher, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var period = MetricsRequests.ReadPeriod(request.Period, request.From, request.To, errors);
        if (period is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var message = await publisher.PublishAsync(db, period, Publication.OnDemand, user.SubjectId(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/metrics/publications/{message.PublicationId}", message);
    }
}
