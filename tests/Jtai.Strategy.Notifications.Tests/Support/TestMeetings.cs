using Jtai.Strategy.Contracts.Meetings;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// The case behind a test meeting, as only the meetings service would hold it. None of it is put in any message;
/// every test checks that none of it appears in any e-mail, and that the e-mails carry only the allowed fields.
/// </summary>
public static class TheCase
{
    public const string ChildFirstName = "Amelia";
    public const string ChildSurname = "Hartley-Testchild";

    public static readonly string[] Values =
    [
        ChildFirstName, ChildSurname, "14 June 2015", "14/06/2015", "2015-06-14", "12 Example Road", "Testville", "NX1 2AB", "CSC-00987654",
    ];
}

/// <summary>One meeting as the meetings service would describe it in its messages: reference, time, dial-in, links.</summary>
public sealed record TestMeeting(
    Guid MeetingId,
    string Reference,
    DateTimeOffset Start,
    DateTimeOffset End,
    string DialInNumber,
    string ConferenceCode,
    string Pin,
    Uri SignInLink)
{
    public const string TeamCode = "FF-EASINGTON";
    public const string TeamName = "Easington Families First Team";
    public const string OrganizerEmail = "easington-strategy@durham.example.gov.uk";

    public static TestMeeting New()
    {
        var reference = $"SM-2026-{Random.Shared.Next(100000, 999999)}";
        // Whole minutes, some days ahead, so "the meeting is over" never applies and times compare exactly.
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(9).AddMinutes(Random.Shared.Next(0, 60)), TimeSpan.Zero);
        return new TestMeeting(
            Guid.NewGuid(), reference, start, start.AddMinutes(90), "0300 123 4567", Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture), new Uri($"https://strategy.example.gov.uk/sign-in?meeting={reference}"));
    }

    public Uri ResponseLink(Guid invitationId) => new($"https://strategy.example.gov.uk/respond/{invitationId:N}");

    public DateTimeOffset RespondBy => Start.AddHours(-20);

    public MeetingSlot Slot => new(Start, End);

    public DialIn DialIn => new(DialInNumber, ConferenceCode, Pin);

    public InvitationIssued Invite(string email, string name = "Dana Officer", string agencyCode = "DURHAM-POLICE", string agencyName = "Durham Constabulary",
        RecipientRole role = RecipientRole.Primary, Guid? supersedes = null, int sequence = 0)
    {
        var invitationId = Guid.NewGuid();
        return new(invitationId, MeetingId, Reference, TeamCode, TeamName, agencyCode, agencyName, new InvitationRecipient(Guid.NewGuid(), name, email, role), Slot,
            DialIn, new InvitationLinks(ResponseLink(invitationId), SignInLink, RespondBy), sequence, supersedes, DateTimeOffset.UtcNow);
    }

    public InvitationReminderDue Remind(InvitationIssued invitation) =>
        new(invitation.InvitationId, MeetingId, Reference, invitation.AgencyCode, invitation.Recipient, Slot,
            DialIn, new InvitationLinks(invitation.Links.Response, SignInLink, RespondBy), DateTimeOffset.UtcNow);

    public (TestMeeting Moved, InvitationRescheduled Message) Reschedule(InvitationIssued invitation, TimeSpan by, int sequence)
    {
        var moved = this with { Start = Start + by, End = End + by };
        return (moved, new InvitationRescheduled(invitation.InvitationId, MeetingId, Reference, invitation.AgencyCode, invitation.Recipient,
            moved.Slot, DialIn, new InvitationLinks(invitation.Links.Response, SignInLink, moved.RespondBy), sequence, DateTimeOffset.UtcNow));
    }

    public InvitationCancelled Cancel(InvitationIssued invitation, int sequence) =>
        new(invitation.InvitationId, MeetingId, Reference, invitation.AgencyCode, invitation.Recipient, Slot,
            "The meeting is no longer needed.", sequence, DateTimeOffset.UtcNow);

    public AgreedActionsCirculated Circulate(params CirculationRecipient[] recipients) =>
        new(MeetingId, Reference, TeamCode, 1, 3, End, End.AddHours(24), End.AddHours(2), true, recipients, SignInLink, DateTimeOffset.UtcNow);

    /// <summary>An address unique to a test, so tests sharing a mailbox never see each other's mail.</summary>
    public static string Address(string localPrefix, string domain = "police.example") => $"{localPrefix}.{Guid.NewGuid():N}@{domain}";
}
