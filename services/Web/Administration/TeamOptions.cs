namespace Jtai.Strategy.Web.Administration;

/// <summary>A team form's yes/no choices: the GP pilot, and (when changing a team) whether it is active. Null Active leaves it off the form.</summary>
public sealed record TeamOptions(string GpPilotId, bool GpPilot, bool? Active);
