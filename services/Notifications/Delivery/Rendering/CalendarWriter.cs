using System.Text;
using Ical.Net;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using IcalCalendar = Ical.Net.Calendar;
using IcalEvent = Ical.Net.CalendarComponents.CalendarEvent;

namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>Writes a <see cref="CalendarEvent"/> as an RFC 5545 iCalendar object.</summary>
public interface ICalendarWriter
{
    /// <summary>Returns the VCALENDAR text: CRLF line endings, content lines folded at 75 octets.</summary>
    /// <exception cref="ArgumentException">The event is inconsistent (e.g. CANCEL without STATUS:CANCELLED, end before start).</exception>
    string Write(CalendarEvent calendarEvent);
}

/// <summary>
/// Builds one VCALENDAR (VERSION:2.0, PRODID, CALSCALE:GREGORIAN, METHOD) with one VEVENT through Ical.Net, which does the
/// RFC 5545 lexical work (TEXT escaping, parameter quoting, folding at 75 octets). Our part is the iTIP rules (RFC 5546):
/// REQUEST goes with CONFIRMED, CANCEL with CANCELLED, at least one attendee. Times are UTC (<c>...Z</c>): unambiguous,
/// and what every calendar client reads without a VTIMEZONE. Stateless and thread-safe.
/// </summary>
public sealed class CalendarWriter : ICalendarWriter
{
    public const string DefaultProductId = "-//Jtai Strategy//Notifications Delivery 1.0//EN";

    private readonly string _productId;

    public CalendarWriter(string productId = DefaultProductId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(productId);
        _productId = productId;
    }

    public static string MethodName(CalendarMethod method) => method switch
    {
        CalendarMethod.Request => "REQUEST",
        CalendarMethod.Cancel => "CANCEL",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public string Write(CalendarEvent calendarEvent)
    {
        ArgumentNullException.ThrowIfNull(calendarEvent);
        Validate(calendarEvent);

        var calendar = new IcalCalendar { ProductId = _productId, Version = "2.0", Scale = "GREGORIAN", Method = MethodName(calendarEvent.Method) };
        var vevent = new IcalEvent
        {
            Uid = calendarEvent.Uid,
            Sequence = calendarEvent.Sequence,
            DtStamp = Utc(calendarEvent.DtStamp),
            DtStart = Utc(calendarEvent.Start),
            DtEnd = Utc(calendarEvent.End),
            Summary = Text(calendarEvent.Summary),
            Location = string.IsNullOrEmpty(calendarEvent.Location) ? null : Text(calendarEvent.Location),
            Description = string.IsNullOrEmpty(calendarEvent.Description) ? null : Text(calendarEvent.Description),
            Organizer = new Organizer(MailTo(calendarEvent.Organizer.Email)) { CommonName = CommonName(calendarEvent.Organizer.CommonName) },
            Status = calendarEvent.Status == CalendarEventStatus.Cancelled ? "CANCELLED" : "CONFIRMED",
            Transparency = "OPAQUE",
        };
        foreach (var attendee in calendarEvent.Attendees)
        {
            vevent.Attendees.Add(new Attendee(MailTo(attendee.Email))
            {
                CommonName = CommonName(attendee.CommonName),
                Type = "INDIVIDUAL",
                Role = "REQ-PARTICIPANT",
                ParticipationStatus = "NEEDS-ACTION",
                Rsvp = attendee.Rsvp,
            });
        }

        calendar.Events.Add(vevent);
        return new ItipCalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("Ical.Net returned no calendar text.");
    }

    /// <summary>
    /// Ical.Net's serializer, with the calendar's own properties in the order clients commonly expect (VERSION, PRODID,
    /// CALSCALE, METHOD) instead of alphabetical; every property and the event are still written by Ical.Net's serializers.
    /// </summary>
    private sealed class ItipCalendarSerializer : CalendarSerializer
    {
        private static readonly string[] Order = ["VERSION", "PRODID", "CALSCALE", "METHOD"];

        public override string? SerializeToString(object? obj)
        {
            if (obj is not IcalCalendar calendar)
            {
                return base.SerializeToString(obj);
            }

            var factory = GetService<ISerializerFactory>() ?? new SerializerFactory();
            var sb = new StringBuilder("BEGIN:VCALENDAR\r\n");
            foreach (var item in calendar.Properties.OrderBy(Rank).Cast<object>().Concat(calendar.Children))
            {
                var serializer = factory.Build(item.GetType(), SerializationContext) as IStringSerializer
                    ?? throw new InvalidOperationException($"Ical.Net has no serializer for {item.GetType().Name}.");
                sb.Append(serializer.SerializeToString(item));
            }

            return sb.Append("END:VCALENDAR\r\n").ToString();
        }

        private static int Rank(ICalendarProperty property)
        {
            var index = Array.IndexOf(Order, property.Name?.ToUpperInvariant());
            return index < 0 ? Order.Length : index;
        }
    }

    private static CalDateTime Utc(DateTimeOffset value) =>
        new(DateTime.SpecifyKind(value.UtcDateTime.AddTicks(-(value.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)), DateTimeKind.Utc));

    /// <summary>TEXT (RFC 5545 §3.3.11) cannot hold control characters other than TAB and line breaks; Ical.Net passes them through, so they are dropped here.</summary>
    private static string Text(string value) => string.Concat(value.Where(c => c is '\t' or '\r' or '\n' || !char.IsControl(c)));

    private static string MailTo(string email) => "mailto:" + email.Trim();

    /// <summary>
    /// RFC 6868 caret encoding for what a parameter value cannot hold (a double quote, a line break, the caret itself);
    /// Ical.Net quotes the value when it has <c>:</c>, <c>;</c> or <c>,</c>. Other control characters are dropped.
    /// </summary>
    private static string? CommonName(string? commonName)
    {
        if (string.IsNullOrWhiteSpace(commonName))
        {
            return null;
        }

        var sb = new StringBuilder(commonName.Length + 4);
        foreach (var c in commonName.Trim().ReplaceLineEndings("\n"))
        {
            switch (c)
            {
                case '^': sb.Append("^^"); break;
                case '"': sb.Append("^'"); break;
                case '\n': sb.Append("^n"); break;
                default:
                    if (c == '\t' || !char.IsControl(c))
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

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
