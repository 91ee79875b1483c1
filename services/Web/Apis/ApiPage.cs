namespace Jtai.Strategy.Web.Apis;

/// <summary>
/// One page of a paged list: the rows, and the cursor of the next page when the API said more exist (its
/// <c>X-Has-More</c> and <c>X-Next-Cursor</c> headers; the body is the array of rows).
/// </summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    public static async Task<ApiResult<ApiPage<T>>> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            return new ApiResult<ApiPage<T>>(null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        var items = await response.Content.ReadFromJsonAsync<List<T>>(ApiJson.Options, cancellationToken) ?? [];
        var hasMore = response.Headers.TryGetValues("X-Has-More", out var more) && more.Contains("true", StringComparer.OrdinalIgnoreCase);
        var next = hasMore && response.Headers.TryGetValues("X-Next-Cursor", out var cursors) ? cursors.FirstOrDefault() : null;
        return new ApiResult<ApiPage<T>>(new ApiPage<T>(items, next), null);
    }
}
