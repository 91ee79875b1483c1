using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Jtai.Strategy.Web;

/// <summary>
/// Where a reader is in a paged list. The APIs page forward only (a cursor per page), so the way back travels in the
/// page's own address: <c>trail</c> holds the cursors of the pages before ("-" for the first), and "Previous" pops the
/// last one. <c>pageSize</c> passes through to the API (it bounds it, 1 to 200); without it the API's default applies.
/// </summary>
public sealed record PageTrail(string? Cursor, IReadOnlyList<string> Trail, int? PageSize)
{
    private const string FirstPage = "-";

    public static PageTrail From(HttpRequest request)
    {
        var query = request.Query;
        var cursor = query["cursor"].ToString();
        var trail = query["trail"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var pageSize = int.TryParse(query["pageSize"], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : (int?)null;
        return new PageTrail(string.IsNullOrWhiteSpace(cursor) ? null : cursor.Trim(), trail, pageSize);
    }

    /// <summary>1 for the first page.</summary>
    public int Number => Trail.Count + 1;

    /// <summary>The API's query for this page: its page size and cursor, if any.</summary>
    public string ApiQuery(string path)
    {
        var query = new Dictionary<string, string?>();
        if (PageSize is { } size)
        {
            query["pageSize"] = size.ToString(CultureInfo.InvariantCulture);
        }

        if (Cursor is { } cursor)
        {
            query["cursor"] = cursor;
        }

        return QueryHelpers.AddQueryString(path, query);
    }

    /// <summary>The address of the page after this one, when the API said more exist.</summary>
    public string? NextHref(string path, string? nextCursor) =>
        nextCursor is null ? null : Href(path, nextCursor, [.. Trail, Cursor ?? FirstPage]);

    /// <summary>The address of the page before this one (none on the first).</summary>
    public string? PreviousHref(string path)
    {
        if (Trail.Count == 0)
        {
            return null;
        }

        var previous = Trail[^1];
        return Href(path, previous == FirstPage ? null : previous, Trail.Take(Trail.Count - 1).ToList());
    }

    private string Href(string path, string? cursor, IReadOnlyList<string> trail)
    {
        var query = new Dictionary<string, string?>();
        if (cursor is not null)
        {
            query["cursor"] = cursor;
        }

        if (trail.Count > 0)
        {
            query["trail"] = string.Join(',', trail);
        }

        if (PageSize is { } size)
        {
            query["pageSize"] = size.ToString(CultureInfo.InvariantCulture);
        }

        return QueryHelpers.AddQueryString(path, query);
    }
}

/// <summary>What the pagination partial needs: the two links (either may be absent) and the page's number.</summary>
public sealed record Pagination(string? PreviousHref, string? NextHref, int Number, string Label);
