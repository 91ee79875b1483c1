using System.Globalization;
using System.Text;

namespace Jtai.Strategy.Notifications.Delivery.Calendar;

/// <summary>
/// Writes one VCALENDAR (VERSION:2.0, PRODID, CALSCALE:GREGORIAN, METHOD) containing one VEVENT, following RFC 5545
/// (CRLF line endings, folding at 75 octets, TEXT escaping, quoted parameter values) and RFC 5546 (iTIP REQUEST/CANCEL).
/// Stateless and thread-safe.
/// </summary>
public sealed class IcsWriter : ICalendarWriter
{
    public const string DefaultProductId = "-//Jtai Strategy//Notifications Delivery 1.0//EN";

    private readonly string _productId;

    public IcsWriter(string productId = DefaultProductId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(productId);
        _productId = productId;
    }

    public string Write(CalendarEvent calendarEvent)
    {
        ArgumentNullException.ThrowIfNull(calendarEvent);
        Validate(calendarEvent);

        var sb = new StringBuilder(1024);
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:" + IcsFormat.EscapeText(_productId));
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, "METHOD:" + IcsFormat.MethodName(calendarEvent.Method));
        Line(sb, "BEGIN:VEVENT");
        Line(sb, "UID:" + IcsFormat.EscapeText(calendarEvent.Uid));
        Line(sb, "SEQUENCE:" + calendarEvent.Sequence.ToString(CultureInfo.InvariantCulture));
        Line(sb, "DTSTAMP:" + IcsFormat.FormatUtc(calendarEvent.DtStamp));
        Line(sb, "DTSTART:" + IcsFormat.FormatUtc(calendarEvent.Start));
        Line(sb, "DTEND:" + IcsFormat.FormatUtc(calendarEvent.End));
        Line(sb, "SUMMARY:" + IcsFormat.EscapeText(calendarEvent.Summary));
        if (!string.IsNullOrEmpty(calendarEvent.Location))
        {
            Line(sb, "LOCATION:" + IcsFormat.EscapeText(calendarEvent.Location));
        }

        if (!string.IsNullOrEmpty(calendarEvent.Description))
        {
            Line(sb, "DESCRIPTION:" + IcsFormat.EscapeText(calendarEvent.Description));
        }

        Line(sb, "ORGANIZER" + CommonName(calendarEvent.Organizer.CommonName) + ":" + MailTo(calendarEvent.Organizer.Email));
        foreach (var attendee in calendarEvent.Attendees)
        {
            Line(
                sb,
                "ATTENDEE" + CommonName(attendee.CommonName)
                + ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=" + (attendee.Rsvp ? "TRUE" : "FALSE")
                + ":" + MailTo(attendee.Email));
        }

        Line(sb, "STATUS:" + IcsFormat.StatusName(calendarEvent.Status));
        Line(sb, "TRANSP:OPAQUE");
        Line(sb, "END:VEVENT");
        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string contentLine) =>
        sb.Append(IcsFormat.Fold(contentLine)).Append(IcsFormat.Crlf);

    private static string CommonName(string? commonName) =>
        string.IsNullOrWhiteSpace(commonName) ? string.Empty : ";CN=" + IcsFormat.ParameterValue(commonName.Trim());

    private static string MailTo(string email) => "mailto:" + email.Trim();

    private static void Validate(CalendarEvent e)
    {
        if (string.IsNullOrWhiteSpace(e.Uid))
        {
            throw new ArgumentException("UID is required.", nameof(e));
        }

        if (e.Sequence < 0)
        {
            throw new ArgumentException("SEQUENCE must not be negative.", nameof(e));
        }

        if (e.End <= e.Start)
        {
            throw new ArgumentException("DTEND must be after DTSTART.", nameof(e));
        }

        if (string.IsNullOrWhiteSpace(e.Summary))
        {
            throw new ArgumentException("SUMMARY is required.", nameof(e));
        }

        switch (e.Method)
        {
            case CalendarMethod.Cancel when e.Status != CalendarEventStatus.Cancelled:
                throw new ArgumentException("METHOD:CANCEL requires STATUS:CANCELLED.", nameof(e));
            case CalendarMethod.Request when e.Status == CalendarEventStatus.Cancelled:
                throw new ArgumentException("STATUS:CANCELLED must be sent with METHOD:CANCEL.", nameof(e));
        }

        ValidateAddress(e.Organizer?.Email, "ORGANIZER");
        if (e.Attendees is null || e.Attendees.Count == 0)
        {
            throw new ArgumentException("At least one ATTENDEE is required for an iTIP REQUEST or CANCEL.", nameof(e));
        }

        foreach (var attendee in e.Attendees)
        {
            ValidateAddress(attendee?.Email, "ATTENDEE");
        }
    }

    private static void ValidateAddress(string? email, string property)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || !trimmed.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{property} needs an e-mail address.");
        }

        foreach (var c in trimmed)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '"' or '<' or '>')
            {
                throw new ArgumentException($"{property} e-mail address contains a character not allowed in a mailto URI.");
            }
        }
    }
}
