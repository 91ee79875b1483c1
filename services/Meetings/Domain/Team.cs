namespace Jtai.Strategy.Meetings.Domain;

/// <summary>A Families First team (a locality social-work team) whose managers convene strategy meetings.</summary>
public sealed class Team
{
    public required string Code { get; init; }

    public required string Name { get; set; }

    /// <summary>The locality, matched against SPOC areas when routing invitations (null: county-wide SPOCs).</summary>
    public string? Area { get; set; }

    /// <summary>Whether the team takes part in the GP contribution pilot (GPs are then suggested as invitees).</summary>
    public bool GpPilot { get; set; }

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<Bridge> Bridges { get; init; } = [];

    /// <summary>Who is told of the team's meetings' notices (circulation warnings, overdue, record due, ...).</summary>
    public List<TeamManager> Managers { get; init; } = [];

    /// <summary>Raised by every change to <see cref="Managers"/>, so the audit says which list a notice went to.</summary>
    public int ManagersVersion { get; set; }
}

/// <summary>
/// A manager contact of a team: a secure e-mail address (validated as a SPOC's is) and an optional name, kept by
/// administrators. The address is a recipient of the team's manager notices and goes nowhere else.
/// </summary>
public sealed class TeamManager
{
    public required string TeamCode { get; init; }

    /// <summary>Lower-case and trimmed: one entry per address.</summary>
    public required string Email { get; init; }

    public string? FullName { get; init; }

    public required string AddedBy { get; init; }

    public DateTimeOffset AddedAt { get; init; }
}

/// <summary>A team's conference bridge: one dial-in number and conference code; one meeting at a time.</summary>
public sealed class Bridge
{
    public Guid Id { get; init; }

    public required string TeamCode { get; init; }

    public required string Label { get; set; }

    public required string DialInNumber { get; set; }

    public required string ConferenceCode { get; set; }

    /// <summary>A retired bridge is not booked any more; meetings already on it keep it.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; init; }
}
