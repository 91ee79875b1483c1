using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.SpocDirectory.Infrastructure;

/// <summary>
/// Commits a change of the directory with the event that tells the replicas (one transaction, through the outbox),
/// and logs it once committed. The log names codes, ids and versions, never a person's name or address.
/// </summary>
public sealed partial class DirectoryChanges(DirectoryDbContext db, ILogger<DirectoryChanges> logger)
{
    public async Task CommitAsync(object change, CancellationToken cancellationToken)
    {
        var (agency, spoc) = change switch
        {
            AgencyRegistered e => (e.Agency, null),
            AgencyUpdated e => (e.Agency, null),
            AgencyDeactivated e => (e.Agency, null),
            SpocAssigned e => (null, e.Spoc),
            SpocDetailsChanged e => (null, e.Spoc),
            SpocCoverChanged e => (null, e.Spoc),
            SpocRetired e => (null, e.Spoc),
            _ => ((AgencySnapshot?)null, (SpocSnapshot?)null),
        };
        ArgumentNullException.ThrowIfNull(agency ?? (object?)spoc, $"{change.GetType().Name} is not a directory change");

        var messageId = db.AddOutboxMessage(change);
        await db.SaveChangesAsync(cancellationToken);
        if (agency is not null)
        {
            LogAgencyChanged(logger, change.GetType().Name, agency.Code, agency.Version, messageId);
        }
        else
        {
            LogSpocChanged(logger, change.GetType().Name, spoc!.AgencyCode, spoc.SpocId, spoc.Version, messageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Change} committed for agency {AgencyCode}, version {Version} (message {MessageId})")]
    private static partial void LogAgencyChanged(ILogger logger, string change, string agencyCode, long version, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Change} committed for SPOC {SpocId} of agency {AgencyCode}, version {Version} (message {MessageId})")]
    private static partial void LogSpocChanged(ILogger logger, string change, string agencyCode, Guid spocId, long version, Guid messageId);
}
