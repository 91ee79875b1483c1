using System.Text;
using static Jtai.Strategy.Notifications.Delivery.Rendering.RenderingText;

namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>
/// Renders strategy-meeting invitations, reschedules and cancellations: subject, plain-text and HTML bodies in plain
/// language, and the iCalendar object (REQUEST, or CANCEL with STATUS:CANCELLED). Only the meeting reference, time,
/// dial-in number, conference code, PIN, response link and sign-in link are included — never case details.
/// Stateless and thread-safe.
/// </summary>
public sealed class InvitationEmailRenderer
{
    private readonly InvitationRenderingOptions _options;
    private readonly ICalendarWriter _calendarWriter;
    private readonly TimeProvider _timeProvider;

    public InvitationEmailRenderer(
        InvitationRenderingOptions? options = null,
        ICalendarWriter? calendarWriter = null,
        TimeProvider? timeProvider = null)
    {
        _options = options ?? new InvitationRenderingOptions();
        _calendarWriter = calendarWriter ?? new CalendarWriter();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The default calendar UID of a meeting: <c>{meetingReference}@{domain}</c>, stable across reschedules and cancellation.</summary>
    public string CalendarUidFor(string meetingReference) => $"{meetingReference}@{_options.CalendarUidDomain}";

    /// <summary>The first invitation ("Strategy meeting SM-… – invitation"), METHOD:REQUEST.</summary>
    public RenderedEmail RenderInvitation(InvitationDetails details)
    {
        Validate(details);
        return RenderRequest(details, rescheduled: false);
    }

    /// <summary>A new time for the same meeting ("… – rescheduled"): same UID, <see cref="InvitationDetails.Sequence"/> must be ≥ 1.</summary>
    public RenderedEmail RenderReschedule(InvitationDetails details)
    {
        Validate(details);
        if (details.Sequence < 1)
        {
            throw new ArgumentException("A reschedule needs a SEQUENCE higher than the original invitation's (≥ 1).", nameof(details));
        }

        return RenderRequest(details, rescheduled: true);
    }

    /// <summary>
    /// The reminder ("… – reminder: please answer") to a recipient who has not answered yet. No calendar object: the
    /// invitation already carried it, and repeating it could only confuse the calendar's revision (SEQUENCE).
    /// </summary>
    public RenderedEmail RenderReminder(ReminderDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Require(details.MeetingReference, nameof(details.MeetingReference));
        RequireDialIn(details.DialInNumber, details.ConferenceCode, details.Pin);
        Require(details.RecipientName, nameof(details.RecipientName));
        Require(details.TeamName, nameof(details.TeamName));
        RequireLink(details.ResponseLink, nameof(details.ResponseLink));
        RequireLink(details.SignInLink, nameof(details.SignInLink));
        if (details.End <= details.Start)
        {
            throw new ArgumentException("The meeting must end after it starts.", nameof(details));
        }

        var reference = details.MeetingReference.Trim();
        var subject = Subject(reference, "reminder: please answer");
        var when = When(details.Start, details.End, _options);
        var replyBy = At(details.ReplyBy, _options);
        var dialIn = details.DialInNumber.Trim();
        var code = details.ConferenceCode.Trim();
        var pin = details.Pin.Trim();
        var team = details.TeamName.Trim();

        var text = new StringBuilder()
            .Append("Dear ").Append(details.RecipientName.Trim()).Append(",\n\n")
            .Append("We have not had your answer to the invitation to strategy meeting ").Append(reference).Append(".\n\n")
            .Append("Meeting reference: ").Append(reference).Append('\n')
            .Append("When: ").Append(when).Append("\n\n")
            .Append(DialInText(dialIn, code, pin)).Append('\n')
            .Append("How to answer\n")
            .Append("Please answer by ").Append(replyBy).Append(". If you cannot attend, you can send a written contribution or decline.\n")
            .Append("Response link: ").Append(Link(details.ResponseLink)).Append("\n\n")
            .Append(CaseDetailsText(details.SignInLink))
            .Append(team).Append('\n')
            .ToString();

        var html = new StringBuilder()
            .Append("<p>Dear ").Append(Html(details.RecipientName.Trim())).Append(",</p>\n")
            .Append("<p>We have not had your answer to the invitation to strategy meeting <strong>").Append(Html(reference)).Append("</strong>.</p>\n")
            .Append("<ul>\n")
            .Append("<li>Meeting reference: <strong>").Append(Html(reference)).Append("</strong></li>\n")
            .Append("<li>When: <strong>").Append(Html(when)).Append("</strong></li>\n")
            .Append("</ul>\n")
            .Append(DialInHtml(dialIn, code, pin))
            .Append("<h2 style=\"font-size: 18px;\">How to answer</h2>\n")
            .Append("<p>Please answer by <strong>").Append(Html(replyBy)).Append("</strong>. If you cannot attend, you can send a written contribution or decline.</p>\n")
            .Append("<p>").Append(HtmlLink(details.ResponseLink, "Answer the invitation")).Append("</p>\n")
            .Append(CaseDetailsHtml(details.SignInLink))
            .Append("<p>").Append(Html(team)).Append("</p>\n")
            .ToString();

        var shortText = $"{subject}: {ShortWhen(details.Start, _options)}. Answer by {ShortWhen(details.ReplyBy, _options)}: {Link(details.ResponseLink)}";
        return new RenderedEmail(subject, text, HtmlDocument(subject, html), shortText);
    }

    /// <summary>The cancellation ("… – cancelled"): METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE.</summary>
    public RenderedEmail RenderCancellation(CancellationDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Require(details.MeetingReference, nameof(details.MeetingReference));
        Require(details.RecipientName, nameof(details.RecipientName));
        Require(details.RecipientEmail, nameof(details.RecipientEmail));
        Require(details.AgencyName, nameof(details.AgencyName));
        Require(details.TeamName, nameof(details.TeamName));
        Require(details.Reason, nameof(details.Reason));
        RequireLink(details.SignInLink, nameof(details.SignInLink));
        ArgumentNullException.ThrowIfNull(details.Organizer);
        // The contract (InvitationCancelled): the meetings service raises the sequence on cancelling, so a CANCEL is ≥ 1
        // even for a meeting never rescheduled; anything lower would be ignored by calendars holding the REQUEST.
        if (details.Sequence < 1)
        {
            throw new ArgumentException("A cancellation needs a SEQUENCE higher than the invitation's (≥ 1).", nameof(details));
        }

        var reference = details.MeetingReference.Trim();
        var subject = Subject(reference, "cancelled");
        var when = When(details.Start, details.End, _options);
        var reason = details.Reason.Trim();

        var text = new StringBuilder()
            .Append("Dear ").Append(details.RecipientName.Trim()).Append(",\n\n")
            .Append("Strategy meeting ").Append(reference).Append(" has been cancelled.\n\n")
            .Append("Meeting reference: ").Append(reference).Append('\n')
            .Append("Was planned for: ").Append(when).Append('\n')
            .Append("Reason: ").Append(reason).Append("\n\n")
            .Append("You do not need to do anything. If the meeting is in your calendar, the attached cancellation lets your calendar remove it.\n\n")
            .Append(CaseDetailsText(details.SignInLink))
            .Append('\n').Append(details.TeamName.Trim()).Append('\n')
            .ToString();

        var html = new StringBuilder()
            .Append("<p>Dear ").Append(Html(details.RecipientName.Trim())).Append(",</p>\n")
            .Append("<p><strong>Strategy meeting ").Append(Html(reference)).Append(" has been cancelled.</strong></p>\n")
            .Append("<ul>\n")
            .Append("<li>Meeting reference: ").Append(Html(reference)).Append("</li>\n")
            .Append("<li>Was planned for: ").Append(Html(when)).Append("</li>\n")
            .Append("<li>Reason: ").Append(Html(reason)).Append("</li>\n")
            .Append("</ul>\n")
            .Append("<p>You do not need to do anything. If the meeting is in your calendar, the attached cancellation lets your calendar remove it.</p>\n")
            .Append(CaseDetailsHtml(details.SignInLink))
            .Append("<p>").Append(Html(details.TeamName.Trim())).Append("</p>\n")
            .ToString();

        var calendarEvent = new CalendarEvent
        {
            Uid = details.CalendarUid ?? CalendarUidFor(reference),
            Sequence = details.Sequence,
            Method = CalendarMethod.Cancel,
            Status = CalendarEventStatus.Cancelled,
            Start = details.Start,
            End = details.End,
            DtStamp = _timeProvider.GetUtcNow(),
            Summary = "Cancelled: strategy meeting " + reference,
            Description = $"Strategy meeting {reference} has been cancelled.\nReason: {reason}\nCase details are available only after signing in: {Link(details.SignInLink)}",
            Organizer = details.Organizer,
            Attendees = [new CalendarAttendee(details.RecipientEmail.Trim(), details.RecipientName.Trim(), Rsvp: false)],
        };

        return Build(subject, text, html, $"{subject}: {ShortWhen(details.Start, _options)}. Reason: {reason}", calendarEvent);
    }

    private RenderedEmail RenderRequest(InvitationDetails d, bool rescheduled)
    {
        var reference = d.MeetingReference.Trim();
        var subject = Subject(reference, rescheduled ? "rescheduled" : "invitation");
        var when = When(d.Start, d.End, _options);
        var replyBy = At(d.ReplyBy, _options);
        var previous = rescheduled && d.PreviousStart is { } ps && d.PreviousEnd is { } pe ? When(ps, pe, _options) : null;
        var dialIn = d.DialInNumber.Trim();
        var code = d.ConferenceCode.Trim();
        var pin = d.Pin.Trim();
        var team = d.TeamName.Trim();

        var text = new StringBuilder()
            .Append("Dear ").Append(d.RecipientName.Trim()).Append(",\n\n");
        if (rescheduled)
        {
            text.Append("Strategy meeting ").Append(reference).Append(" has been rescheduled. Please note the new time.\n\n");
        }
        else
        {
            text.Append(team).Append(" invites ").Append(d.AgencyName.Trim()).Append(" to a strategy meeting.\n\n");
        }

        text.Append("Meeting reference: ").Append(reference).Append('\n')
            .Append(rescheduled ? "New time: " : "When: ").Append(when).Append('\n');
        if (previous is not null)
        {
            text.Append("Previous time: ").Append(previous).Append('\n');
        }

        text.Append('\n')
            .Append(DialInText(dialIn, code, pin))
            .Append("Call the number, then enter the conference code and the PIN when asked.\n\n")
            .Append("How to answer\n")
            .Append(rescheduled ? "Please answer again by " : "Please answer by ").Append(replyBy).Append('.')
            .Append(rescheduled ? " Your earlier answer may not suit the new time.\n" : "\n")
            .Append("Open the response link and choose one of:\n")
            .Append("- attend in person\n")
            .Append("- join by dial-in\n")
            .Append("- send a written contribution\n")
            .Append("- decline\n")
            .Append("Response link: ").Append(Link(d.ResponseLink)).Append("\n\n")
            .Append(CaseDetailsText(d.SignInLink))
            .Append("The attached calendar invitation adds the meeting to your calendar.\n\n")
            .Append(team).Append('\n');

        var html = new StringBuilder()
            .Append("<p>Dear ").Append(Html(d.RecipientName.Trim())).Append(",</p>\n");
        if (rescheduled)
        {
            html.Append("<p><strong>Strategy meeting ").Append(Html(reference)).Append(" has been rescheduled.</strong> Please note the new time.</p>\n");
        }
        else
        {
            html.Append("<p>").Append(Html(team)).Append(" invites ").Append(Html(d.AgencyName.Trim())).Append(" to a strategy meeting.</p>\n");
        }

        html.Append("<ul>\n")
            .Append("<li>Meeting reference: <strong>").Append(Html(reference)).Append("</strong></li>\n")
            .Append("<li>").Append(rescheduled ? "New time: " : "When: ").Append("<strong>").Append(Html(when)).Append("</strong></li>\n");
        if (previous is not null)
        {
            html.Append("<li>Previous time: ").Append(Html(previous)).Append("</li>\n");
        }

        html.Append("</ul>\n")
            .Append(DialInHtml(dialIn, code, pin))
            .Append("<p>Call the number, then enter the conference code and the PIN when asked.</p>\n")
            .Append("<h2 style=\"font-size: 18px;\">How to answer</h2>\n")
            .Append("<p>").Append(rescheduled ? "Please answer again by " : "Please answer by ").Append("<strong>").Append(Html(replyBy)).Append("</strong>.")
            .Append(rescheduled ? " Your earlier answer may not suit the new time." : string.Empty).Append("</p>\n")
            .Append("<p>Open the response link and choose one of:</p>\n")
            .Append("<ul>\n<li>attend in person</li>\n<li>join by dial-in</li>\n<li>send a written contribution</li>\n<li>decline</li>\n</ul>\n")
            .Append("<p>").Append(HtmlLink(d.ResponseLink, "Answer the invitation")).Append("</p>\n")
            .Append(CaseDetailsHtml(d.SignInLink))
            .Append("<p>The attached calendar invitation adds the meeting to your calendar.</p>\n")
            .Append("<p>").Append(Html(team)).Append("</p>\n");

        var location = $"Dial-in {dialIn}, conference code {code}, PIN {pin}";
        var description = new StringBuilder()
            .Append("Strategy meeting ").Append(reference).Append(rescheduled ? " (rescheduled)" : string.Empty).Append(", organised by ").Append(team).Append('.').Append('\n')
            .Append("Dial in: ").Append(dialIn).Append('\n')
            .Append("Conference code: ").Append(code).Append('\n')
            .Append("PIN: ").Append(pin).Append('\n')
            .Append("Answer by ").Append(replyBy).Append(": ").Append(Link(d.ResponseLink)).Append('\n')
            .Append("Case details are available only after signing in: ").Append(Link(d.SignInLink))
            .ToString();

        var calendarEvent = new CalendarEvent
        {
            Uid = d.CalendarUid ?? CalendarUidFor(reference),
            Sequence = d.Sequence,
            Method = CalendarMethod.Request,
            Status = CalendarEventStatus.Confirmed,
            Start = d.Start,
            End = d.End,
            DtStamp = _timeProvider.GetUtcNow(),
            Summary = "Strategy meeting " + reference,
            Location = location,
            Description = description,
            Organizer = d.Organizer,
            Attendees = [new CalendarAttendee(d.RecipientEmail.Trim(), d.RecipientName.Trim(), Rsvp: true)],
        };

        var shortText = $"{subject}: {ShortWhen(d.Start, _options)}. Dial-in {dialIn}, code {code}, PIN {pin}. Answer by {ShortWhen(d.ReplyBy, _options)}: {Link(d.ResponseLink)}";
        return Build(subject, text.ToString(), html.ToString(), shortText, calendarEvent);
    }

    private RenderedEmail Build(string subject, string text, string htmlBody, string shortText, CalendarEvent calendarEvent)
    {
        var ics = _calendarWriter.Write(calendarEvent);
        return new RenderedEmail(
            subject,
            text,
            HtmlDocument(subject, htmlBody),
            shortText,
            calendarEvent,
            new CalendarAttachment(ics, calendarEvent.Method, calendarEvent.Method == CalendarMethod.Cancel ? "cancel.ics" : "invite.ics"));
    }

    /// <summary>The dial-in block of every notice that carries one (invitation, reschedule, reminder), as text.</summary>
    private static string DialInText(string dialIn, string code, string pin) =>
        $"How to dial in\nPhone: {dialIn}\nConference code: {code}\nPIN: {pin}\n";

    /// <summary>The same block as HTML; the number is a <c>tel:</c> link when it can be dialled as one.</summary>
    private static string DialInHtml(string dialIn, string code, string pin) =>
        "<h2 style=\"font-size: 18px;\">How to dial in</h2>\n<ul>\n"
        + "<li>Phone: " + (TelUri(dialIn) is { } tel ? $"<a href=\"{Html(tel)}\">{Html(dialIn)}</a>" : Html(dialIn)) + "</li>\n"
        + "<li>Conference code: " + Html(code) + "</li>\n"
        + "<li>PIN: " + Html(pin) + "</li>\n"
        + "</ul>\n";

    private static void RequireDialIn(string number, string conferenceCode, string pin)
    {
        Require(number, "DialInNumber");
        Require(conferenceCode, "ConferenceCode");
        Require(pin, "Pin");
    }

    internal static string CaseDetailsText(Uri signInLink) =>
        "Case details are available only after you sign in: " + Link(signInLink) + "\n"
        + "To protect the family's privacy, this e-mail contains no personal details. Please do not reply to it with case information.\n\n";

    internal static string CaseDetailsHtml(Uri signInLink) =>
        "<p>Case details are available only after you sign in: " + HtmlLink(signInLink, "Sign in to see the case details") + ".</p>\n"
        + "<p>To protect the family's privacy, this e-mail contains no personal details. Please do not reply to it with case information.</p>\n";

    private static void Validate(InvitationDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Require(details.MeetingReference, nameof(details.MeetingReference));
        RequireDialIn(details.DialInNumber, details.ConferenceCode, details.Pin);
        Require(details.RecipientName, nameof(details.RecipientName));
        Require(details.RecipientEmail, nameof(details.RecipientEmail));
        Require(details.AgencyName, nameof(details.AgencyName));
        Require(details.TeamName, nameof(details.TeamName));
        RequireLink(details.ResponseLink, nameof(details.ResponseLink));
        RequireLink(details.SignInLink, nameof(details.SignInLink));
        ArgumentNullException.ThrowIfNull(details.Organizer);
        if (details.End <= details.Start)
        {
            throw new ArgumentException("The meeting must end after it starts.", nameof(details));
        }
    }
}
