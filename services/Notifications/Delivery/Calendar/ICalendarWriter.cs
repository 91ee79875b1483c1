namespace Jtai.Strategy.Notifications.Delivery.Calendar;

/// <summary>Writes a <see cref="CalendarEvent"/> as an RFC 5545 iCalendar object.</summary>
public interface ICalendarWriter
{
    /// <summary>Returns the VCALENDAR text: CRLF line endings, content lines folded at 75 octets.</summary>
    /// <exception cref="ArgumentException">The event is inconsistent (e.g. CANCEL without STATUS:CANCELLED, end before start).</exception>
    string Write(CalendarEvent calendarEvent);
}
