using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>The suggestion rules, table-driven over case facts (pure: no database, no clock).</summary>
public sealed class InviteeSuggestionTests
{
    private static readonly AgencyEntry[] Durham =
    [
        new("DCC-CSC", "Children's Services", AgencyKind.SocialCare, true),
        new("DURHAM-POLICE", "Durham Constabulary", AgencyKind.Police, true),
        new("CDDFT", "CDDFT", AgencyKind.Health, true),
        new("CDDFT-MIDWIFERY", "CDDFT midwifery", AgencyKind.Health, true),
        new("HDFT", "HDFT 0-19", AgencyKind.Health, true),
        new("NTHFT", "NTHFT", AgencyKind.Health, true),
        new("GP", "GP practices", AgencyKind.Gp, true),
        new("NPS", "National Probation Service", AgencyKind.Probation, true),
        new("CRC", "Community Rehabilitation Company", AgencyKind.Probation, true),
        new("YOS", "Youth Offending Service", AgencyKind.YouthJustice, true),
        new("DCC-EDUCATION", "Education", AgencyKind.Education, true),
        new("TEWV", "TEWV", AgencyKind.MentalHealth, true),
        new("OLD-DA", "A closed domestic abuse service", AgencyKind.DomesticAbuse, false),
    ];

    /// <summary>Durham's configuration (appsettings.json): which agency plays each role.</summary>
    private static readonly Dictionary<string, string[]> DurhamRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SocialCare"] = ["DCC-CSC"],
        ["Health"] = ["CDDFT"],
        ["Police"] = ["DURHAM-POLICE"],
        ["Midwifery"] = ["CDDFT-MIDWIFERY"],
        ["ChildrensCommunityHealth"] = ["HDFT"],
        ["Education"] = ["DCC-EDUCATION"],
        ["Gp"] = ["GP"],
        ["YouthJustice"] = ["YOS"],
    };

    private const string Minimum = "CDDFT DCC-CSC DURHAM-POLICE";

    public static TheoryData<string, CaseFacts, string> Cases => new()
    {
        { "unborn child only: midwifery", Facts(ChildAgeBand.Unborn), Minimum + " CDDFT-MIDWIFERY" },
        { "toddler: health visiting", Facts(ChildAgeBand.UnderFive), Minimum + " HDFT" },
        { "toddler with an unborn sibling", Facts(ChildAgeBand.UnderFive) with { UnbornChild = true }, Minimum + " CDDFT-MIDWIFERY HDFT" },
        { "primary-school child: school and school nursing", Facts(ChildAgeBand.FiveToTen), Minimum + " DCC-EDUCATION HDFT" },
        { "teenager known to YOS", Facts(ChildAgeBand.ElevenToFifteen) with { KnownToYos = true }, Minimum + " DCC-EDUCATION HDFT YOS" },
        { "adult known to probation: every probation agency (none configured)", Facts(ChildAgeBand.SixteenToSeventeen) with { AdultKnownToProbation = true }, Minimum + " CRC DCC-EDUCATION HDFT NPS" },
        { "GP pilot team", Facts(ChildAgeBand.UnderFive) with { GpPilot = true }, Minimum + " GP HDFT" },
        { "referred by the mental health trust", Facts(ChildAgeBand.UnderFive) with { ReferrerAgencyCode = "tewv" }, Minimum + " HDFT TEWV" },
        { "referrer already invited is not doubled", Facts(ChildAgeBand.UnderFive) with { ReferrerAgencyCode = "DURHAM-POLICE" }, Minimum + " HDFT" },
        { "unknown referrer is ignored", Facts(ChildAgeBand.UnderFive) with { ReferrerAgencyCode = "NOPE" }, Minimum + " HDFT" },
        { "domestic abuse: only active specialist services", Facts(ChildAgeBand.Unborn) with { Concern = ConcernCategory.DomesticAbuse }, Minimum + " CDDFT-MIDWIFERY" },
        {
            "everything at once",
            new CaseFacts(ChildAgeBand.ElevenToFifteen, true, true, true, true, "TEWV", ConcernCategory.DomesticAbuse),
            Minimum + " CDDFT-MIDWIFERY CRC DCC-EDUCATION GP HDFT NPS TEWV YOS"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Suggestions_follow_the_case_facts(string situation, CaseFacts facts, string expected)
    {
        var suggested = InviteeSuggestions.Suggest(facts, Durham, DurhamRoles);

        Assert.True(expected.Split(' ').Order(StringComparer.Ordinal).SequenceEqual(suggested.Select(s => s.AgencyCode).Order(StringComparer.Ordinal)),
            $"{situation}: expected {expected}, got {string.Join(' ', suggested.Select(s => s.AgencyCode).Order(StringComparer.Ordinal))}");
        Assert.All(suggested, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.Equal(["CDDFT", "DCC-CSC", "DURHAM-POLICE"], suggested.Where(s => s.Minimum).Select(s => s.AgencyCode).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_configuration_a_role_takes_every_active_agency_of_its_kind()
    {
        var suggested = InviteeSuggestions.Suggest(Facts(ChildAgeBand.UnderFive), Durham, new Dictionary<string, string[]>());

        // Health (minimum) and children's community health both resolve to all four health trusts.
        Assert.Equal(["CDDFT", "CDDFT-MIDWIFERY", "DCC-CSC", "DURHAM-POLICE", "HDFT", "NTHFT"], suggested.Select(s => s.AgencyCode).Order(StringComparer.Ordinal));
        Assert.All(suggested.Where(s => s.Kind == AgencyKind.Health), s => Assert.True(s.Minimum, $"{s.AgencyCode} is suggested as the national minimum"));
    }

    [Fact]
    public void A_configured_agency_missing_from_the_directory_is_skipped_not_invented()
    {
        var withoutPolice = Durham.Where(a => a.Code != "DURHAM-POLICE").ToList();

        var suggested = InviteeSuggestions.Suggest(Facts(ChildAgeBand.UnderFive), withoutPolice, DurhamRoles);

        Assert.DoesNotContain(suggested, s => s.Kind == AgencyKind.Police);
        // ...and the gap in the national minimum is named, so the manager sees it.
        Assert.Equal(["Police"], NationalMinimum.Durham.NotMetBy(suggested.Select(s => s.Kind)));
    }

    [Fact]
    public void A_full_minimum_leaves_nothing_uncovered()
    {
        var suggested = InviteeSuggestions.Suggest(Facts(ChildAgeBand.UnderFive), Durham, DurhamRoles);

        Assert.Empty(NationalMinimum.Durham.NotMetBy(suggested.Select(s => s.Kind)));
        Assert.Equal(["SocialCare", "Health"], NationalMinimum.Durham.NotMetBy([AgencyKind.Police, AgencyKind.Education]));
    }

    private static CaseFacts Facts(ChildAgeBand band) => new(band, false, false, false, false, null, ConcernCategory.Neglect);
}
