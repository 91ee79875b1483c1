using System.Security.Claims;
using Jtai.Strategy.BuildingBlocks.Security;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>Who may act on a team's meetings; shared by the convening and recording endpoints.</summary>
public static class TeamAccess
{
    /// <summary>Team managers act for their own team only (token claim <c>team</c>).</summary>
    public static bool ActsFor(ClaimsPrincipal user, string? teamCode) => ActsFor(user.TeamCode(), teamCode);

    /// <summary>As above, for a manager already known by the team in their token.</summary>
    public static bool ActsFor(string? actorTeamCode, string? teamCode) =>
        teamCode is not null && string.Equals(actorTeamCode, teamCode, StringComparison.Ordinal);
}
