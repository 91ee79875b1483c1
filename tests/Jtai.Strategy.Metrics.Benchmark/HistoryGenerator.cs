using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using MassTransit;

namespace Jtai.Strategy.Metrics.Benchmark;

/// <summary>
/// A synthetic but plausible history of strategy meetings: eight teams, fourteen agencies invited with
/// Durham-like frequencies (about five per meeting), deputies after bounces and silences, late
/// convening, reschedules, cancellations, late and overdue circulations, and decisions not to convene.
/// Deterministic for a seed.
/// </summary>
public sealed class HistoryGenerator(int seed)
{
    private static readonly string[] Teams = ["FF-DURHAM", "FF-CHESTER", "FF-DERWENTSIDE", "FF-EASINGTON", "FF-SEDGEFIELD", "FF-TEESDALE", "FF-WEAR-VALLEY", "FF-SPENNYMOOR"];

    private static readonly (string Code, double Invited)[] Agencies =
    [
        ("DCC-CSC", 1.0), ("DURHAM-POLICE", 1.0), ("CDDFT", 0.9), ("GP", 0.35), ("DCC-EDUCATION", 0.45), ("HDFT", 0.3), ("NPS", 0.2),
        ("CRC", 0.1), ("YOS", 0.1), ("TEWV", 0.15), ("HUMANKIND", 0.1), ("CDDFT-MIDWIFERY", 0.08), ("NTHFT", 0.05), ("NYAS", 0.05),
    ];

    private static readonly string[] NotConveneReasons = ["BELOW-THRESHOLD", "SINGLE-AGENCY-RESPONSE", "EARLY-HELP", "ALREADY-OPEN"];
    private static readonly Uri Link = new("https://jtai.example/respond");

    private readonly Random random = new(seed);

    /// <summary>Meetings (as event lists) with decisions between <paramref name="from"/> and <paramref name="to"/>, until <paramref name="invitations"/> invitations were issued.</summary>
    public IEnumerable<List<(Guid MessageId, object Message)>> Meetings(DateTimeOffset from, DateTimeOffset to, long invitations)
    {
        var issued = 0L;
        var span = (to - from).TotalMinutes;
        while (issued < invitations)
        {
            var decision = from.AddMinutes(random.NextDouble() * span);
            var events = Meeting(decision);
            issued += events.Count(e => e.Message is InvitationIssued);
            yield return events;
        }
    }

    private List<(Guid MessageId, object Message)> Meeting(DateTimeOffset decision)
    {
        var events = new List<(Guid MessageId, object Message)>();
        void Add(object message) => events.Add((NewId.NextGuid(), message));

        var team = Teams[random.Next(Teams.Length)];
        var meetingId = NewId.NextGuid();
        var reference = $"SM-{decision.Year}-{random.Next(1_000_000):000000}";
        if (random.NextDouble() < 0.1)
        {
            Add(new DecisionNotToConveneRecorded(NewId.NextGuid(), team, "DomesticAbuse", NotConveneReasons[random.Next(NotConveneReasons.Length)], decision.AddMinutes(-30), decision.AddMinutes(-30)));
        }

        var incident = decision.AddHours(-1 - (random.NextDouble() * 47));
        var start = decision.AddHours(2 + (random.NextDouble() * (random.NextDouble() < 0.15 ? 96 : 22)));
        var agencies = Agencies.Where(a => random.NextDouble() < a.Invited).Select(a => a.Code).ToList();
        Add(new StrategyMeetingConvened(meetingId, reference, team, "DomesticAbuse", incident, decision, start, start.AddHours(1), start - decision > TimeSpan.FromHours(24), null, agencies, decision));

        var cancelled = random.NextDouble() < 0.03;
        var sequence = 0;
        if (!cancelled && random.NextDouble() < 0.05)
        {
            var previous = start;
            start = start.AddHours(4 + (random.NextDouble() * 44));
            Add(new StrategyMeetingRescheduled(meetingId, reference, previous, start, start.AddHours(1), ++sequence, "Agency unavailable", decision.AddHours(1)));
        }

        foreach (var agency in agencies)
        {
            var invitation = Issue(agency, RecipientRole.Primary, null);
            var answer = random.NextDouble();
            if (random.NextDouble() < 0.03)
            {
                // Bounced: superseded, and a deputy is invited instead.
                Add(new InvitationDeliveryFailed(invitation, meetingId, NewId.NextGuid(), "invitation", "email", "550 mailbox unavailable", decision.AddMinutes(3)));
                var deputy = Issue(agency, RecipientRole.DeputyAfterEscalation, invitation);
                Add(new InvitationSuperseded(invitation, meetingId, agency, SupersededReason.DeliveryFailed, deputy, decision.AddMinutes(4)));
                invitation = deputy;
            }
            else if (answer > 0.9 && random.NextDouble() < 0.5)
            {
                // No answer in time: the deputy gets it (and usually answers).
                var deputy = Issue(agency, RecipientRole.DeputyAfterEscalation, invitation);
                Add(new InvitationSuperseded(invitation, meetingId, agency, SupersededReason.NoAnswer, deputy, decision.AddHours(2)));
                invitation = deputy;
                answer = random.NextDouble() * 0.9;
            }

            Add(new InvitationDelivered(invitation, meetingId, NewId.NextGuid(), "invitation", "email", decision.AddMinutes(5)));
            InvitationAnswer? given = null;
            if (answer < 0.9)
            {
                given = answer switch { < 0.45 => InvitationAnswer.AttendInPerson, < 0.7 => InvitationAnswer.AttendByDialIn, < 0.82 => InvitationAnswer.ContributeInWriting, _ => InvitationAnswer.Decline };
                Add(new InvitationAnswered(invitation, meetingId, team, agency, NewId.NextGuid(), RecipientRole.Primary, given.Value, given == InvitationAnswer.Decline ? "Unavailable" : null,
                    given == InvitationAnswer.ContributeInWriting, random.NextDouble() < 0.85, true, decision.AddMinutes(10 + (random.NextDouble() * 300))));
            }

            if (!cancelled)
            {
                var mode = given switch
                {
                    InvitationAnswer.AttendInPerson => random.NextDouble() < 0.92 ? AttendanceMode.AttendedInPerson : AttendanceMode.Absent,
                    InvitationAnswer.AttendByDialIn => random.NextDouble() < 0.9 ? AttendanceMode.AttendedByDialIn : AttendanceMode.Absent,
                    InvitationAnswer.ContributeInWriting => AttendanceMode.WrittenContributionOnly,
                    _ => AttendanceMode.Absent,
                };
                Add(new AttendanceRecorded(meetingId, team, agency, mode, mode == AttendanceMode.Absent && given == InvitationAnswer.Decline, start.AddHours(1)));
            }
        }

        if (cancelled)
        {
            Add(new StrategyMeetingCancelled(meetingId, reference, "No longer needed", decision.AddHours(1)));
            return events;
        }

        var deadline = start.AddHours(25);
        var belowMinimum = random.NextDouble() < 0.08;
        var s47 = random.NextDouble() < 0.3;
        Add(new MeetingHeld(meetingId, reference, team, start, start.AddHours(1), belowMinimum, belowMinimum ? "Health absent" : null, s47, s47 && random.NextDouble() < 0.5, true, deadline, start.AddHours(1)));
        if (s47)
        {
            Add(new SectionFortySevenStarted(meetingId, reference, team, DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(start.UtcDateTime).AddDays(21), start.AddHours(1)));
        }

        var circulation = random.NextDouble();
        if (circulation < 0.9)
        {
            var at = start.AddHours(1 + (random.NextDouble() * 23));
            Add(new AgreedActionsCirculated(meetingId, reference, team, 1, 3, start.AddHours(1), deadline, at, true, [], Link, at));
        }
        else
        {
            Add(new ActionCirculationOverdue(meetingId, reference, team, deadline, 0, deadline));
            if (circulation < 0.97)
            {
                var at = deadline.AddHours(1 + (random.NextDouble() * 30));
                Add(new AgreedActionsCirculated(meetingId, reference, team, 1, 3, start.AddHours(1), deadline, at, false, [], Link, at));
            }
        }

        return events;

        Guid Issue(string agency, RecipientRole role, Guid? supersedes)
        {
            var id = NewId.NextGuid();
            Add(new InvitationIssued(id, meetingId, reference, team, team, agency, agency, new InvitationRecipient(NewId.NextGuid(), "SPOC", "spoc@example.org", role),
                new MeetingSlot(start, start.AddHours(1)), new DialIn("0191 000 0000", "123456", "4321"), new InvitationLinks(Link, Link, decision.AddHours(2)),
                sequence, supersedes, decision.AddMinutes(2)));
            return id;
        }
    }
}
