using System.Globalization;
using System.Security.Claims;
using System.Text;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Notifications.Apis;

/// <summary>
/// The notices this service sent a team's managers (circulation warnings and overdue notices, no recipient left, below
/// the national minimum, record due), for a manager of that team: one row per notice, however many managers it went
/// to, with how its deliveries stand. Read-only; the team is the token's <c>team</c> claim, never a parameter.
/// </summary>
public static class ManagerNoticesApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The stated order: newest first, then by notice id (descending), so paging is stable.</summary>
    public const string Order = "createdAt desc, noticeId desc";

    public static IEndpointRouteBuilder MapManagerNoticesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/manager-notices").WithTags("Manager notices").RequireAuthorization(JtaiPolicies.TeamManager)
            .MapGet("/", ListNotices).WithName("GetManagerNotices");
        return app;
    }

    public static async Task<Results<Ok<ManagerNoticesPage>, ValidationProblem, ForbidHttpResult>> ListNotices(
        int? pageSize, string? cursor, ClaimsPrincipal user, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var team = user.TeamCode();
        if (string.IsNullOrEmpty(team))
        {
            return TypedResults.Forbid();
        }

        var errors = new ValidationErrors().When(pageSize is < 1 or > MaxPageSize, "pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        var after = string.IsNullOrWhiteSpace(cursor) ? null : NoticeCursor.TryParse(cursor.Trim());
        errors.When(!string.IsNullOrWhiteSpace(cursor) && after is null, "cursor", "cursor is not one this endpoint returned; start again without it.");
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var size = pageSize ?? DefaultPageSize;
        var kinds = ManagerNoticeKinds.All.ToList();
        // Anonymous rows until the page is read: EF translates members of those, not of a record's constructor.
        var notices = db.Deliveries.AsNoTracking()
            .Where(d => d.TeamCode == team && kinds.Contains(d.Kind))
            .GroupBy(d => new { d.SourceMessageId, d.Kind, d.MeetingId, d.MeetingReference, d.AgencyCode })
            .Select(g => new
            {
                g.Key.SourceMessageId, g.Key.Kind, g.Key.MeetingId, g.Key.MeetingReference, g.Key.AgencyCode,
                CreatedAt = g.Min(d => d.CreatedAt),
                Recipients = g.Count(),
                Sent = g.Count(d => d.Status == DeliveryStatus.Sent),
                Failed = g.Count(d => d.Status == DeliveryStatus.Failed),
            });
        if (after is not null)
        {
            notices = notices.Where(n => n.CreatedAt < after.CreatedAt || (n.CreatedAt == after.CreatedAt && n.SourceMessageId.CompareTo(after.NoticeId) < 0));
        }

        var read = (await notices.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.SourceMessageId).Take(size + 1).ToListAsync(cancellationToken))
            .Select(n => new ManagerNotice(n.SourceMessageId, n.Kind, n.MeetingId, n.MeetingReference, n.AgencyCode, n.CreatedAt, n.Recipients, n.Sent, n.Failed))
            .ToList();
        var hasMore = read.Count > size;
        var page = read.Take(size).ToList();
        return TypedResults.Ok(new ManagerNoticesPage(page, hasMore, hasMore ? new NoticeCursor(page[^1].CreatedAt, page[^1].NoticeId).ToString() : null, Order));
    }
}

/// <summary>One notice to a team's managers: what, about which meeting (and agency, for "no recipient left"), when, and how many of its deliveries were sent or failed.</summary>
public sealed record ManagerNotice(Guid NoticeId, string Kind, Guid MeetingId, string MeetingReference, string? AgencyCode, DateTimeOffset CreatedAt, int Recipients, int Sent, int Failed);

public sealed record ManagerNoticesPage(IReadOnlyList<ManagerNotice> Items, bool HasMore, string? NextCursor, string Order);

/// <summary>Where a page of notices ended (its last notice's time and id); opaque to clients (base64url).</summary>
public sealed record NoticeCursor(DateTimeOffset CreatedAt, Guid NoticeId)
{
    public override string ToString() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{NoticeId:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static NoticeCursor? TryParse(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='))).Split('|', 2);
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(parts[1], "N", out var id)
                ? new NoticeCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
