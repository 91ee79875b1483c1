using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Notifications.Apis;

/// <summary>
/// Delivery status for the manager's board: was each notice about an invitation (or a meeting) delivered, is it
/// still being tried, or did it fail and why. Team managers see their own team's meetings; administrators all.
/// </summary>
public static class DeliveriesApi
{
    public const string BoardReaders = "NotificationsBoardReaders";

    public static IServiceCollection AddDeliveriesApi(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(BoardReaders, p => p.RequireRole(JtaiRoles.TeamManager, JtaiRoles.Administrator));
        return services;
    }

    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Deliveries").RequireAuthorization(BoardReaders);
        group.MapGet("/invitations/{invitationId:guid}/deliveries", ForInvitation).WithName("GetInvitationDeliveries");
        group.MapGet("/meetings/{meetingId:guid}/deliveries", ForMeeting).WithName("GetMeetingDeliveries");
        return app;
    }

    public static async Task<Results<Ok<InvitationDeliveries>, ProblemHttpResult, ForbidHttpResult>> ForInvitation(
        Guid invitationId, ClaimsPrincipal user, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var deliveries = await db.Deliveries.AsNoTracking()
            .Where(d => d.InvitationId == invitationId)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            .ToListAsync(cancellationToken);
        if (deliveries.Count == 0)
        {
            return NotFound($"No notice about invitation {invitationId} has been handled by this service.");
        }

        if (!MayRead(user, deliveries))
        {
            return TypedResults.Forbid();
        }

        var first = deliveries[0];
        return TypedResults.Ok(new InvitationDeliveries(invitationId, first.MeetingId, first.MeetingReference, deliveries.Select(DeliveryView.From).ToList()));
    }

    public static async Task<Results<Ok<MeetingDeliveries>, ProblemHttpResult, ForbidHttpResult>> ForMeeting(
        Guid meetingId, ClaimsPrincipal user, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var deliveries = await db.Deliveries.AsNoTracking()
            .Where(d => d.MeetingId == meetingId)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            .ToListAsync(cancellationToken);
        if (deliveries.Count == 0)
        {
            return NotFound($"No notice about meeting {meetingId} has been handled by this service.");
        }

        if (!MayRead(user, deliveries))
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(new MeetingDeliveries(meetingId, deliveries[0].MeetingReference, deliveries.Select(DeliveryView.From).ToList()));
    }

    /// <summary>Administrators read everything; a team manager only meetings of their own team (known from the invitation).</summary>
    private static bool MayRead(ClaimsPrincipal user, IReadOnlyList<DeliveryRecord> deliveries)
    {
        if (user.IsInRole(JtaiRoles.Administrator))
        {
            return true;
        }

        var team = user.TeamCode();
        var teams = deliveries.Select(d => d.TeamCode).Where(t => t is not null).Distinct().ToList();
        return team is not null && teams.Count > 0 && teams.All(t => string.Equals(t, team, StringComparison.OrdinalIgnoreCase));
    }

    private static ProblemHttpResult NotFound(string detail) => Problems.NotFound("No deliveries", detail);
}

public sealed record InvitationDeliveries(Guid InvitationId, Guid MeetingId, string MeetingReference, IReadOnlyList<DeliveryView> Deliveries);

public sealed record MeetingDeliveries(Guid MeetingId, string MeetingReference, IReadOnlyList<DeliveryView> Deliveries);

/// <summary>One notice's delivery, as the board shows it. No content and no address: those are not the board's business.</summary>
public sealed record DeliveryView(
    Guid Id,
    string Kind,
    Guid? InvitationId,
    string? AgencyCode,
    string RecipientName,
    string Channel,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? FailedAt,
    string? FailureReason,
    string? LastError,
    Guid SourceMessageId)
{
    public static DeliveryView From(DeliveryRecord d) => new(
        d.Id, d.Kind, d.InvitationId, d.AgencyCode, d.RecipientName, d.Channel, d.Status, d.Attempts, d.CreatedAt, d.LastAttemptAt,
        d.Status is DeliveryStatus.Pending or DeliveryStatus.Sending ? d.NextAttemptAt : null,
        d.SentAt, d.FailedAt, d.FailureReason, d.Status is DeliveryStatus.Pending or DeliveryStatus.Sending ? d.LastError : null, d.SourceMessageId);
}
