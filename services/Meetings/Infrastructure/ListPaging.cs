using System.Globalization;
using System.Text;
using Jtai.Strategy.BuildingBlocks.Http;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>
/// Where a page of a list ended: the last row's sort key, a time and an id (a meeting's scheduled start, or a record's
/// latest circulation; keyset paging, so a row added between two calls neither shifts nor repeats the rows after the
/// cursor). Opaque to clients (base64url).
/// </summary>
public sealed record ListCursor(DateTimeOffset At, Guid Id)
{
    public override string ToString() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Id:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static ListCursor? TryParse(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            var parts = text.Split('|', 2);
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && Guid.TryParseExact(parts[1], "N", out var id)
                ? new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// The page size and cursor every list of this service takes. The body stays the JSON array it always was (callers
/// that read one page keep working); the paging travels in headers: <c>X-Has-More</c>, <c>X-Next-Cursor</c> (when more
/// exist), <c>X-Sort-Order</c>, and a <c>Link</c> with <c>rel="next"</c>.
/// </summary>
public sealed record ListPaging(int PageSize, ListCursor? After)
{
    public const int DefaultPageSize = KeysetPaging.DefaultPageSize;
    public const int MaxPageSize = KeysetPaging.MaxPageSize;

    public const string HasMoreHeader = KeysetPaging.HasMoreHeader;
    public const string NextCursorHeader = KeysetPaging.NextCursorHeader;
    public const string SortOrderHeader = KeysetPaging.SortOrderHeader;

    /// <summary>The stated order of the meetings and invitations lists: scheduled start, then id, both ascending.</summary>
    public const string SortOrder = "scheduledStart,id";

    /// <summary>The stated order of the circulated records: the latest circulation, newest first, then the meeting's id, descending.</summary>
    public const string LatestCirculationFirst = "latestCirculatedAt desc,meetingId desc";

    /// <summary>The stated order of the team's past meetings (<c>when=past</c>): scheduled start, latest first, then id, descending.</summary>
    public const string LatestStartFirst = "scheduledStart desc,id desc";

    /// <summary>The stated order of a team's decisions not to convene: when decided, latest first, then the id, descending.</summary>
    public const string LatestDecisionFirst = "decidedAt desc,id desc";

    public static ListPaging? From(int? pageSize, string? cursor, ValidationErrors errors)
    {
        errors.When(pageSize is < 1 or > MaxPageSize, "pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        var after = (ListCursor?)null;
        if (!string.IsNullOrWhiteSpace(cursor))
        {
            after = ListCursor.TryParse(cursor.Trim());
            errors.When(after is null, "cursor", "cursor is not one this endpoint returned; start again without it.");
        }

        return errors.Any ? null : new ListPaging(pageSize ?? DefaultPageSize, after);
    }

    /// <summary>
    /// Cuts the rows read (one more than the page size, to know whether more exist) to the page and states the paging in
    /// the response's headers, with the list's order (<see cref="SortOrder"/> unless it says otherwise).
    /// </summary>
    public List<T> Page<T>(List<T> readOneMore, Func<T, ListCursor> keyOf, HttpContext http, string sortOrder = SortOrder) =>
        KeysetPaging.PageWithHeaders(readOneMore, PageSize, last => keyOf(last).ToString(), http, sortOrder);
}
