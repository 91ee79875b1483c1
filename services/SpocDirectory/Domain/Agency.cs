using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.SpocDirectory.Domain;

/// <summary>A partner agency that can be invited to strategy meetings.</summary>
public sealed class Agency
{
    public required string Code { get; init; }

    public required string Name { get; set; }

    public AgencyKind Kind { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>Incremented on every change; carried by events so replicas apply changes in order.</summary>
    public long Version { get; set; } = 1;

    public DateTimeOffset UpdatedAt { get; set; }

    public AgencySnapshot ToSnapshot() => new(Code, Name, Kind, Active, Version);

    public void Touch(DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
    }
}
