namespace Jtai.Strategy.Contracts.SpocDirectory;

/// <summary>
/// The whole state of an agency after a change. Directory events carry snapshots, not deltas,
/// so a replica is an upsert guarded by <see cref="Version"/> and tolerates redelivery and reordering.
/// </summary>
public sealed record AgencySnapshot(
    string Code,
    string Name,
    AgencyKind Kind,
    bool Active,
    long Version);

/// <summary>A period in which a SPOC is away and the next in rank receives instead. End is exclusive.</summary>
public sealed record CoverPeriod(
    Guid CoverId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Reason);

/// <summary>
/// The whole state of one SPOC assignment. <see cref="Rank"/> 0 is the primary; 1, 2, ... are the
/// deputies in the order they are tried. <see cref="Area"/> null means the assignment covers every area.
/// </summary>
public sealed record SpocSnapshot(
    Guid SpocId,
    string AgencyCode,
    string? Area,
    string FullName,
    int Rank,
    string SecureEmail,
    string? Phone,
    bool Active,
    IReadOnlyList<CoverPeriod> Covers,
    long Version);
