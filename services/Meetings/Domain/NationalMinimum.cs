using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.Meetings.Domain;

/// <summary>One part of the national minimum (e.g. "Health") and the kinds of agency that satisfy it.</summary>
public sealed record MinimumRequirement(string Name, IReadOnlyList<AgencyKind> SatisfiedBy);

/// <summary>
/// Working Together's minimum for a strategy meeting: local-authority social care, health and police.
/// Which kinds of agency count for each part is the partnership's decision (configuration
/// <c>Meetings:NationalMinimum</c>); a part is met when any agency of one of its kinds is there.
/// </summary>
public sealed class NationalMinimum
{
    public NationalMinimum(IEnumerable<MinimumRequirement> requirements)
    {
        Requirements = requirements.ToList();
    }

    /// <summary>
    /// Durham's reading: social care, police, and for health the NHS trusts' health practitioners
    /// (agencies of kind Health: the acute and community trust, its midwives, health visiting and
    /// school nursing). A GP (kind Gp, a pilot contributing mostly in writing) and adult mental health
    /// (kind MentalHealth) are invited when the case says so but do not stand in for them.
    /// </summary>
    public static NationalMinimum Durham { get; } = new(
    [
        new("SocialCare", [AgencyKind.SocialCare]),
        new("Health", [AgencyKind.Health]),
        new("Police", [AgencyKind.Police]),
    ]);

    public IReadOnlyList<MinimumRequirement> Requirements { get; }

    /// <summary>The names of the requirements that none of <paramref name="kindsPresent"/> satisfies, in configured order.</summary>
    public IReadOnlyList<string> NotMetBy(IEnumerable<AgencyKind> kindsPresent)
    {
        var present = kindsPresent.ToHashSet();
        return Requirements.Where(r => !r.SatisfiedBy.Any(present.Contains)).Select(r => r.Name).ToList();
    }
}
