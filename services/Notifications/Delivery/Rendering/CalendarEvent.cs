namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>The iTIP method (RFC 5546) of the calendar object: a new or updated invitation, or a cancellation.</summary>
public enum CalendarMethod
{
    /// <summary><c>METHOD:REQUEST</c> — invite, or update (reschedule) with a higher SEQUENCE.</summary>
    Request,

    /// <summary><c>METHOD:CANCEL</c> — cancel the event with the same UID; requires <c>STATUS:CANCELLED</c> and a higher SEQUENCE.</summary>
    Cancel,
}

/// <summary>The VEVENT <c>STATUS</c> property.</summary>
public enum CalendarEventStatus
{
    Confirmed,
    Cancelled,
}

/// <summary>The organiser of the meeting (<c>ORGANIZER;CN=...:mailto:...</c>). Attendees' calendar replies go to this address.</summary>
public sealed record CalendarOrganizer(string Email, string? CommonName = null);

/// <summary>
/// One attendee (<c>ATTENDEE;CN=...;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:...</c>).
/// </summary>
public sealed record CalendarAttendee(string Email, string? CommonName = null, bool Rsvp = true);

/// <summary>
/// One meeting as an iTIP message: a VCALENDAR with <see cref="Method"/> and a single VEVENT.
/// Times are written in UTC (<c>YYYYMMDDTHHMMSSZ</c>), whatever offset the values carry; sub-second parts are dropped.
/// </summary>
public sealed record CalendarEvent
{
    /// <summary>Globally unique, stable for the life of the meeting: a reschedule or cancellation must reuse it.</summary>
    public required string Uid { get; init; }

    /// <summary>Revision number: 0 for the first invitation, incremented on every significant change (reschedule, cancellation).</summary>
    public int Sequence { get; init; }

    public CalendarMethod Method { get; init; } = CalendarMethod.Request;

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>When this iTIP message was created.</summary>
    public required DateTimeOffset DtStamp { get; init; }

    public required string Summary { get; init; }

    public string? Location { get; init; }

    public string? Description { get; init; }

    public required CalendarOrganizer Organizer { get; init; }

    public IReadOnlyList<CalendarAttendee> Attendees { get; init; } = [];

    /// <summary><see cref="CalendarEventStatus.Cancelled"/> goes with <see cref="CalendarMethod.Cancel"/>, <see cref="CalendarEventStatus.Confirmed"/> with <see cref="CalendarMethod.Request"/>.</summary>
    public CalendarEventStatus Status { get; init; } = CalendarEventStatus.Confirmed;
}

/// <summary>An iCalendar object ready to attach to an e-mail (<c>text/calendar; method=...</c>).</summary>
/// <param name="Content">The complete VCALENDAR text (CRLF line endings).</param>
/// <param name="Method">Must match the <c>METHOD</c> inside <paramref name="Content"/>.</param>
/// <param name="FileName">The file name offered when the calendar object is also attached as a file.</param>
public sealed record CalendarAttachment(string Content, CalendarMethod Method, string FileName = "invite.ics")
{
    /// <summary>The value for the <c>method</c> parameter of <c>text/calendar</c>: <c>REQUEST</c> or <c>CANCEL</c>.</summary>
    public string MethodName => CalendarWriter.MethodName(Method);
}
