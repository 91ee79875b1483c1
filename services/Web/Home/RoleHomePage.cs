using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Jtai.Strategy.Web.Home;

/// <summary>
/// Where sign-in lands: a user with one role that has a page goes straight there; otherwise each of their roles
/// with what it may use.
/// </summary>
public sealed class RoleHomePage : PageModel
{
    public IReadOnlyList<RoleSection> Roles { get; private set; } = [];

    public IActionResult OnGet()
    {
        Roles = SectionsFor(User).ToList();
        return Roles is [{ Href: { } only }] ? Redirect(only) : Page();
    }

    private static IEnumerable<RoleSection> SectionsFor(System.Security.Claims.ClaimsPrincipal user)
    {
        if (user.IsInRole(JtaiRoles.TeamManager))
        {
            yield return new("Team manager", $"Your team ({user.TeamCode()}): its meetings, their invitations and answers.", "/team/meetings", "My team's meetings");
        }

        if (user.IsInRole(JtaiRoles.Spoc))
        {
            yield return new("Single point of contact", $"Your agency ({user.AgencyCode()}): its invitations and their answers (answer each here or with the link in its e-mail), and the actions circulated to it (\"Circulated actions\").", "/agency/invitations", "My agency's invitations");
        }

        if (user.IsInRole(JtaiRoles.Masdg))
        {
            yield return new("MASDG", "The strategy meetings dashboard by month or quarter, agency and team; from there the trends over 12 months, the quarterly exception report and the action plan's progress.", "/masdg", "Strategy meetings dashboard");
        }

        if (user.IsInRole(JtaiRoles.Administrator))
        {
            yield return new("Administrator", "The agencies with their SPOC, deputies and cover periods; the teams with their managers and dial-in bridges (teams and bridges under \"Teams and bridges\").", "/admin/agencies", "Agencies and SPOCs");
        }
    }

    public sealed record RoleSection(string Title, string Description, string? Href, string? LinkText);
}
