using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.Meetings.Tests.Fixtures;

/// <summary>
/// The SPOC directory the tests announce on the broker (no directory service runs): Durham's
/// agencies, each with a primary and two deputies, except two agencies that have no SPOC at all.
/// </summary>
public static class TestDirectory
{
    public static readonly IReadOnlyList<AgencySnapshot> Agencies =
    [
        new("DCC-CSC", "Durham County Council Children's Services", AgencyKind.SocialCare, true, 1),
        new("DURHAM-POLICE", "Durham Constabulary", AgencyKind.Police, true, 1),
        new("CDDFT", "County Durham & Darlington NHS FT", AgencyKind.Health, true, 1),
        new("CDDFT-MIDWIFERY", "CDDFT maternity and midwifery", AgencyKind.Health, true, 1),
        new("HDFT", "Harrogate & District NHS FT (0-19)", AgencyKind.Health, true, 1),
        new("NTHFT", "North Tees & Hartlepool NHS FT", AgencyKind.Health, true, 1),
        new("TEWV", "Tees, Esk & Wear Valley NHS FT", AgencyKind.MentalHealth, true, 1),
        new("GP", "GP practices", AgencyKind.Gp, true, 1),
        new("NPS", "National Probation Service", AgencyKind.Probation, true, 1),
        new("CRC", "Community Rehabilitation Company", AgencyKind.Probation, true, 1),
        new("YOS", "Youth Offending Service", AgencyKind.YouthJustice, true, 1),
        new("DCC-EDUCATION", "Durham County Council Education", AgencyKind.Education, true, 1),
        new("HUMANKIND", "Humankind", AgencyKind.SubstanceMisuse, true, 1),
    ];

    /// <summary>Agencies deliberately without any SPOC.</summary>
    public static readonly IReadOnlySet<string> WithoutSpoc = new HashSet<string> { "TEWV", "HUMANKIND" };

    public static readonly IReadOnlyList<SpocSnapshot> Spocs = Agencies
        .Where(a => !WithoutSpoc.Contains(a.Code))
        .SelectMany(a => Enumerable.Range(0, 3).Select(rank => new SpocSnapshot(
            Guid.NewGuid(), a.Code, null, $"{(rank == 0 ? "Primary" : $"Deputy{rank}")} {a.Code}", rank,
            $"rank{rank}.{a.Code.ToLowerInvariant()}@spoc.example", null, true, [], 1)))
        .ToList();

    public static SpocSnapshot Spoc(string agency, int rank) => Spocs.Single(s => s.AgencyCode == agency && s.Rank == rank);

    /// <summary>The national minimum under Durham's configuration, plus what a school-age child brings.</summary>
    public static readonly string[] SchoolAgeDomesticAbuseInvitees = ["CDDFT", "DCC-CSC", "DCC-EDUCATION", "DURHAM-POLICE", "HDFT"];
}
