namespace Jtai.Strategy.Contracts.Meetings;

// The parts the invitation events (InvitationIssued, InvitationReminderDue, InvitationRescheduled, InvitationCancelled)
// share, so each is built once by the meetings service and mapped and rendered once by the notifications service.
// Like the events, nothing here is about the child.

/// <summary>When the meeting takes place (as scheduled when the message was sent).</summary>
public sealed record MeetingSlot(DateTimeOffset Start, DateTimeOffset End);

/// <summary>How to join the meeting by phone: the bridge's number and conference code, and the meeting's PIN.</summary>
public sealed record DialIn(string Number, string ConferenceCode, string Pin);

/// <summary>The professional an invitation goes to: the agency's SPOC (or deputy) and the role they receive it in.</summary>
public sealed record InvitationRecipient(Guid SpocId, string Name, string Email, RecipientRole Role);

/// <summary>Where the recipient answers (single-use link, expires at the start) and signs in, and the answer's deadline.</summary>
public sealed record InvitationLinks(Uri Response, Uri SignIn, DateTimeOffset RespondBy);
