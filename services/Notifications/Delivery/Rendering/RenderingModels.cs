namespace Jtai.Strategy.Notifications.Delivery.Rendering;

/// <summary>
/// Inputs for an invitation or a reschedule. Deliberately nothing about the child or family: only the meeting reference,
/// time, dial-in details and links. Links must be absolute http(s) URLs.
/// </summary>
public sealed record InvitationDetails
{
    /// <summary>e.g. <c>SM-2026-000123</c>.</summary>
    public required string MeetingReference { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required string DialInNumber { get; init; }

    public required string ConferenceCode { get; init; }

    public required string Pin { get; init; }

    /// <summary>Where the recipient answers (attend in person / dial-in / written contribution / decline).</summary>
    public required Uri ResponseLink { get; init; }

    /// <summary>Where the recipient signs in to see case details.</summary>
    public required Uri SignInLink { get; init; }

    public required string RecipientName { get; init; }

    /// <summary>The recipient's address (the calendar ATTENDEE).</summary>
    public required string RecipientEmail { get; init; }

    /// <summary>The recipient's agency, e.g. "Northshire Police".</summary>
    public required string AgencyName { get; init; }

    /// <summary>The team that organises the meeting, e.g. "Northshire Children's Services – MASH".</summary>
    public required string TeamName { get; init; }

    public required DateTimeOffset ReplyBy { get; init; }

    /// <summary>The calendar ORGANIZER: the organising team's mailbox; calendar accept/decline replies go there.</summary>
    public required CalendarOrganizer Organizer { get; init; }

    /// <summary>0 for the first invitation; a reschedule needs a higher number than anything sent before for this meeting.</summary>
    public int Sequence { get; init; }

    /// <summary>Calendar UID, stable for the meeting; <see cref="InvitationEmailRenderer.CalendarUidFor"/> of the reference when null.</summary>
    public string? CalendarUid { get; init; }

    /// <summary>For a reschedule: the previous start, mentioned in the e-mail when given.</summary>
    public DateTimeOffset? PreviousStart { get; init; }

    /// <summary>For a reschedule: the previous end.</summary>
    public DateTimeOffset? PreviousEnd { get; init; }
}

/// <summary>Inputs for a cancellation. <see cref="Reason"/> must be a generic reason with no case or personal details.</summary>
public sealed record CancellationDetails
{
    public required string MeetingReference { get; init; }

    /// <summary>The start of the meeting being cancelled (as last sent).</summary>
    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required Uri SignInLink { get; init; }

    public required string RecipientName { get; init; }

    public required string RecipientEmail { get; init; }

    public required string AgencyName { get; init; }

    public required string TeamName { get; init; }

    public required CalendarOrganizer Organizer { get; init; }

    /// <summary>e.g. "The meeting is no longer needed." — no names, addresses or dates of birth.</summary>
    public required string Reason { get; init; }

    /// <summary>Must be higher than the SEQUENCE of every invitation/reschedule sent for this meeting.</summary>
    public required int Sequence { get; init; }

    public string? CalendarUid { get; init; }
}

/// <summary>Inputs for a reminder to a recipient who has not answered. Like the invitation, nothing about the child or family.</summary>
public sealed record ReminderDetails
{
    public required string MeetingReference { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required string DialInNumber { get; init; }

    public required string ConferenceCode { get; init; }

    public required string Pin { get; init; }

    public required Uri ResponseLink { get; init; }

    public required Uri SignInLink { get; init; }

    public required string RecipientName { get; init; }

    /// <summary>The team that organises the meeting (signs the e-mail).</summary>
    public required string TeamName { get; init; }

    public required DateTimeOffset ReplyBy { get; init; }
}

/// <summary>Inputs for the "agreed actions circulated" notice: the actions themselves are only available after signing in.</summary>
public sealed record ActionsCirculatedDetails
{
    public required string MeetingReference { get; init; }

    public required Uri SignInLink { get; init; }

    public string? RecipientName { get; init; }

    public string? TeamName { get; init; }
}

/// <summary>A rendered e-mail: subject, plain-text and HTML bodies, and for meeting notices the calendar object.</summary>
public sealed record RenderedEmail(
    string Subject,
    string TextBody,
    string HtmlBody,
    string ShortText,
    CalendarEvent? CalendarEvent = null,
    CalendarAttachment? Calendar = null)
{
    /// <summary>The channel-neutral content for an <see cref="OutgoingNotification"/>.</summary>
    public NotificationContent ToNotificationContent() => new()
    {
        Subject = Subject,
        TextBody = TextBody,
        HtmlBody = HtmlBody,
        Calendar = Calendar,
        ShortText = ShortText,
    };
}

/// <summary>How times are shown in e-mail bodies (calendar times are always UTC).</summary>
public sealed class InvitationRenderingOptions
{
    /// <summary>Europe/London when available on the machine, otherwise UTC.</summary>
    public TimeZoneInfo DisplayTimeZone { get; set; } = DefaultTimeZone();

    /// <summary>Shown after every time, e.g. "(UK time)".</summary>
    public string TimeZoneLabel { get; set; } = "UK time";

    /// <summary>Right-hand side of generated calendar UIDs: <c>{reference}@{domain}</c>.</summary>
    public string CalendarUidDomain { get; set; } = "jtai-strategy";

    private static TimeZoneInfo DefaultTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
