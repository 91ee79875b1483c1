using System.Security.Claims;

namespace Jtai.Strategy.BuildingBlocks.Security;

/// <summary>The product's user groups, carried in the token's <c>role</c> claims.</summary>
public static class JtaiRoles
{
    public const string Administrator = "Administrator";
    public const string TeamManager = "TeamManager";
    public const string Spoc = "Spoc";
    public const string Masdg = "Masdg";

    public static readonly string[] All = [Administrator, TeamManager, Spoc, Masdg];
}

public static class JtaiClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";

    /// <summary>The agency code a SPOC acts for; required for the Spoc role.</summary>
    public const string Agency = "agency";

    /// <summary>The Families First team a team manager belongs to.</summary>
    public const string Team = "team";

    /// <summary>The person's e-mail address (OpenID Connect standard claim), where the identity provider gives one.</summary>
    public const string Email = "email";
}

/// <summary>Authorization policy names; each service maps its endpoints to these.</summary>
public static class JtaiPolicies
{
    public const string Administrator = nameof(Administrator);
    public const string TeamManager = nameof(TeamManager);

    /// <summary>Role Spoc with an agency claim; endpoints still check the agency matches the resource.</summary>
    public const string Spoc = nameof(Spoc);
    public const string Masdg = nameof(Masdg);

    /// <summary>Anyone signed in with one of the product's roles.</summary>
    public const string AnyRole = nameof(AnyRole);
}

public static class ClaimsPrincipalExtensions
{
    public static string? AgencyCode(this ClaimsPrincipal user) => user.FindFirstValue(JtaiClaims.Agency);

    public static string? TeamCode(this ClaimsPrincipal user) => user.FindFirstValue(JtaiClaims.Team);

    public static string? Email(this ClaimsPrincipal user) => user.FindFirstValue(JtaiClaims.Email);

    public static string SubjectId(this ClaimsPrincipal user) => user.FindFirstValue(JtaiClaims.Subject) ?? "unknown";

    /// <summary>
    /// True when the user may see data scoped to <paramref name="agencyCode"/>: any administrator,
    /// team manager or MASDG member, or a SPOC of that agency.
    /// </summary>
    public static bool MayReadAgency(this ClaimsPrincipal user, string agencyCode) =>
        user.IsInRole(JtaiRoles.Administrator) || user.IsInRole(JtaiRoles.TeamManager) || user.IsInRole(JtaiRoles.Masdg)
        || (user.IsInRole(JtaiRoles.Spoc) && string.Equals(user.AgencyCode(), agencyCode, StringComparison.OrdinalIgnoreCase));
}
