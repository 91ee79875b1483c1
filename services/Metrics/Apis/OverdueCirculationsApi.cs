using System.Globalization;
using System.Security.Claims;
using System.Text;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.BuildingBlocks.Text;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jtai.Strategy.Metrics.Apis;

/// <summary>One page of the open overdue circulations, as of <see cref="AsOf"/>.</summary>
public sealed record OverdueCirculationsPage(DateTimeOffset AsOf, IReadOnlyList<OverdueCirculation> Items, bool HasMore, string? NextCursor);

/// <summary>Query string of the overdue list: an optional team, a page size (1-200, default 50) and the cursor of the previous page.</summary>
public sealed record OverdueCirculationsRequest(string? Team, int? PageSize, string? Cursor)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public (string? Team, int PageSize, OverdueCursor? After)? Validate(ValidationErrors errors)
    {
        errors.MaxLength("team", Team, 50)
            .When(PageSize is < 1 or > MaxPageSize, "pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        var after = (OverdueCursor?)null;
        if (!string.IsNullOrWhiteSpace(Cursor))
        {
            after = OverdueCursor.TryParse(Cursor.Trim());
            errors.When(after is null, "cursor", "cursor is not one this endpoint returned; start again without it.");
        }

        return errors.Any ? null : (string.IsNullOrWhiteSpace(Team) ? null : Team.Trim(), PageSize ?? DefaultPageSize, after);
    }
}

/// <summary>
/// Where a page ended: the last item's deadline and reference, the list's sort key. Opaque to clients (base64url);
/// a deadline rather than "hours overdue", so the next page follows on however much time passed in between.
/// </summary>
public sealed record OverdueCursor(DateTimeOffset Deadline, string MeetingReference)
{
    public static OverdueCursor Of(OverdueCirculation item) => new(item.Deadline, item.MeetingReference);

    public bool Precedes(OverdueCirculation item) =>
        item.Deadline > Deadline || (item.Deadline == Deadline && string.CompareOrdinal(item.MeetingReference, MeetingReference) > 0);

    public override string ToString() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Deadline.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{MeetingReference}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static OverdueCursor? TryParse(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            var parts = text.Split('|', 2);
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks && parts[1].Length > 0
                ? new OverdueCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// Which meetings are overdue, not only how many: the MASDG (and administrators) see every team's; a team manager sees
/// their own team's only, the one in their token, as they chase their own circulations.
/// </summary>
public static class OverdueCirculationsApi
{
    private static readonly string[] CsvHeader = ["meeting_reference", "team_code", "deadline", "hours_overdue", "notices_sent"];

    public static IEndpointRouteBuilder MapOverdueCirculationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/metrics").WithTags("Metrics")
            .RequireAuthorization(p => p.RequireRole(JtaiRoles.Masdg, JtaiRoles.Administrator, JtaiRoles.TeamManager));
        api.MapGet("/overdue-circulations", GetOverdueCirculations);
        api.MapGet("/overdue-circulations.csv", ExportOverdueCirculations);
        return app;
    }

    public static async Task<Results<Ok<OverdueCirculationsPage>, ValidationProblem, ForbidHttpResult>> GetOverdueCirculations(
        [AsParameters] OverdueCirculationsRequest request, ClaimsPrincipal user, OversightQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Validate(errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!TryScope(user, query.Team, out var team))
        {
            return TypedResults.Forbid();
        }

        var now = clock.GetUtcNow();
        var rest = (await queries.OverdueCirculationsAsync(now, team, cancellationToken)).Where(o => query.After?.Precedes(o) ?? true).ToList();
        var page = rest.Take(query.PageSize).ToList();
        var hasMore = rest.Count > page.Count;
        return TypedResults.Ok(new OverdueCirculationsPage(now, page, hasMore, hasMore ? OverdueCursor.Of(page[^1]).ToString() : null));
    }

    /// <summary>Every open overdue circulation in scope (no paging: an export is the whole list).</summary>
    public static async Task<Results<FileContentHttpResult, ValidationProblem, ForbidHttpResult>> ExportOverdueCirculations(
        string? team, ClaimsPrincipal user, OversightQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.MaxLength("team", team, 50);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!TryScope(user, string.IsNullOrWhiteSpace(team) ? null : team.Trim(), out var scoped))
        {
            return TypedResults.Forbid();
        }

        var now = clock.GetUtcNow();
        var csv = new CsvWriter(CsvHeader);
        foreach (var o in await queries.OverdueCirculationsAsync(now, scoped, cancellationToken))
        {
            csv.Row(o.MeetingReference, o.TeamCode, o.Deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                o.HoursOverdue.ToString("0.0", CultureInfo.InvariantCulture), o.NoticesSent.ToString(CultureInfo.InvariantCulture));
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), CsvWriter.ContentType, $"overdue-circulations-{now.UtcDateTime:yyyy-MM-dd}.csv");
    }

    /// <summary>The MASDG and administrators may ask for any team or all; a team manager gets their own team, and only it.</summary>
    private static bool TryScope(ClaimsPrincipal user, string? requested, out string? team)
    {
        if (user.IsInRole(JtaiRoles.Masdg) || user.IsInRole(JtaiRoles.Administrator))
        {
            team = requested;
            return true;
        }

        team = user.TeamCode();
        return team is not null && (requested is null || string.Equals(requested, team, StringComparison.OrdinalIgnoreCase));
    }
}
