using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Fixtures;

/// <summary>Reads a paged list to its end the way a client does, checking the paging headers of every page.</summary>
public static class ListPages
{
    /// <summary>Every page of <paramref name="path"/>, following X-Next-Cursor; each page states <paramref name="sortOrder"/>.</summary>
    public static Task<List<List<T>>> ReadAllAsync<T>(HttpClient client, string path, int pageSize, string sortOrder = ListPaging.SortOrder) =>
        PagedLists.ReadAllAsync<T>(client, path, pageSize, sortOrder, Json);

    /// <summary>PostgreSQL orders uuids byte by byte, which is the order of their lower-case text.</summary>
    public static string IdOrder(Guid id) => id.ToString();
}
