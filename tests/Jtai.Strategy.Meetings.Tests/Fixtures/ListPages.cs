using Jtai.Strategy.Meetings.Infrastructure;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Fixtures;

/// <summary>Reads a paged list to its end the way a client does, checking the paging headers of every page.</summary>
public static class ListPages
{
    /// <summary>Every page of <paramref name="path"/>, following X-Next-Cursor; each page states <paramref name="sortOrder"/>.</summary>
    public static async Task<List<List<T>>> ReadAllAsync<T>(HttpClient client, string path, int pageSize, string sortOrder = ListPaging.SortOrder)
    {
        var pages = new List<List<T>>();
        string? cursor = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var response = await client.GetAsync($"{path}{separator}pageSize={pageSize}" + (cursor is null ? "" : $"&cursor={cursor}"));
            var page = await ReadAsync<List<T>>(response);
            Assert.Equal(sortOrder, response.Headers.GetValues(ListPaging.SortOrderHeader).Single());
            var hasMore = bool.Parse(response.Headers.GetValues(ListPaging.HasMoreHeader).Single());
            cursor = response.Headers.TryGetValues(ListPaging.NextCursorHeader, out var next) ? next.Single() : null;
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

    /// <summary>PostgreSQL orders uuids byte by byte, which is the order of their lower-case text.</summary>
    public static string IdOrder(Guid id) => id.ToString();
}
