using System.Text.Json;
using Jtai.Strategy.Contracts.Meetings;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// Readers for the older versions of events that the event log still holds: kept for good, because every rebuild
/// re-reads every row. Each maps a stored body to the current record, filling nothing it did not have.
/// (Live consumers of old versions are not kept: see "Versioning" in the contracts README.)
/// </summary>
public static class StoredVersions
{
    /// <summary>The URN the log stored for <c>InvitationIssued</c> v1 (as MassTransit's <c>[MessageUrn]</c> renders it).</summary>
    public const string InvitationIssuedV1 = "urn:message:jtai-strategy:meetings:invitation-issued:v1";

    public static readonly IReadOnlyDictionary<string, Func<string, object>> Upcasters = new Dictionary<string, Func<string, object>>(StringComparer.Ordinal)
    {
        [InvitationIssuedV1] = body => JsonSerializer.Deserialize<InvitationIssuedV1Body>(body, ProjectedEvents.Json)!.ToCurrent(),
    };

    /// <summary><c>InvitationIssued</c> v1 as it was logged: the invitation's parts flat.</summary>
    private sealed record InvitationIssuedV1Body(
        Guid InvitationId,
        Guid MeetingId,
        string MeetingReference,
        string TeamCode,
        string TeamName,
        string AgencyCode,
        string AgencyName,
        Guid RecipientSpocId,
        string RecipientName,
        string RecipientEmail,
        RecipientRole RecipientRole,
        DateTimeOffset ScheduledStart,
        DateTimeOffset ScheduledEnd,
        string DialInNumber,
        string ConferenceCode,
        string Pin,
        Uri ResponseLink,
        Uri SignInLink,
        DateTimeOffset RespondBy,
        int CalendarSequence,
        Guid? SupersedesInvitationId,
        DateTimeOffset OccurredAt)
    {
        public InvitationIssued ToCurrent() => new(
            InvitationId, MeetingId, MeetingReference, TeamCode, TeamName, AgencyCode, AgencyName,
            new InvitationRecipient(RecipientSpocId, RecipientName, RecipientEmail, RecipientRole),
            new MeetingSlot(ScheduledStart, ScheduledEnd),
            new DialIn(DialInNumber, ConferenceCode, Pin),
            new InvitationLinks(ResponseLink, SignInLink, RespondBy),
            CalendarSequence, SupersedesInvitationId, OccurredAt);
    }
}
