using System.Text;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Rendering;

public sealed class CalendarWriterTests
{
    private readonly CalendarWriter _writer = new();

    [Fact]
    public void Writes_a_vcalendar_with_one_vevent_and_crlf_line_endings()
    {
        var ics = _writer.Write(TestData.Event());

        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", ics);
        Assert.EndsWith("END:VEVENT\r\nEND:VCALENDAR\r\n", ics);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("\r", ics.Replace("\r\n", string.Empty, StringComparison.Ordinal));

        var lines = Unfolded(ics);
        Assert.Contains("CALSCALE:GREGORIAN", lines);
        Assert.Contains("METHOD:REQUEST", lines);
        Assert.Single(lines, l => l == "BEGIN:VEVENT");
        Assert.Contains("UID:SM-2026-000123@jtai-strategy", lines);
        Assert.Contains("SEQUENCE:0", lines);
        Assert.Contains("STATUS:CONFIRMED", lines);
        Assert.Contains("ORGANIZER;CN=Northshire MASH:mailto:mash-strategy@northshire.example", lines);
        Assert.Contains(
            "ATTENDEE;CN=Dana Officer;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dana.officer@police.example",
            lines);
        Assert.Contains("LOCATION:Dial-in 0300 123 4567\\, conference code 918273\\, PIN 4321", lines);
    }

    [Fact]
    public void Times_are_utc_with_z_suffix()
    {
        var lines = Unfolded(_writer.Write(TestData.Event()));

        Assert.Contains("DTSTART:20260624T090000Z", lines);
        Assert.Contains("DTEND:20260624T103000Z", lines);
        Assert.Contains("DTSTAMP:20260301T093000Z", lines);
    }

    [Fact]
    public void Every_physical_line_is_at_most_75_octets_and_text_round_trips()
    {
        var description = "Ärger – naïve café 😀; a, b \\ c\nsecond line " + string.Concat(Enumerable.Repeat("long text – ", 30));
        var ics = _writer.Write(TestData.Event(description));

        AssertPhysicalLines(ics.TrimEnd('\r', '\n'));
        var descriptionLine = Unfolded(ics).Single(l => l.StartsWith("DESCRIPTION:", StringComparison.Ordinal));
        Assert.Equal("DESCRIPTION:" + EscapeText(description), descriptionLine);
        Assert.Equal(description, UnescapeText(descriptionLine["DESCRIPTION:".Length..]));
    }

    [Fact]
    public void Common_names_with_separators_are_quoted()
    {
        var ev = TestData.Event() with
        {
            Organizer = new CalendarOrganizer("mash@northshire.example", "MASH; Northshire, strategy"),
            Attendees = [new CalendarAttendee("a@b.example", "Officer, Dana")],
        };
        var lines = Unfolded(_writer.Write(ev));

        Assert.Contains("ORGANIZER;CN=\"MASH; Northshire, strategy\":mailto:mash@northshire.example", lines);
        Assert.Contains(lines, l => l.StartsWith("ATTENDEE;CN=\"Officer, Dana\";", StringComparison.Ordinal));
    }

    [Fact]
    public void Cancellation_has_method_cancel_status_cancelled_same_uid_and_higher_sequence()
    {
        var renderer = new InvitationEmailRenderer(timeProvider: new FixedTimeProvider(TestData.Now));
        var invitation = renderer.RenderInvitation(TestData.Invitation(sequence: 0));
        var reschedule = renderer.RenderReschedule(TestData.Invitation(sequence: 1));
        var cancellation = renderer.RenderCancellation(TestData.Cancellation(sequence: 2));

        var invite = Unfolded(invitation.Calendar!.Content);
        var update = Unfolded(reschedule.Calendar!.Content);
        var cancel = Unfolded(cancellation.Calendar!.Content);

        Assert.Contains("METHOD:REQUEST", invite);
        Assert.Contains("METHOD:REQUEST", update);
        Assert.Contains("METHOD:CANCEL", cancel);
        Assert.Contains("STATUS:CONFIRMED", invite);
        Assert.Contains("STATUS:CANCELLED", cancel);

        var uid = invite.Single(l => l.StartsWith("UID:", StringComparison.Ordinal));
        Assert.Equal(uid, update.Single(l => l.StartsWith("UID:", StringComparison.Ordinal)));
        Assert.Equal(uid, cancel.Single(l => l.StartsWith("UID:", StringComparison.Ordinal)));

        Assert.Contains("SEQUENCE:0", invite);
        Assert.Contains("SEQUENCE:1", update);
        Assert.Contains("SEQUENCE:2", cancel);
        Assert.Equal(CalendarMethod.Cancel, cancellation.Calendar.Method);
        Assert.Equal("CANCEL", cancellation.Calendar.MethodName);
    }

    [Fact]
    public void Rejects_cancel_without_cancelled_status_and_inverted_times()
    {
        Assert.Throws<ArgumentException>(() => _writer.Write(TestData.Event() with { Method = CalendarMethod.Cancel }));
        Assert.Throws<ArgumentException>(() => _writer.Write(TestData.Event() with { Status = CalendarEventStatus.Cancelled }));
        var ev = TestData.Event();
        Assert.Throws<ArgumentException>(() => _writer.Write(ev with { End = ev.Start }));
        Assert.Throws<ArgumentException>(() => _writer.Write(ev with { Attendees = [] }));
        Assert.Throws<ArgumentException>(() => _writer.Write(ev with { Attendees = [new CalendarAttendee("a b@c.example")] }));
    }

    [Fact]
    public void Output_is_valid_utf8_without_bom()
    {
        var bytes = Encoding.UTF8.GetBytes(_writer.Write(TestData.Event("Zoë")));
        Assert.Equal((byte)'B', bytes[0]);
    }

    [Theory]
    [InlineData("é")] // 2 octets
    [InlineData("–")] // 3 octets (en dash)
    [InlineData("中")] // 3 octets
    [InlineData("😀")] // 4 octets, a surrogate pair in .NET
    [InlineData("aé–😀")] // mixed, so boundaries fall at every offset
    public void Multi_byte_characters_are_never_split_when_lines_are_folded(string unit)
    {
        // Every alignment of the multi-byte characters against the 75-octet boundary.
        for (var prefix = 0; prefix < 5; prefix++)
        {
            var description = new string('x', prefix) + string.Concat(Enumerable.Repeat(unit, 60));
            var ics = _writer.Write(TestData.Event(description));

            AssertPhysicalLines(ics.TrimEnd('\r', '\n'));
            Assert.Contains("DESCRIPTION:" + description, Unfolded(ics));
        }
    }

    [Fact]
    public void Control_characters_other_than_tab_and_line_breaks_are_dropped_from_text()
    {
        var lines = Unfolded(_writer.Write(TestData.Event("a\tb\u0007c\u001Bd") with { Summary = "Meeting\u0000 SM-1", Location = "Dial-in\u000B 0300" }));

        Assert.Contains("DESCRIPTION:a\tbcd", lines);
        Assert.Contains("SUMMARY:Meeting SM-1", lines);
        Assert.Contains("LOCATION:Dial-in 0300", lines);
    }

    [Fact]
    public void Parameter_values_with_a_double_quote_or_caret_use_rfc_6868()
    {
        var lines = Unfolded(_writer.Write(TestData.Event() with { Attendees = [new CalendarAttendee("a@b.example", "Dana \"DJ\" a^b")] }));

        Assert.Contains(lines, l => l.StartsWith("ATTENDEE;CN=Dana ^'DJ^' a^^b;", StringComparison.Ordinal));
    }

    /// <summary>Removes every CRLF followed by a single space or tab (RFC 5545 §3.1) and splits into content lines.</summary>
    internal static List<string> Unfolded(string ics) =>
        ics.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Replace("\r\n\t", string.Empty, StringComparison.Ordinal)
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>Every physical line is at most 75 octets and valid UTF-8 on its own (no multi-byte sequence was cut).</summary>
    internal static void AssertPhysicalLines(string folded)
    {
        var strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var physical = folded.Split("\r\n");
        for (var i = 0; i < physical.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(physical[i]);
            Assert.True(bytes.Length <= 75, $"physical line {i} has {bytes.Length} octets: '{physical[i]}'");
            strictUtf8.GetString(bytes);
            Assert.DoesNotContain('\uFFFD', physical[i]);
        }
    }

    /// <summary>RFC 5545 §3.3.11 TEXT escaping, as the expected value: backslash, semicolon, comma, line breaks as \n.</summary>
    private static string EscapeText(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal).Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string UnescapeText(string value)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                sb.Append(next is 'n' or 'N' ? '\n' : next);
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }
}
