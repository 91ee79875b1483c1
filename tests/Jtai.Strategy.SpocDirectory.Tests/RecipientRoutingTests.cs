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
}
