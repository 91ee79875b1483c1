using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.SpocDirectory.Apis;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.SpocDirectory.Tests;

/// <summary>
/// The agencies and an agency's SPOCs page on the real database: each row exactly once in the stated order, the paging
/// in headers beside the unchanged array, a row added between two pages found on a later one, a bad cursor or size a
/// 400. (Its own fixture, so the agencies are the seeded ones and this class's.)
/// </summary>
public sealed class DirectoryPagingTests(DirectoryFixture fixture) : IClassFixture<DirectoryFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly HttpClient admin = fixture.Host.ClientAs(JtaiRoles.Administrator);

    [Fact]
    public async Task The_agencies_page_by_code_each_once_and_one_registered_between_pages_is_on_a_later_page()
    {
        var whole = (await admin.GetFromJsonAsync<List<AgencySnapshot>>("/api/agencies", Json))!;
        var pages = await ReadAllAsync<AgencySnapshot>(admin, "/api/agencies", 4, AgenciesApi.AgenciesOrder);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(4, p.Count));
        var paged = pages.SelectMany(p => p).Select(a => a.Code).ToList();
        Assert.Equal(whole.Select(a => a.Code), paged);
        Assert.Equal(paged.Distinct().Count(), paged.Count);
        Assert.True(paged.Count >= 14);

        // After the first page is read, an agency whose code sorts after it is registered: it comes on a later page, once.
        var first = await admin.GetAsync("/api/agencies?pageSize=4");
        var cursor = first.Headers.GetValues(KeysetPaging.NextCursorHeader).Single();
        var firstPage = (await first.Content.ReadFromJsonAsync<List<AgencySnapshot>>(Json))!;
        var code = "ZZ-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/agencies", new { code, name = "Late agency", kind = "Other" })).StatusCode);
        var rest = await ReadAllAsync<AgencySnapshot>(admin, $"/api/agencies?cursor={cursor}", 4, AgenciesApi.AgenciesOrder);
        Assert.Single(rest.SelectMany(p => p), a => a.Code == code);
        Assert.DoesNotContain(rest.SelectMany(p => p), a => firstPage.Any(f => f.Code == a.Code));

        // A SPOC still sees its own agency only, stated as one page with nothing more.
        var police = fixture.Host.ClientAs(JtaiRoles.Spoc, agency: "DURHAM-POLICE");
        var own = await police.GetAsync("/api/agencies?pageSize=1");
        Assert.Equal("DURHAM-POLICE", Assert.Single((await own.Content.ReadFromJsonAsync<List<AgencySnapshot>>(Json))!).Code);
        Assert.Equal("false", own.Headers.GetValues(KeysetPaging.HasMoreHeader).Single());
    }

    [Fact]
    public async Task An_agencys_spocs_page_by_area_then_rank_with_the_agency_wide_last()
    {
        var code = "T-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/agencies", new { code, name = "Paged agency", kind = "Health" })).StatusCode);
        // Two areas and agency-wide, ranks 0-2 in each: nine SPOCs, read three at a time, then two at a time.
        foreach (var area in new string?[] { "Seaham", null, "Easington" })
        {
            for (var rank = 2; rank >= 0; rank--)
            {
                var name = $"{area ?? "Wide"} {rank}";
                var response = await admin.PostAsJsonAsync($"/api/agencies/{code}/spocs", new { fullName = name, secureEmail = $"{name.Replace(' ', '.').ToLowerInvariant()}@nhs.example", area, rank });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
        }

        string[] expected = ["Easington 0", "Easington 1", "Easington 2", "Seaham 0", "Seaham 1", "Seaham 2", "Wide 0", "Wide 1", "Wide 2"];
        foreach (var size in new[] { 3, 2, 1 })
        {
            var pages = await ReadAllAsync<SpocSnapshot>(admin, $"/api/agencies/{code}/spocs", size, SpocsApi.SpocsOrder);
            Assert.Equal(expected, pages.SelectMany(p => p).Select(s => s.FullName));
        }

        Assert.Equal(expected, (await admin.GetFromJsonAsync<List<SpocSnapshot>>($"/api/agencies/{code}/spocs", Json))!.Select(s => s.FullName));
    }

    [Theory]
    [InlineData("/api/agencies?pageSize=0", "pageSize")]
    [InlineData("/api/agencies?pageSize=201", "pageSize")]
    [InlineData("/api/agencies?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/agencies/DURHAM-POLICE/spocs?cursor=WyJBIl0", "cursor")]
    [InlineData("/api/agencies/DURHAM-POLICE/spocs?cursor=WyJBIiwieCIsInkiXQ", "cursor")]
    public async Task A_bad_page_size_or_cursor_is_a_400_naming_it(string path, string field)
    {
        var response = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<List<List<T>>> ReadAllAsync<T>(HttpClient client, string path, int pageSize, string sortOrder) =>
        PagedLists.ReadAllAsync<T>(client, path, pageSize, sortOrder, Json);
}
