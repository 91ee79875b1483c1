using Jtai.Strategy.Notifications.Delivery.Rendering;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Support;

internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    /// <summary>
    /// The case behind the meeting, as the Meetings service holds it. None of these values may ever reach an e-mail;
    /// tests pass only the allowed fields to the renderers and then look for these everywhere in the output.
    /// </summary>
    public static readonly string[] ForbiddenCaseValues =
    [
        "Amelia", "Hartley-Testchild", "14 June 2015", "2015-06-14", "14/06/2015", "12 Example Road", "Testville", "NX1 2AB",
    ];

    public static InvitationDetails Invitation(string recipientEmail = "dana.officer@police.example", int sequence = 0) => new()
    {
        MeetingReference = "SM-2026-000123",
        // 10:00–11:30 UK time; 24 June is British Summer Time (UTC+1), so 09:00Z–10:30Z.
        Start = new DateTimeOffset(2026, 6, 24, 9, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2026, 6, 24, 10, 30, 0, TimeSpan.Zero),
        DialInNumber = "0300 123 4567",
        ConferenceCode = "918273",
        Pin = "4321",
        ResponseLink = new Uri("https://strategy.example.gov.uk/respond/7f3c9a?token=abc123"),
        SignInLink = new Uri("https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123"),
        RecipientName = "Dana Officer",
        RecipientEmail = recipientEmail,
        AgencyName = "Northshire Police",
        TeamName = "Northshire Children's Services, MASH",
        ReplyBy = new DateTimeOffset(2026, 6, 22, 16, 0, 0, TimeSpan.Zero),
        Organizer = new CalendarOrganizer("mash-strategy@northshire.example", "Northshire MASH; strategy meetings"),
        Sequence = sequence,
    };

    public static ReminderDetails Reminder() => new()
    {
        MeetingReference = "SM-2026-000123",
        Start = new DateTimeOffset(2026, 6, 24, 9, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2026, 6, 24, 10, 30, 0, TimeSpan.Zero),
        DialInNumber = "0300 123 4567",
        ConferenceCode = "918273",
        Pin = "4321",
        ResponseLink = new Uri("https://strategy.example.gov.uk/respond/7f3c9a?token=abc123"),
        SignInLink = new Uri("https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123"),
        RecipientName = "Dana Officer",
        TeamName = "Northshire Children's Services, MASH",
        ReplyBy = new DateTimeOffset(2026, 6, 22, 16, 0, 0, TimeSpan.Zero),
    };

    public static CancellationDetails Cancellation(int sequence = 2) => new()
    {
        MeetingReference = "SM-2026-000123",
        Start = new DateTimeOffset(2026, 6, 24, 9, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2026, 6, 24, 10, 30, 0, TimeSpan.Zero),
        SignInLink = new Uri("https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123"),
        RecipientName = "Dana Officer",
        RecipientEmail = "dana.officer@police.example",
        AgencyName = "Northshire Police",
        TeamName = "Northshire Children's Services, MASH",
        Organizer = new CalendarOrganizer("mash-strategy@northshire.example", "Northshire MASH; strategy meetings"),
        Reason = "The meeting is no longer needed.",
        Sequence = sequence,
    };

    public static CalendarEvent Event(string description = "Plain description") => new()
    {
        Uid = "SM-2026-000123@jtai-strategy",
        Sequence = 0,
        Method = CalendarMethod.Request,
        Start = new DateTimeOffset(2026, 6, 24, 10, 0, 0, TimeSpan.FromHours(1)),
        End = new DateTimeOffset(2026, 6, 24, 11, 30, 0, TimeSpan.FromHours(1)),
        DtStamp = Now,
        Summary = "Strategy meeting SM-2026-000123",
        Location = "Dial-in 0300 123 4567, conference code 918273, PIN 4321",
        Description = description,
        Organizer = new CalendarOrganizer("mash-strategy@northshire.example", "Northshire MASH"),
        Attendees = [new CalendarAttendee("dana.officer@police.example", "Dana Officer")],
    };
}
