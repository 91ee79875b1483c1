using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Http;
using Xunit;

namespace Jtai.Strategy.Testing;

/// <summary>Reads a keyset-paged list to its end the way a client does, checking the paging headers of every page.</summary>
public static class PagedLists
{
    /// <summary>
    /// Every page of <paramref name="path"/> (which may start from a cursor of its own), following X-Next-Cursor: each
    /// page answers 200 and states <paramref name="sortOrder"/>, and a page with more after it is full and links the next.
    /// </summary>
    public static async Task<List<List<T>>> ReadAllAsync<T>(HttpClient client, string path, int pageSize, string sortOrder, JsonSerializerOptions json)
    {
        // Later pages keep the path's other parameters and replace its cursor.
        var parts = path.Split('?', 2);
        var kept = parts.Length == 2 ? parts[1].Split('&').Where(p => !p.StartsWith("cursor=", StringComparison.Ordinal)).ToList() : [];
        var pages = new List<List<T>>();
        string? cursor = null;
        do
        {
            var url = cursor is null
                ? $"{path}{(parts.Length == 2 ? '&' : '?')}pageSize={pageSize}"
                : $"{parts[0]}?{string.Join('&', kept.Append($"pageSize={pageSize}").Append($"cursor={cursor}"))}";
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var page = (await response.Content.ReadFromJsonAsync<List<T>>(json))!;
            Assert.Equal(sortOrder, response.Headers.GetValues(KeysetPaging.SortOrderHeader).Single());
            var hasMore = bool.Parse(response.Headers.GetValues(KeysetPaging.HasMoreHeader).Single());
            cursor = response.Headers.TryGetValues(KeysetPaging.NextCursorHeader, out var next) ? next.Single() : null;
            Assert.Equal(hasMore, cursor is not null);
            if (hasMore)
            {
                Assert.Equal(pageSize, page.Count);
                Assert.Contains($"cursor={cursor}", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
            }

            pages.Add(page);
        }
        while (cursor is not null);

        return pages;
    }
}
