using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Rendering;

public sealed class InvitationEmailRendererTests
{
    private readonly InvitationEmailRenderer _renderer = new(timeProvider: new FixedTimeProvider(TestData.Now));

    [Fact]
    public void Invitation_subject_names_the_meeting_reference()
    {
        Assert.Equal("Strategy meeting SM-2026-000123 – invitation", _renderer.RenderInvitation(TestData.Invitation()).Subject);
    }

    [Fact]
    public void Invitation_text_says_what_when_how_to_dial_in_and_how_to_answer()
    {
        var text = _renderer.RenderInvitation(TestData.Invitation()).TextBody;

        Assert.StartsWith("Dear Dana Officer,\n", text);
        Assert.Contains("Northshire Children's Services, MASH invites Northshire Police to a strategy meeting.", text);
        Assert.Contains("Meeting reference: SM-2026-000123", text);
        // 09:00Z in June is 10:00 British Summer Time.
        Assert.Contains("When: Wednesday 24 June 2026, 10:00 to 11:30 (UK time)", text);
        Assert.Contains("Phone: 0300 123 4567", text);
        Assert.Contains("Conference code: 918273", text);
        Assert.Contains("PIN: 4321", text);
        Assert.Contains("Please answer by Monday 22 June 2026, 17:00 (UK time).", text);
        Assert.Contains("- attend in person\n- join by dial-in\n- send a written contribution\n- decline\n", text);
        Assert.Contains("Response link: https://strategy.example.gov.uk/respond/7f3c9a?token=abc123", text);
        Assert.Contains("Case details are available only after you sign in: https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123", text);
    }

    [Fact]
    public void Invitation_html_has_the_same_facts_and_escapes_input()
    {
        var details = TestData.Invitation() with { TeamName = "MASH <Team> & Partners", RecipientName = "Dana \"D\" O'Fficer" };
        var html = _renderer.RenderInvitation(details).HtmlBody;

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("MASH &lt;Team&gt; &amp; Partners", html);
        Assert.DoesNotContain("<Team>", html);
        Assert.Contains("Dana &quot;D&quot; O&#39;Fficer", html);
        Assert.Contains("<a href=\"https://strategy.example.gov.uk/respond/7f3c9a?token=abc123\">Answer the invitation</a>", html);
        Assert.Contains("<a href=\"https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123\">", html);
        Assert.Contains("<a href=\"tel:03001234567\">0300 123 4567</a>", html);
        Assert.Contains("Wednesday 24 June 2026, 10:00 to 11:30 (UK time)", html);
        Assert.Contains("918273", html);
        Assert.Contains("4321", html);
        Assert.Contains("only after you sign in", html);
    }

    [Fact]
    public void Calendar_location_carries_dial_in_and_description_adds_the_response_link()
    {
        var ev = _renderer.RenderInvitation(TestData.Invitation()).CalendarEvent!;

        Assert.Equal("Dial-in 0300 123 4567, conference code 918273, PIN 4321", ev.Location);
        Assert.Contains("0300 123 4567", ev.Description);
        Assert.Contains("918273", ev.Description);
        Assert.Contains("4321", ev.Description);
        Assert.Contains("https://strategy.example.gov.uk/respond/7f3c9a?token=abc123", ev.Description);
        Assert.Equal("SM-2026-000123@jtai-strategy", ev.Uid);
        Assert.Equal(CalendarMethod.Request, ev.Method);
        Assert.Equal(TestData.Now, ev.DtStamp);
        var attendee = Assert.Single(ev.Attendees);
        Assert.Equal(new CalendarAttendee("dana.officer@police.example", "Dana Officer", Rsvp: true), attendee);
    }

    [Fact]
    public void Reschedule_says_rescheduled_shows_the_previous_time_and_bumps_sequence()
    {
        var details = TestData.Invitation(sequence: 1) with
        {
            Start = new DateTimeOffset(2026, 6, 25, 13, 0, 0, TimeSpan.Zero),
            End = new DateTimeOffset(2026, 6, 25, 14, 0, 0, TimeSpan.Zero),
            PreviousStart = new DateTimeOffset(2026, 6, 24, 9, 0, 0, TimeSpan.Zero),
            PreviousEnd = new DateTimeOffset(2026, 6, 24, 10, 30, 0, TimeSpan.Zero),
        };
        var rendered = _renderer.RenderReschedule(details);

        Assert.Equal("Strategy meeting SM-2026-000123 – rescheduled", rendered.Subject);
        Assert.Contains("Strategy meeting SM-2026-000123 has been rescheduled.", rendered.TextBody);
        Assert.Contains("New time: Thursday 25 June 2026, 14:00 to 15:00 (UK time)", rendered.TextBody);
        Assert.Contains("Previous time: Wednesday 24 June 2026, 10:00 to 11:30 (UK time)", rendered.TextBody);
        Assert.Contains("Please answer again by", rendered.TextBody);
        var lines = CalendarWriterTests.Unfolded(rendered.Calendar!.Content);
        Assert.Contains("SEQUENCE:1", lines);
        Assert.Contains("METHOD:REQUEST", lines);
        Assert.Contains("DTSTART:20260625T130000Z", lines);
    }

    [Fact]
    public void Reschedule_without_a_higher_sequence_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _renderer.RenderReschedule(TestData.Invitation(sequence: 0)));
    }

    [Fact]
    public void Cancellation_says_cancelled_with_reason_and_cancels_the_calendar_entry()
    {
        var rendered = _renderer.RenderCancellation(TestData.Cancellation(sequence: 2));

        Assert.Equal("Strategy meeting SM-2026-000123 – cancelled", rendered.Subject);
        Assert.Contains("Strategy meeting SM-2026-000123 has been cancelled.", rendered.TextBody);
        Assert.Contains("Reason: The meeting is no longer needed.", rendered.TextBody);
        Assert.Contains("Was planned for: Wednesday 24 June 2026, 10:00 to 11:30 (UK time)", rendered.TextBody);
        Assert.Contains("You do not need to do anything.", rendered.TextBody);
        Assert.Contains("has been cancelled.</strong>", rendered.HtmlBody);
        Assert.Equal(CalendarMethod.Cancel, rendered.Calendar!.Method);
        Assert.Equal("cancel.ics", rendered.Calendar.FileName);
        var ev = rendered.CalendarEvent!;
        Assert.Equal(CalendarEventStatus.Cancelled, ev.Status);
        Assert.Equal(2, ev.Sequence);
        Assert.Equal("SM-2026-000123@jtai-strategy", ev.Uid);
        Assert.False(Assert.Single(ev.Attendees).Rsvp);
        Assert.Throws<ArgumentException>(() => _renderer.RenderCancellation(TestData.Cancellation(sequence: 0)));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/x")]
    public void Links_must_be_absolute_http_urls(string link)
    {
        Assert.Throws<ArgumentException>(() => _renderer.RenderInvitation(TestData.Invitation() with { ResponseLink = new Uri(link) }));
    }

    [Fact]
    public void Multi_line_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _renderer.RenderInvitation(TestData.Invitation() with { RecipientName = "Dana\nBcc: x@y" }));
    }

    [Fact]
    public void Inputs_carry_no_fields_about_the_child_or_family()
    {
        // The minimal data rule is enforced by the shape of the inputs: adding a field here is a design decision to review.
        string[] allowed =
        [
            "MeetingReference", "Start", "End", "DialInNumber", "ConferenceCode", "Pin", "ResponseLink", "SignInLink",
            "RecipientName", "RecipientEmail", "AgencyName", "TeamName", "ReplyBy", "Organizer", "Sequence", "CalendarUid",
            "PreviousStart", "PreviousEnd",
        ];
        Assert.Equal(allowed.Order(), typeof(InvitationDetails).GetProperties().Select(p => p.Name).Order());
        Assert.Equal(
            ["AgencyName", "CalendarUid", "End", "MeetingReference", "Organizer", "Reason", "RecipientEmail", "RecipientName", "Sequence", "SignInLink", "Start", "TeamName"],
            typeof(CancellationDetails).GetProperties().Select(p => p.Name).Order());
        Assert.Equal(
            ["MeetingReference", "RecipientName", "SignInLink", "TeamName"],
            typeof(ActionsCirculatedDetails).GetProperties().Select(p => p.Name).Order());
        Assert.Equal(
            ["ConferenceCode", "DialInNumber", "End", "MeetingReference", "Pin", "RecipientName", "ReplyBy", "ResponseLink", "SignInLink", "Start", "TeamName"],
            typeof(ReminderDetails).GetProperties().Select(p => p.Name).Order());
    }

    [Fact]
    public void Reminder_repeats_time_dial_in_and_response_link_without_a_calendar_object()
    {
        var email = _renderer.RenderReminder(TestData.Reminder());

        Assert.Equal("Strategy meeting SM-2026-000123 \u2013 reminder: please answer", email.Subject);
        Assert.Contains("Dear Dana Officer,", email.TextBody);
        Assert.Contains("When: Wednesday 24 June 2026, 10:00 to 11:30 (UK time)", email.TextBody);
        Assert.Contains("Phone: 0300 123 4567", email.TextBody);
        Assert.Contains("Conference code: 918273", email.TextBody);
        Assert.Contains("PIN: 4321", email.TextBody);
        Assert.Contains("Please answer by Monday 22 June 2026, 17:00 (UK time).", email.TextBody);
        Assert.Contains("Response link: https://strategy.example.gov.uk/respond/7f3c9a?token=abc123", email.TextBody);
        Assert.Contains("<a href=\"tel:03001234567\">0300 123 4567</a>", email.HtmlBody);
        Assert.Null(email.Calendar);
        Assert.Null(email.CalendarEvent);
        foreach (var forbidden in TestData.ForbiddenCaseValues)
        {
            Assert.DoesNotContain(forbidden, email.TextBody + email.HtmlBody + email.ShortText, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Reminder_refuses_missing_links_and_multi_line_names()
    {
        Assert.Throws<ArgumentException>(() => _renderer.RenderReminder(TestData.Reminder() with { ResponseLink = new Uri("mailto:x@y.example") }));
        Assert.Throws<ArgumentException>(() => _renderer.RenderReminder(TestData.Reminder() with { RecipientName = "Dana\nBcc: x@y" }));
    }

    [Fact]
    public void Short_text_for_sms_like_channels_has_reference_time_and_link_only()
    {
        var shortText = _renderer.RenderInvitation(TestData.Invitation()).ShortText;
        Assert.Contains("SM-2026-000123", shortText);
        Assert.Contains("Wed 24 Jun 2026 10:00", shortText);
        Assert.Contains("https://strategy.example.gov.uk/respond/7f3c9a?token=abc123", shortText);
    }
}
