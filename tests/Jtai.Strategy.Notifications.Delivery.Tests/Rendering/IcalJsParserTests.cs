using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Rendering;

/// <summary>The generated .ics read back by Mozilla's ical.js (the parser behind Thunderbird's calendar).</summary>
public sealed class IcalJsParserTests
{
    private readonly InvitationEmailRenderer _renderer = new(timeProvider: new FixedTimeProvider(TestData.Now));

    [Fact]
    public async Task Invitation_parses_with_the_expected_values()
    {
        var rendered = _renderer.RenderInvitation(TestData.Invitation());
        var ev = rendered.CalendarEvent!;

        var parsed = await IcalJs.ParseAsync(rendered.Calendar!.Content);

        Assert.Equal("2.0", parsed.Version);
        Assert.Equal("GREGORIAN", parsed.CalScale);
        Assert.Equal("REQUEST", parsed.Method);
        Assert.Equal("SM-2026-000123@jtai-strategy", parsed.Uid);
        Assert.Equal(0, parsed.Sequence);
        Assert.Equal("CONFIRMED", parsed.Status);
        Assert.Equal("Strategy meeting SM-2026-000123", parsed.Summary);
        Assert.True(parsed.DtStart!.IsUtc);
        Assert.True(parsed.DtEnd!.IsUtc);
        Assert.Equal("2026-06-24T09:00:00.000Z", parsed.DtStart.Utc);
        Assert.Equal("2026-06-24T10:30:00.000Z", parsed.DtEnd.Utc);
        Assert.Equal("2026-03-01T09:30:00.000Z", parsed.DtStamp!.Utc);
        Assert.Equal("Dial-in 0300 123 4567, conference code 918273, PIN 4321", parsed.Location);
        Assert.Equal(ev.Description, parsed.Description);
        Assert.Contains("https://strategy.example.gov.uk/respond/7f3c9a?token=abc123", parsed.Description);
        Assert.Contains("918273", parsed.Description);
        Assert.Equal("mailto:mash-strategy@northshire.example", parsed.Organizer!.Value);
        Assert.Equal("Northshire MASH; strategy meetings", parsed.Organizer.CommonName);
        var attendee = Assert.Single(parsed.Attendees);
        Assert.Equal("mailto:dana.officer@police.example", attendee.Value);
        Assert.Equal("Dana Officer", attendee.CommonName);
        Assert.Equal("REQ-PARTICIPANT", attendee.Role);
        Assert.Equal("TRUE", attendee.Rsvp);
    }

    [Fact]
    public async Task Cancellation_parses_as_cancel_with_same_uid_and_higher_sequence()
    {
        var invitation = await IcalJs.ParseAsync(_renderer.RenderInvitation(TestData.Invitation()).Calendar!.Content);
        var cancellation = await IcalJs.ParseAsync(_renderer.RenderCancellation(TestData.Cancellation(sequence: 1)).Calendar!.Content);

        Assert.Equal("CANCEL", cancellation.Method);
        Assert.Equal("CANCELLED", cancellation.Status);
        Assert.Equal(invitation.Uid, cancellation.Uid);
        Assert.True(cancellation.Sequence > invitation.Sequence);
        Assert.Equal(invitation.DtStart!.Utc, cancellation.DtStart!.Utc);
    }

    [Fact]
    public async Task Folded_multi_byte_and_escaped_text_round_trips_through_ical_js()
    {
        var description = "Zoë’s team – café ☕ 😀; commas, semicolons; back\\slash\nline two: colon\n"
                          + string.Concat(Enumerable.Repeat("Ærø – ", 40));
        var ev = TestData.Event(description) with
        {
            Summary = string.Concat(Enumerable.Repeat("Überlange Zusammenfassung – ", 6)),
            Organizer = new CalendarOrganizer("mash@northshire.example", "Smith, \"DJ\"; MASH: Ærø"),
        };

        var parsed = await IcalJs.ParseAsync(new CalendarWriter().Write(ev));

        Assert.Equal(description, parsed.Description);
        Assert.Equal(ev.Summary, parsed.Summary);
        Assert.Equal("Smith, \"DJ\"; MASH: Ærø", parsed.Organizer!.CommonName);
    }
}
