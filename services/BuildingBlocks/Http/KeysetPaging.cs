using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Jtai.Strategy.BuildingBlocks.Http;

/// <summary>
/// Keyset paging for lists ordered by text keys (an agency's or a team's code; a SPOC's area, rank and id): the page
/// size and an opaque cursor (base64url of the last row's key parts), the body the JSON array it always was, the paging
/// in the same headers as the meetings service's lists: <c>X-Has-More</c>, <c>X-Next-Cursor</c> (when more exist),
/// <c>X-Sort-Order</c>, and a <c>Link</c> with <c>rel="next"</c>. A row added between two calls neither shifts nor
/// repeats the rows after the cursor.
/// </summary>
public sealed record KeysetPaging(int PageSize, IReadOnlyList<string?>? After)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public const string HasMoreHeader = "X-Has-More";
    public const string NextCursorHeader = "X-Next-Cursor";
    public const string SortOrderHeader = "X-Sort-Order";

    /// <summary>The paging asked for, or null with the errors (pageSize out of 1–200; a cursor of the wrong shape) added.</summary>
    /// <param name="keyParts">How many parts this list's key has: a cursor of another list is refused.</param>
    public static KeysetPaging? From(int? pageSize, string? cursor, int keyParts, ValidationErrors errors)
    {
        errors.When(pageSize is < 1 or > MaxPageSize, "pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        IReadOnlyList<string?>? after = null;
        if (!string.IsNullOrWhiteSpace(cursor))
        {
            after = Decode(cursor.Trim());
            errors.When(after is null || after.Count != keyParts, "cursor", "cursor is not one this endpoint returned; start again without it.");
        }

        return errors.Any ? null : new KeysetPaging(pageSize ?? DefaultPageSize, after);
    }

    /// <summary>Cuts the rows read (one more than the page size) to the page and states the paging in the response's headers.</summary>
    public List<T> Page<T>(List<T> readOneMore, Func<T, string?[]> keyOf, HttpContext http, string sortOrder) =>
        PageWithHeaders(readOneMore, PageSize, last => Encode(keyOf(last)), http, sortOrder);

    /// <summary>
    /// The one place the lists' paging is stated, whatever their cursor (this type's text keys, or the meetings
    /// service's time and id): cuts the rows read (one more than <paramref name="pageSize"/>, to know whether more exist)
    /// to the page and writes <c>X-Has-More</c>, <c>X-Sort-Order</c> and, when more exist, <c>X-Next-Cursor</c> and a
    /// <c>Link</c> with <c>rel="next"</c> (the request's query with the cursor replaced).
    /// </summary>
    public static List<T> PageWithHeaders<T>(List<T> readOneMore, int pageSize, Func<T, string> cursorAfter, HttpContext http, string sortOrder)
    {
        var hasMore = readOneMore.Count > pageSize;
        var page = hasMore ? readOneMore.Take(pageSize).ToList() : readOneMore;
        var headers = http.Response.Headers;
        headers[HasMoreHeader] = hasMore ? "true" : "false";
        headers[SortOrderHeader] = sortOrder;
        if (hasMore)
        {
            var next = cursorAfter(page[^1]);
            headers[NextCursorHeader] = next;
            var query = QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            query["cursor"] = next;
            headers.Link = $"<{QueryHelpers.AddQueryString(http.Request.Path, query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))))}>; rel=\"next\"";
        }

        return page;
    }

    public static string Encode(IReadOnlyList<string?> parts) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(parts)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static List<string?>? Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var json = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
            return JsonSerializer.Deserialize<List<string?>>(Encoding.UTF8.GetString(json));
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }
}
