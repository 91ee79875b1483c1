using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.SpocDirectory.Tests;

/// <summary>The published rule "who receives for agency X, area Y, at T" — shared by the directory and every replica.</summary>
public sealed class RecipientRoutingTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static SpocSnapshot Spoc(string name, int rank, string? area = null, bool active = true, params CoverPeriod[] covers) =>
        new(Guid.NewGuid(), "DURHAM-POLICE", area, name, rank, $"{name.ToLowerInvariant()}@police.example", null, active, covers, 1);

    private static CoverPeriod Cover(DateTimeOffset from, DateTimeOffset to) => new(Guid.NewGuid(), from, to, "annual leave");

    [Fact]
    public void The_primary_receives_when_available()
    {
        var primary = Spoc("Primary", 0);
        var routed = RecipientRouting.Resolve([Spoc("Deputy", 1), primary], null, Monday);

        Assert.Equal(primary, routed!.Spoc);
        Assert.Equal(RecipientReason.Primary, routed.Reason);
        Assert.Empty(routed.Unavailable);
    }

    [Fact]
    public void The_first_deputy_not_on_cover_receives_while_those_above_are_away()
    {
        var primary = Spoc("Primary", 0, covers: Cover(Monday.AddDays(-1), Monday.AddDays(5)));
        var first = Spoc("First", 1, covers: Cover(Monday, Monday.AddHours(1)));
        var second = Spoc("Second", 2);

        var routed = RecipientRouting.Resolve([second, first, primary], null, Monday);

        Assert.Equal(second, routed!.Spoc);
        Assert.Equal(RecipientReason.DeputyCoveringAbsence, routed.Reason);
        Assert.Equal([primary, first], routed.Unavailable);
    }

    [Theory]
    [InlineData(-1, true)] // a minute before cover starts: still the primary
    [InlineData(0, false)] // cover start is inclusive
    [InlineData(59, false)]
    [InlineData(60, true)] // cover end is exclusive
    public void Cover_starts_inclusive_and_ends_exclusive(int minutesAfterCoverStart, bool primaryReceives)
    {
        var primary = Spoc("Primary", 0, covers: Cover(Monday, Monday.AddHours(1)));
        var deputy = Spoc("Deputy", 1);

        var routed = RecipientRouting.Resolve([primary, deputy], null, Monday.AddMinutes(minutesAfterCoverStart));

        Assert.Equal(primaryReceives ? primary : deputy, routed!.Spoc);
    }

    [Fact]
    public void Area_specific_spocs_take_precedence_and_agency_wide_ones_are_the_fallback()
    {
        var countyWide = Spoc("County", 0);
        var easington = Spoc("Easington", 0, "Easington");

        Assert.Equal(easington, RecipientRouting.Resolve([countyWide, easington], "easington", Monday)!.Spoc);
        Assert.Equal(countyWide, RecipientRouting.Resolve([countyWide, easington], "Durham City", Monday)!.Spoc);
        Assert.Equal(countyWide, RecipientRouting.Resolve([countyWide, easington], null, Monday)!.Spoc);
    }

    [Fact]
    public void Retired_spocs_never_receive_and_all_on_cover_means_nobody()
    {
        var retired = Spoc("Retired", 0, active: false);
        var away = Spoc("Away", 1, covers: Cover(Monday.AddDays(-1), Monday.AddDays(1)));

        Assert.Null(RecipientRouting.Resolve([retired, away], null, Monday));
        Assert.Equal([away], RecipientRouting.Chain([retired, away], null));
    }

    private static readonly CoverPeriod[] Away = [Cover(Monday.AddDays(-1), Monday.AddDays(1))];

    [Fact]
    public void Without_an_area_the_agency_wide_spocs_receive_and_area_ones_never()
    {
        var easington = Spoc("Easington", 0, "Easington");
        var county = Spoc("County", 0);
        var countyDeputy = Spoc("CountyDeputy", 1);

        var routed = RecipientRouting.Resolve([easington, countyDeputy, county], null, Monday);

        Assert.Equal((county, RecipientReason.Primary), (routed!.Spoc, routed.Reason));
        Assert.Equal([county, countyDeputy], RecipientRouting.Chain([easington, countyDeputy, county], null));
    }

    [Fact]
    public void An_available_area_spoc_receives_and_the_agency_wide_ones_follow_in_the_chain()
    {
        var county = Spoc("County", 0);
        var areaDeputy = Spoc("EasingtonDeputy", 1, "Easington");
        var areaPrimary = Spoc("Easington", 0, "Easington", covers: Away);

        var routed = RecipientRouting.Resolve([county, areaDeputy, areaPrimary], "Easington", Monday);

        Assert.Equal((areaDeputy, RecipientReason.DeputyCoveringAbsence), (routed!.Spoc, routed.Reason));
        Assert.Equal([areaPrimary], routed.Unavailable);
        Assert.Equal([areaPrimary, areaDeputy, county], RecipientRouting.Chain([county, areaDeputy, areaPrimary], "easington"));
    }

    [Fact]
    public void Area_spocs_all_on_cover_fall_back_to_the_agency_wide_spocs_in_rank_order()
    {
        var areaPrimary = Spoc("Easington", 0, "Easington", covers: Away);
        var areaDeputy = Spoc("EasingtonDeputy", 1, "Easington", covers: Away);
        var county = Spoc("County", 0, covers: Away);
        var countyDeputy = Spoc("CountyDeputy", 1);

        var routed = RecipientRouting.Resolve([countyDeputy, county, areaDeputy, areaPrimary], "Easington", Monday);

        Assert.Equal(countyDeputy, routed!.Spoc);
        Assert.Equal(RecipientReason.AgencyWideCoveringArea, routed.Reason);
        Assert.Equal([areaPrimary, areaDeputy, county], routed.Unavailable);

        // Their primary back from cover a week later: the area's own SPOC receives again.
        var later = RecipientRouting.Resolve([countyDeputy, county, areaDeputy, areaPrimary], "Easington", Monday.AddDays(7));
        Assert.Equal((areaPrimary, RecipientReason.Primary), (later!.Spoc, later.Reason));
    }

    [Fact]
    public void Area_spocs_all_retired_leave_the_agency_wide_spocs_as_the_chain()
    {
        var retiredPrimary = Spoc("Easington", 0, "Easington", active: false);
        var retiredDeputy = Spoc("EasingtonDeputy", 1, "Easington", active: false);
        var county = Spoc("County", 0);

        var routed = RecipientRouting.Resolve([retiredPrimary, retiredDeputy, county], "Easington", Monday);

        // Retired SPOCs are not in the directory's chain at all: the area simply has none of its own now.
        Assert.Equal((county, RecipientReason.Primary), (routed!.Spoc, routed.Reason));
        Assert.Empty(routed.Unavailable);
        Assert.Equal([county], RecipientRouting.Chain([retiredPrimary, retiredDeputy, county], "Easington"));
    }

    [Fact]
    public void Nobody_in_the_area_or_agency_wide_available_means_no_recipient()
    {
        var areaPrimary = Spoc("Easington", 0, "Easington", covers: Away);
        var retiredCounty = Spoc("RetiredCounty", 0, active: false);
        var countyAway = Spoc("County", 1, covers: Away);

        Assert.Null(RecipientRouting.Resolve([areaPrimary, retiredCounty, countyAway], "Easington", Monday));
        Assert.Null(RecipientRouting.Resolve([], "Easington", Monday));
    }

    [Fact]
    public void A_chase_escalates_down_the_same_chain_area_first_then_agency_wide_never_back_up()
    {
        var areaPrimary = Spoc("Easington", 0, "Easington");
        var areaDeputy = Spoc("EasingtonDeputy", 1, "Easington", covers: Away);
        var county = Spoc("County", 0);
        var countyDeputy = Spoc("CountyDeputy", 1);
        SpocSnapshot[] spocs = [countyDeputy, county, areaDeputy, areaPrimary];

        // The area primary did not answer; the area deputy is away, so the agency-wide primary is next.
        Assert.Equal(county, RecipientRouting.NextAfter(spocs, "Easington", areaPrimary.SpocId, new HashSet<Guid> { areaPrimary.SpocId }, Monday));
        Assert.Equal(countyDeputy, RecipientRouting.NextAfter(spocs, "Easington", county.SpocId, new HashSet<Guid> { areaPrimary.SpocId, county.SpocId }, Monday));
        Assert.Null(RecipientRouting.NextAfter(spocs, "Easington", countyDeputy.SpocId, new HashSet<Guid> { areaPrimary.SpocId, county.SpocId, countyDeputy.SpocId }, Monday));

        // A recipient retired since: the chain from the top, except whoever already had it.
        Assert.Equal(county, RecipientRouting.NextAfter(spocs, "Easington", Guid.NewGuid(), new HashSet<Guid> { areaPrimary.SpocId }, Monday));
    }
}
