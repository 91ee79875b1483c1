using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;

namespace Jtai.Strategy.Meetings.Convening;

/// <summary>A part a partner plays at a strategy meeting; configuration maps each to agency codes.</summary>
public enum InviteeRole
{
    SocialCare,
    Health,
    Police,
    Midwifery,
    ChildrensCommunityHealth,
    Education,
    Gp,
    Probation,
    YouthJustice,
    DomesticAbuse,
    Referrer,
}

public sealed record SuggestedInvitee(string AgencyCode, string AgencyName, AgencyKind Kind, InviteeRole Role, bool Minimum, string Reason);

/// <summary>
/// Suggests the agencies to invite from the case facts. Pure: the manager decides afterwards.
/// The national minimum (Working Together: social care, health, police) is always suggested.
/// Several agencies may share a kind (Durham has four health trusts), so each role resolves to the
/// agency codes configured for it; a role with none configured takes every active agency of its kind.
/// </summary>
public static class InviteeSuggestions
{
    private static readonly Dictionary<InviteeRole, AgencyKind> KindOf = new()
    {
        [InviteeRole.SocialCare] = AgencyKind.SocialCare,
        [InviteeRole.Health] = AgencyKind.Health,
        [InviteeRole.Police] = AgencyKind.Police,
        [InviteeRole.Midwifery] = AgencyKind.Health,
        [InviteeRole.ChildrensCommunityHealth] = AgencyKind.Health,
        [InviteeRole.Education] = AgencyKind.Education,
        [InviteeRole.Gp] = AgencyKind.Gp,
        [InviteeRole.Probation] = AgencyKind.Probation,
        [InviteeRole.YouthJustice] = AgencyKind.YouthJustice,
        [InviteeRole.DomesticAbuse] = AgencyKind.DomesticAbuse,
    };

    public static IReadOnlyList<(InviteeRole Role, bool Minimum, string Reason)> Roles(CaseFacts facts)
    {
        var roles = new List<(InviteeRole, bool, string)>
        {
            (InviteeRole.SocialCare, true, "National minimum: local-authority social care"),
            (InviteeRole.Health, true, "National minimum: health"),
            (InviteeRole.Police, true, "National minimum: police"),
        };

        if (facts.AgeBand == ChildAgeBand.Unborn || facts.UnbornChild)
        {
            roles.Add((InviteeRole.Midwifery, false, "Unborn child: midwifery"));
        }

        if (facts.AgeBand == ChildAgeBand.UnderFive)
        {
            roles.Add((InviteeRole.ChildrensCommunityHealth, false, "Child under five: health visiting"));
        }

        if (facts.AgeBand is ChildAgeBand.FiveToTen or ChildAgeBand.ElevenToFifteen or ChildAgeBand.SixteenToSeventeen)
        {
            roles.Add((InviteeRole.Education, false, "School-age child: the school (education)"));
            roles.Add((InviteeRole.ChildrensCommunityHealth, false, "School-age child: school nursing"));
        }

        if (facts.AdultKnownToProbation)
        {
            roles.Add((InviteeRole.Probation, false, "An adult in the household is known to probation (caring responsibilities)"));
        }

        if (facts.KnownToYos)
        {
            roles.Add((InviteeRole.YouthJustice, false, "The young person is known to the youth offending service"));
        }

        if (facts.GpPilot)
        {
            roles.Add((InviteeRole.Gp, false, "GP contribution pilot"));
        }

        if (facts.Concern == ConcernCategory.DomesticAbuse)
        {
            roles.Add((InviteeRole.DomesticAbuse, false, "Domestic abuse: specialist domestic abuse service"));
        }

        return roles;
    }

    public static IReadOnlyList<SuggestedInvitee> Suggest(
        CaseFacts facts,
        IEnumerable<AgencyEntry> agencies,
        IReadOnlyDictionary<string, string[]> agenciesByRole)
    {
        var active = agencies.Where(a => a.Active).ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);
        var suggestions = new List<SuggestedInvitee>();

        void Add(AgencyEntry agency, InviteeRole role, bool minimum, string reason)
        {
            var existing = suggestions.FindIndex(s => string.Equals(s.AgencyCode, agency.Code, StringComparison.OrdinalIgnoreCase));
            if (existing < 0)
            {
                suggestions.Add(new SuggestedInvitee(agency.Code, agency.Name, agency.Kind, role, minimum, reason));
            }
            else if (minimum && !suggestions[existing].Minimum)
            {
                // An agency suggested for two reasons keeps the stronger one: the national minimum.
                suggestions[existing] = suggestions[existing] with { Role = role, Minimum = true, Reason = reason };
            }
        }

        foreach (var (role, minimum, reason) in Roles(facts))
        {
            foreach (var agency in AgenciesFor(role, active, agenciesByRole))
            {
                Add(agency, role, minimum, reason);
            }
        }

        if (facts.ReferrerAgencyCode is { } referrer && active.TryGetValue(referrer.Trim(), out var referring))
        {
            Add(referring, InviteeRole.Referrer, false, "The referrer's agency");
        }

        return suggestions;
    }

    private static IEnumerable<AgencyEntry> AgenciesFor(InviteeRole role, Dictionary<string, AgencyEntry> active, IReadOnlyDictionary<string, string[]> agenciesByRole)
    {
        var kind = KindOf[role];
        if (agenciesByRole.TryGetValue(role.ToString(), out var configured) && configured.Length > 0)
        {
            // Configured codes that the directory does not (or no longer) know are skipped, not invented.
            return configured.Select(c => active.GetValueOrDefault(c)).OfType<AgencyEntry>();
        }

        return active.Values.Where(a => a.Kind == kind).OrderBy(a => a.Code, StringComparer.Ordinal);
    }
}
