using System.Security.Cryptography;
using System.Text;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>One event as the meetings (or notifications) service would publish it, with its message id.</summary>
public sealed record ScriptedEvent(Guid MessageId, object Message)
{
    public override string ToString() => $"{Message.GetType().Name} {MessageId}";
}

/// <summary>
/// March 2026 in two Families First teams, as the meetings service would report it:
/// M1 on time; M2 convened late, police answered by a deputy after escalation, health declined late,
/// below the national minimum, circulation overdue then late; M3 with a GP written contribution,
/// an education invitation that bounced to a deputy, a section 47, and a circulation still overdue;
/// M4 rescheduled within March with a deputy covering health; M5 rescheduled into April; M6 cancelled;
/// three decisions not to convene in March and one in April. The expected figures are in
/// <see cref="ScriptedMonthTests"/>, computed by hand from this script.
/// </summary>
public static class ScriptedMonth
{
    public const string North = "FF-NORTH";
    public const string South = "FF-SOUTH";
    public const string Csc = "DCC-CSC";
    public const string Police = "DURHAM-POLICE";
    public const string Health = "CDDFT";
    public const string Gp = "GP";
    public const string Education = "DCC-EDUCATION";

    public static IReadOnlyList<ScriptedEvent> Events { get; } = Build();

    /// <summary>A stable id per name, so a second delivery of the script carries the same message ids.</summary>
    public static Guid Id(string name) => new(MD5.HashData(Encoding.UTF8.GetBytes("scripted-month:" + name)));

    public static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static IReadOnlyList<ScriptedEvent> Build()
    {
        var events = new List<ScriptedEvent>();
        void Add(string name, object message) => events.Add(new(Id(name), message));

        // M1: FF-NORTH, convened swiftly and held on 2 March.
        var m1 = new Meeting("M1", North, Incident: At(3, 1, 22), Decision: At(3, 2, 8), Start: At(3, 2, 14));
        Add("M1 convened", m1.Convened([Csc, Police, Health, Gp]));
        Add("M1 inv CSC", m1.Issued("CSC-1", Csc, RecipientRole.Primary));
        Add("M1 inv POL", m1.Issued("POL-1", Police, RecipientRole.Primary));
        Add("M1 inv HEALTH", m1.Issued("HEALTH-1", Health, RecipientRole.Primary));
        Add("M1 inv GP", m1.Issued("GP-1", Gp, RecipientRole.Primary));
        Add("M1 ans CSC", m1.Answered("CSC-1", Csc, RecipientRole.Primary, InvitationAnswer.AttendInPerson, withinLimit: true, At(3, 2, 9)));
        Add("M1 ans POL", m1.Answered("POL-1", Police, RecipientRole.Primary, InvitationAnswer.AttendByDialIn, withinLimit: true, At(3, 2, 9, 30)));
        Add("M1 ans HEALTH", m1.Answered("HEALTH-1", Health, RecipientRole.Primary, InvitationAnswer.ContributeInWriting, withinLimit: true, At(3, 2, 10)));
        Add("M1 held", m1.Held(belowMinimum: false, s47: false));
        Add("M1 att CSC", m1.Attendance(Csc, AttendanceMode.AttendedInPerson));
        Add("M1 att POL", m1.Attendance(Police, AttendanceMode.AttendedByDialIn));
        Add("M1 att HEALTH", m1.Attendance(Health, AttendanceMode.WrittenContributionOnly));
        Add("M1 att GP", m1.Attendance(Gp, AttendanceMode.Absent));
        Add("M1 circulated", m1.Circulated(version: 1, At(3, 2, 18)));
        Add("M1 amended", m1.Circulated(version: 2, At(3, 4, 12)));

        // M2: FF-NORTH, decision 6 March, meeting only on 9 March (late convening).
        var m2 = new Meeting("M2", North, Incident: At(3, 5, 20), Decision: At(3, 6, 9), Start: At(3, 9, 10));
        Add("M2 convened", m2.Convened([Csc, Police, Health], beyondLimit: true));
        Add("M2 inv CSC", m2.Issued("CSC-1", Csc, RecipientRole.Primary));
        Add("M2 inv POL", m2.Issued("POL-1", Police, RecipientRole.Primary));
        Add("M2 inv HEALTH", m2.Issued("HEALTH-1", Health, RecipientRole.Primary));
        Add("M2 POL superseded", m2.Superseded("POL-1", Police, SupersededReason.NoAnswer, "POL-2"));
        Add("M2 inv POL deputy", m2.Issued("POL-2", Police, RecipientRole.DeputyAfterEscalation, supersedes: "POL-1"));
        Add("M2 ans POL deputy", m2.Answered("POL-2", Police, RecipientRole.DeputyAfterEscalation, InvitationAnswer.AttendInPerson, withinLimit: true, At(3, 6, 15)));
        Add("M2 ans CSC", m2.Answered("CSC-1", Csc, RecipientRole.Primary, InvitationAnswer.AttendInPerson, withinLimit: true, At(3, 6, 10)));
        Add("M2 ans HEALTH", m2.Answered("HEALTH-1", Health, RecipientRole.Primary, InvitationAnswer.Decline, withinLimit: false, At(3, 8, 10)));
        Add("M2 held", m2.Held(belowMinimum: true, s47: false));
        Add("M2 att CSC", m2.Attendance(Csc, AttendanceMode.AttendedInPerson));
        Add("M2 att POL", m2.Attendance(Police, AttendanceMode.AttendedInPerson));
        Add("M2 att HEALTH", m2.Attendance(Health, AttendanceMode.Absent, withApologies: true));
        Add("M2 overdue", m2.Overdue(repeat: 0));
        Add("M2 circulated late", m2.Circulated(version: 1, At(3, 10, 16)));

        // M3: FF-SOUTH, 16 March; education's invitation bounced and went to a deputy; GP wrote in.
        var m3 = new Meeting("M3", South, Incident: At(3, 16, 7), Decision: At(3, 16, 10), Start: At(3, 16, 15));
        Add("M3 convened", m3.Convened([Csc, Police, Health, Gp, Education]));
        Add("M3 inv CSC", m3.Issued("CSC-1", Csc, RecipientRole.Primary));
        Add("M3 inv POL", m3.Issued("POL-1", Police, RecipientRole.Primary));
        Add("M3 inv HEALTH", m3.Issued("HEALTH-1", Health, RecipientRole.Primary));
        Add("M3 inv GP", m3.Issued("GP-1", Gp, RecipientRole.Primary));
        Add("M3 inv EDU", m3.Issued("EDU-1", Education, RecipientRole.Primary));
        Add("M3 del CSC", m3.Delivered("CSC-1"));
        Add("M3 del POL", m3.Delivered("POL-1"));
        Add("M3 del HEALTH", m3.Delivered("HEALTH-1"));
        Add("M3 del GP", m3.Delivered("GP-1"));
        Add("M3 EDU bounced", m3.DeliveryFailed("EDU-1"));
        Add("M3 EDU superseded", m3.Superseded("EDU-1", Education, SupersededReason.DeliveryFailed, "EDU-2"));
        Add("M3 inv EDU deputy", m3.Issued("EDU-2", Education, RecipientRole.DeputyAfterEscalation, supersedes: "EDU-1"));
        Add("M3 del EDU deputy", m3.Delivered("EDU-2"));
        Add("M3 ans CSC", m3.Answered("CSC-1", Csc, RecipientRole.Primary, InvitationAnswer.AttendInPerson, withinLimit: true, At(3, 16, 11)));
        Add("M3 ans POL", m3.Answered("POL-1", Police, RecipientRole.Primary, InvitationAnswer.AttendByDialIn, withinLimit: true, At(3, 16, 11)));
        Add("M3 ans HEALTH", m3.Answered("HEALTH-1", Health, RecipientRole.Primary, InvitationAnswer.AttendByDialIn, withinLimit: true, At(3, 16, 12)));
        Add("M3 ans GP", m3.Answered("GP-1", Gp, RecipientRole.Primary, InvitationAnswer.ContributeInWriting, withinLimit: true, At(3, 16, 12), written: true));
        Add("M3 ans EDU deputy", m3.Answered("EDU-2", Education, RecipientRole.DeputyAfterEscalation, InvitationAnswer.AttendInPerson, withinLimit: false, At(3, 16, 14, 50)));
        Add("M3 held", m3.Held(belowMinimum: false, s47: true));
        Add("M3 att CSC", m3.Attendance(Csc, AttendanceMode.AttendedInPerson));
        Add("M3 att POL", m3.Attendance(Police, AttendanceMode.AttendedByDialIn));
        Add("M3 att HEALTH", m3.Attendance(Health, AttendanceMode.AttendedByDialIn));
        Add("M3 att GP", m3.Attendance(Gp, AttendanceMode.WrittenContributionOnly));
        Add("M3 att EDU", m3.Attendance(Education, AttendanceMode.Absent));
        Add("M3 s47", m3.SectionFortySeven());
        Add("M3 overdue", m3.Overdue(repeat: 0));
        Add("M3 overdue again", m3.Overdue(repeat: 1));

        // M4: FF-SOUTH, convened for 20 March, moved to 23 March; a deputy covers health's SPOC.
        var m4 = new Meeting("M4", South, Incident: At(3, 19, 23), Decision: At(3, 20, 9), Start: At(3, 20, 15));
        Add("M4 convened", m4.Convened([Csc, Police, Health]));
        Add("M4 inv CSC", m4.Issued("CSC-1", Csc, RecipientRole.Primary));
        Add("M4 inv POL", m4.Issued("POL-1", Police, RecipientRole.Primary));
        Add("M4 inv HEALTH deputy", m4.Issued("HEALTH-1", Health, RecipientRole.DeputyCoveringAbsence));
        Add("M4 rescheduled", m4.Rescheduled(At(3, 23, 10), sequence: 1));
        m4 = m4 with { Start = At(3, 23, 10) };
        Add("M4 ans CSC", m4.Answered("CSC-1", Csc, RecipientRole.Primary, InvitationAnswer.AttendInPerson, withinLimit: true, At(3, 20, 10)));
        Add("M4 ans POL", m4.Answered("POL-1", Police, RecipientRole.Primary, InvitationAnswer.AttendByDialIn, withinLimit: true, At(3, 20, 10)));
        Add("M4 ans HEALTH deputy", m4.Answered("HEALTH-1", Health, RecipientRole.DeputyCoveringAbsence, InvitationAnswer.AttendInPerson, withinLimit: true, At(3, 20, 11)));
        Add("M4 held", m4.Held(belowMinimum: false, s47: false));
        Add("M4 att CSC", m4.Attendance(Csc, AttendanceMode.AttendedInPerson));
        Add("M4 att POL", m4.Attendance(Police, AttendanceMode.AttendedByDialIn));
        Add("M4 att HEALTH", m4.Attendance(Health, AttendanceMode.AttendedInPerson));
        Add("M4 circulated", m4.Circulated(version: 1, At(3, 23, 12)));

        // M5: FF-NORTH, convened 30 March and moved to 2 April: its figures belong to April.
        var m5 = new Meeting("M5", North, Incident: At(3, 30, 6), Decision: At(3, 30, 9), Start: At(3, 30, 16));
        Add("M5 convened", m5.Convened([Csc, Police]));
        Add("M5 inv CSC", m5.Issued("CSC-1", Csc, RecipientRole.Primary));
        Add("M5 inv POL", m5.Issued("POL-1", Police, RecipientRole.Primary));
        Add("M5 rescheduled", m5.Rescheduled(At(4, 2, 10), sequence: 1));

        // M6: FF-NORTH, convened and cancelled: counts nowhere.
        var m6 = new Meeting("M6", North, Incident: At(3, 24, 20), Decision: At(3, 25, 8), Start: At(3, 25, 14));
        Add("M6 convened", m6.Convened([Csc, Police]));
        Add("M6 inv CSC", m6.Issued("CSC-1", Csc, RecipientRole.Primary));
        Add("M6 inv POL", m6.Issued("POL-1", Police, RecipientRole.Primary));
        Add("M6 ans CSC", m6.Answered("CSC-1", Csc, RecipientRole.Primary, InvitationAnswer.AttendInPerson, withinLimit: true, At(3, 25, 9)));
        Add("M6 cancelled", new StrategyMeetingCancelled(m6.Id, m6.Reference, "Child moved out of area", At(3, 25, 11)));

        // Decisions not to convene (threshold consistency).
        Add("D1", new DecisionNotToConveneRecorded(Id("D1 decision"), North, "DomesticAbuse", "BELOW-THRESHOLD", At(3, 4, 10), At(3, 4, 10)));
        Add("D2", new DecisionNotToConveneRecorded(Id("D2 decision"), South, "DomesticAbuse", "BELOW-THRESHOLD", At(3, 11, 10), At(3, 11, 10)));
        Add("D3", new DecisionNotToConveneRecorded(Id("D3 decision"), South, "Neglect", "SINGLE-AGENCY-RESPONSE", At(3, 12, 15), At(3, 12, 15)));
        Add("D4", new DecisionNotToConveneRecorded(Id("D4 decision"), North, "DomesticAbuse", "BELOW-THRESHOLD", At(4, 2, 10), At(4, 2, 10)));
        return events;
    }

    /// <summary>Builds one meeting's events; names (M1, CSC-1, ...) become stable ids.</summary>
    private sealed record Meeting(string Name, string Team, DateTimeOffset Incident, DateTimeOffset Decision, DateTimeOffset Start)
    {
        public Guid Id => ScriptedMonth.Id(Name);

        public string Reference => $"SM-2026-{Name}";

        private Guid Invitation(string name) => ScriptedMonth.Id($"{Name} {name}");

        public StrategyMeetingConvened Convened(IReadOnlyList<string> agencies, bool beyondLimit = false) =>
            new(Id, Reference, Team, "DomesticAbuse", Incident, Decision, Start, Start.AddHours(1), beyondLimit, beyondLimit ? "Police unavailable" : null, agencies, Decision.AddMinutes(5));

        public InvitationIssued Issued(string invitation, string agency, RecipientRole role, string? supersedes = null) =>
            new(Invitation(invitation), Id, Reference, Team, Team + " team", agency, agency + " agency",
                new InvitationRecipient(ScriptedMonth.Id(agency + " spoc " + role), "A SPOC", "spoc@example.org", role), new MeetingSlot(Start, Start.AddHours(1)),
                new DialIn("0191 000 0000", "123456", "4321"), new InvitationLinks(new Uri("https://jtai.example/respond"), new Uri("https://jtai.example/sign-in"), Decision.AddHours(2)),
                0, supersedes is null ? null : Invitation(supersedes), Decision.AddMinutes(6));

        public InvitationAnswered Answered(string invitation, string agency, RecipientRole role, InvitationAnswer answer, bool withinLimit, DateTimeOffset at, bool written = false) =>
            new(Invitation(invitation), Id, Team, agency, ScriptedMonth.Id(agency + " spoc " + role), role, answer, answer == InvitationAnswer.Decline ? "Not available" : null,
                written, withinLimit, AnsweredByLink: true, at);

        public InvitationSuperseded Superseded(string invitation, string agency, SupersededReason reason, string by) =>
            new(Invitation(invitation), Id, agency, reason, Invitation(by), Decision.AddHours(2));

        public InvitationDelivered Delivered(string invitation) =>
            new(Invitation(invitation), Id, ScriptedMonth.Id($"{Name} {invitation} source"), "invitation", "email", Decision.AddMinutes(7));

        public InvitationDeliveryFailed DeliveryFailed(string invitation) =>
            new(Invitation(invitation), Id, ScriptedMonth.Id($"{Name} {invitation} source"), "invitation", "email", "550 mailbox unavailable", Decision.AddMinutes(8));

        public StrategyMeetingRescheduled Rescheduled(DateTimeOffset to, int sequence) =>
            new(Id, Reference, Start, to, to.AddHours(1), sequence, "Police unavailable", Decision.AddHours(3));

        public MeetingHeld Held(bool belowMinimum, bool s47) =>
            new(Id, Reference, Team, Start, Start.AddHours(1), belowMinimum, belowMinimum ? "Health did not attend" : null, s47, false, true, Start.AddHours(25), Start.AddHours(1));

        public AttendanceRecorded Attendance(string agency, AttendanceMode mode, bool withApologies = false) =>
            new(Id, Team, agency, mode, withApologies, Start.AddHours(1));

        public AgreedActionsCirculated Circulated(int version, DateTimeOffset at) =>
            new(Id, Reference, Team, version, 3, Start.AddHours(1), Start.AddHours(25), at, at <= Start.AddHours(25), [], new Uri("https://jtai.example/sign-in"), at);

        public ActionCirculationOverdue Overdue(int repeat) =>
            new(Id, Reference, Team, Start.AddHours(25), repeat, Start.AddHours(25 + (24 * repeat)));

        public SectionFortySevenStarted SectionFortySeven() =>
            new(Id, Reference, Team, DateOnly.FromDateTime(Start.UtcDateTime), DateOnly.FromDateTime(Start.UtcDateTime).AddDays(21), Start.AddHours(1));
    }
}
