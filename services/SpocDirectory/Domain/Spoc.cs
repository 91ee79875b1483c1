using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.SpocDirectory.Domain;

/// <summary>
/// A single point of contact for an agency (optionally for one area): rank 0 is the primary,
/// 1, 2, ... the deputies in the order they take over.
/// </summary>
public sealed class Spoc
{
    public const int MaxRank = 20;

    public Guid Id { get; init; }

    public required string AgencyCode { get; init; }

    public string? Area { get; set; }

    public required string FullName { get; set; }

    public int Rank { get; set; }

    public required string SecureEmail { get; set; }

    public string? Phone { get; set; }

    public bool Active { get; set; } = true;

    public string? RetiredReason { get; set; }

    public long Version { get; set; } = 1;

    public DateTimeOffset UpdatedAt { get; set; }

    public List<SpocCover> Covers { get; init; } = [];

    public SpocSnapshot ToSnapshot() => new(
        Id, AgencyCode, Area, FullName, Rank, SecureEmail, Phone, Active,
        Covers.OrderBy(c => c.StartsAt).ThenBy(c => c.Id).Select(c => new CoverPeriod(c.Id, c.StartsAt, c.EndsAt, c.Reason)).ToList(),
        Version);

    public void Touch(DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
    }
}

/// <summary>An absence during which the next SPOC in rank receives instead. End is exclusive.</summary>
public sealed class SpocCover
{
    public Guid Id { get; init; }

    public Guid SpocId { get; init; }

    public DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset EndsAt { get; init; }

    public required string Reason { get; init; }
}
