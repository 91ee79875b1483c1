using MassTransit;

namespace Jtai.Strategy.Contracts.SpocDirectory;

[MessageUrn("jtai-strategy:spoc-directory:agency-registered:v1")]
[EntityName("jtai-strategy.spoc-directory.agency-registered")]
public sealed record AgencyRegistered(AgencySnapshot Agency, DateTimeOffset OccurredAt);

[MessageUrn("jtai-strategy:spoc-directory:agency-updated:v1")]
[EntityName("jtai-strategy.spoc-directory.agency-updated")]
public sealed record AgencyUpdated(AgencySnapshot Agency, DateTimeOffset OccurredAt);

/// <summary>The agency no longer receives invitations; its history stays.</summary>
[MessageUrn("jtai-strategy:spoc-directory:agency-deactivated:v1")]
[EntityName("jtai-strategy.spoc-directory.agency-deactivated")]
public sealed record AgencyDeactivated(AgencySnapshot Agency, DateTimeOffset OccurredAt);

[MessageUrn("jtai-strategy:spoc-directory:spoc-assigned:v1")]
[EntityName("jtai-strategy.spoc-directory.spoc-assigned")]
public sealed record SpocAssigned(SpocSnapshot Spoc, DateTimeOffset OccurredAt);

/// <summary>Name, contact channels, area or rank changed.</summary>
[MessageUrn("jtai-strategy:spoc-directory:spoc-details-changed:v1")]
[EntityName("jtai-strategy.spoc-directory.spoc-details-changed")]
public sealed record SpocDetailsChanged(SpocSnapshot Spoc, DateTimeOffset OccurredAt);

[MessageUrn("jtai-strategy:spoc-directory:spoc-cover-changed:v1")]
[EntityName("jtai-strategy.spoc-directory.spoc-cover-changed")]
public sealed record SpocCoverChanged(SpocSnapshot Spoc, DateTimeOffset OccurredAt);

/// <summary>The assignment ended; the SPOC receives nothing from now on.</summary>
[MessageUrn("jtai-strategy:spoc-directory:spoc-retired:v1")]
[EntityName("jtai-strategy.spoc-directory.spoc-retired")]
public sealed record SpocRetired(SpocSnapshot Spoc, string Reason, DateTimeOffset OccurredAt);

/// <summary>
/// A replica asks for the whole directory (e.g. at its start-up): events published before its queue
/// existed never reached it. The directory answers with <see cref="DirectorySnapshotPublished"/>.
/// </summary>
[MessageUrn("jtai-strategy:spoc-directory:directory-snapshot-requested:v1")]
[EntityName("jtai-strategy.spoc-directory.directory-snapshot-requested")]
public sealed record DirectorySnapshotRequested(Guid RequestId, string Requester, DateTimeOffset OccurredAt);

/// <summary>
/// Every agency and every SPOC assignment (retired ones included, inactive) as they are now. Published
/// at the directory's start-up and on request; replicas upsert each snapshot if newer than theirs.
/// </summary>
[MessageUrn("jtai-strategy:spoc-directory:directory-snapshot-published:v1")]
[EntityName("jtai-strategy.spoc-directory.directory-snapshot-published")]
public sealed record DirectorySnapshotPublished(
    Guid? RequestId,
    IReadOnlyList<AgencySnapshot> Agencies,
    IReadOnlyList<SpocSnapshot> Spocs,
    DateTimeOffset OccurredAt);
