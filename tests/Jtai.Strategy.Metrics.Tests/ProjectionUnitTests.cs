using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Text;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Metrics.Apis;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Projection;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>The pure parts: the fold, the contributions, periods, exception rules and CSV. No servers.</summary>
public sealed class ProjectionUnitTests
{
    private static readonly ProjectionRules Rules = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"), TimeSpan.FromHours(24), ["GP"]);

    [Fact]
    public void Any_order_and_any_repetition_of_a_meetings_events_folds_to_the_same_facts_and_figures()
    {
        foreach (var meeting in ScriptedMonth.Events.GroupBy(e => ProjectedEvents.MeetingOf(e.Message)).Where(g => g.Key is not null))
        {
            var events = meeting.ToList();
            var expected = Describe(Fold(events));
            var random = new Random(meeting.Key!.Value.GetHashCode());
            for (var run = 0; run < 50; run++)
            {
                // A random order, with a random subset delivered again.
                var delivered = events.Concat(events.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();
                Assert.Equal(expected, Describe(Fold(delivered)));
            }
        }
    }

    [Fact]
    public void Facts_survive_their_json_round_trip_unchanged()
    {
        var events = ScriptedMonth.Events.Where(e => ProjectedEvents.MeetingOf(e.Message) == ScriptedMonth.Id("M3")).ToList();
        var facts = Fold(events);
        var copy = JsonSerializer.Deserialize<MeetingFacts>(JsonSerializer.Serialize(facts, ProjectedEvents.Json), ProjectedEvents.Json)!;
        Assert.Equal(Describe(facts), Describe(copy));

        // And folding more into the copy behaves like folding into the original.
        var extra = new ScriptedEvent(Guid.NewGuid(), new AgreedActionsCirculated(facts.MeetingId, "SM", "FF-SOUTH", 1, 2, ScriptedMonth.At(3, 16, 16), ScriptedMonth.At(3, 17, 16), ScriptedMonth.At(3, 18, 9), false, [], new Uri("https://x.example"), ScriptedMonth.At(3, 18, 9)));
        Assert.Equal(Describe(facts.Apply(extra.Message, extra.MessageId)), Describe(copy.Apply(extra.Message, extra.MessageId)));
        Assert.False(copy.OverdueOpen);
    }

    [Fact]
    public void Only_the_invitation_emails_own_receipt_marks_an_invitation_delivered_or_failed()
    {
        var meeting = ScriptedMonth.Id("receipts");
        var invitation = Guid.NewGuid();
        var facts = new MeetingFacts { MeetingId = meeting };
        var at = ScriptedMonth.At(3, 2, 9);

        // Receipts of other notices: the circulated actions (no invitation) and a failed reminder.
        facts.Apply(new InvitationDelivered(Guid.Empty, meeting, Guid.NewGuid(), DeliveryKinds.ActionsCirculated, "email", at, "DURHAM-POLICE"), Guid.NewGuid());
        facts.Apply(new InvitationDeliveryFailed(invitation, meeting, Guid.NewGuid(), DeliveryKinds.Reminder, "email", "550", at), Guid.NewGuid());
        Assert.Empty(facts.Invitations);

        facts.Apply(new InvitationDelivered(invitation, meeting, Guid.NewGuid(), DeliveryKinds.Invitation, "email", at), Guid.NewGuid());
        var only = Assert.Single(facts.Invitations);
        Assert.Equal(invitation, only.Key);
        Assert.True(only.Value.Delivered);
        Assert.False(only.Value.DeliveryFailed);
    }

    [Fact]
    public void An_answer_before_its_invitation_counts_once_the_invitation_arrives()
    {
        var meeting = ScriptedMonth.Id("early");
        var invitation = Guid.NewGuid();
        var facts = new MeetingFacts { MeetingId = meeting };
        facts.Apply(new InvitationAnswered(invitation, meeting, "FF-NORTH", "DURHAM-POLICE", Guid.NewGuid(), RecipientRole.Primary, InvitationAnswer.AttendByDialIn, null, false, true, true, ScriptedMonth.At(3, 2, 9)), Guid.NewGuid());
        Assert.DoesNotContain(Contributions.Of(facts, Rules), c => c.Key.Metric == MetricKeys.AnsweredWithinLimit);

        var issued = ScriptedMonth.Events.Select(e => e.Message).OfType<InvitationIssued>().First() with { InvitationId = invitation, MeetingId = meeting, AgencyCode = "DURHAM-POLICE" };
        facts.Apply(issued, Guid.NewGuid());
        var answered = Assert.Single(Contributions.Of(facts, Rules), c => c.Key.Metric == MetricKeys.AnsweredWithinLimit);
        Assert.Equal((1, 1), (answered.Numerator, answered.Denominator));
    }

    [Fact]
    public void The_delta_of_a_reschedule_moves_the_figures_to_the_new_day()
    {
        var m5 = ScriptedMonth.Events.Where(e => ProjectedEvents.MeetingOf(e.Message) == ScriptedMonth.Id("M5")).ToList();
        var before = Fold(m5.Where(e => e.Message is not StrategyMeetingRescheduled));
        var beforeContributions = Contributions.Of(before, Rules);
        var after = before.Apply(m5.Single(e => e.Message is StrategyMeetingRescheduled).Message, Guid.NewGuid());

        var delta = Contributions.Delta(beforeContributions, Contributions.Of(after, Rules), k => k);
        Assert.All(delta.Where(d => d.Key.Day == new DateOnly(2026, 3, 30)), d => Assert.True(d.Denominator < 0));
        Assert.All(delta.Where(d => d.Key.Day == new DateOnly(2026, 4, 2)), d => Assert.True(d.Denominator > 0));
        Assert.Equal(0, delta.Sum(d => d.Denominator));
        Assert.Empty(Contributions.Delta(beforeContributions, beforeContributions, k => k.ToMonth()));
    }

    [Theory]
    [InlineData("2026-Q1", "quarter", "2026-01-01", "2026-04-01")]
    [InlineData("2026-q4", "quarter", "2026-10-01", "2027-01-01")]
    [InlineData("2026-03", "month", "2026-03-01", "2026-04-01")]
    [InlineData("2026-W10", "week", "2026-03-02", "2026-03-09")]
    [InlineData("2026-W01", "week", "2025-12-29", "2026-01-05")]
    [InlineData("2026-03-02", "day", "2026-03-02", "2026-03-03")]
    public void Period_tokens_name_local_calendar_ranges(string token, string kind, string start, string end)
    {
        Assert.True(Period.TryParse(token, out var period));
        Assert.Equal((kind, DateOnly.Parse(start), DateOnly.Parse(end)), (period.Kind, period.Start, period.End));
        Assert.True(Period.TryParse(period.Label, out var again));
        Assert.Equal(period, again);
    }

    [Theory]
    [InlineData("2026-Q0")]
    [InlineData("2026-13")]
    [InlineData("2026-W54")]
    [InlineData("2026-02-30")]
    [InlineData("last quarter")]
    public void Invalid_period_tokens_are_refused(string token) => Assert.False(Period.TryParse(token, out _));

    [Fact]
    public void Local_dates_follow_british_summer_time()
    {
        // 23:30 UTC on 30 March 2026 is already 31 March in London (BST since 29 March).
        Assert.Equal(new DateOnly(2026, 3, 31), Rules.LocalDate(new DateTimeOffset(2026, 3, 30, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 2), Rules.LocalDate(new DateTimeOffset(2026, 3, 2, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.Zero), Rules.StartOf(new DateOnly(2026, 4, 1)));
    }

    [Fact]
    public void Exception_rules_judge_ratios_per_scope_and_respect_the_minimum_denominator()
    {
        var rules = new List<ExceptionRule>
        {
            new() { Key = "attendance", MetricKey = MetricKeys.Attended, Scope = ExceptionRule.PerAgency, Comparison = "lt", Threshold = 0.8, MinimumDenominator = 3 },
            new() { Key = "median", MetricKey = MetricKeys.DecisionToMeeting, Statistic = "median", Scope = ExceptionRule.PerTeam, Comparison = "gt", Threshold = 1440, PeriodKinds = [PeriodKinds.Quarter] },
        };
        var report = new MetricsReport(PeriodKinds.Quarter, "2026-Q1", new(2026, 1, 1), new(2026, 4, 1),
            [
                new(MetricKeys.Attended, 7, 10),
                new(MetricKeys.Attended, 3, 4, "CDDFT"),
                new(MetricKeys.Attended, 4, 5, "DURHAM-POLICE"),
                new(MetricKeys.Attended, 0, 2, "GP"),
            ],
            [new(MetricKeys.DecisionToMeeting, 3, 1500, 2000, null, "FF-NORTH"), new(MetricKeys.DecisionToMeeting, 3, 900, 2000, null, "FF-SOUTH"), new(MetricKeys.DecisionToMeeting, 6, 1600, 2000)],
            [],
            []);

        var breaches = ExceptionRuleEvaluator.Evaluate(rules, PeriodKinds.Quarter, report);
        Assert.Equal(["attendance|CDDFT|0.75", "median|FF-NORTH|1500"], breaches.Select(b => $"{b.RuleKey}|{b.AgencyCode}{b.TeamCode}|{b.Actual}"));
        Assert.Single(ExceptionRuleEvaluator.Evaluate(rules, PeriodKinds.Month, report));
    }

    [Fact]
    public void Misconfigured_rules_are_reported_with_their_position()
    {
        var options = new MetricsOptions
        {
            TimeZone = "Europe/Nowhere",
            ExceptionRules =
            [
                new() { Key = "a", MetricKey = "attendance.attended", Threshold = 80 },
                new() { Key = "a", MetricKey = "no.such.metric", Comparison = "below" },
                new() { Key = "b", MetricKey = MetricKeys.DecisionToMeeting, Scope = ExceptionRule.PerAgency },
            ],
        };

        var errors = options.Validate().ToList();
        Assert.Contains(errors, e => e.Contains("TimeZone", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Metrics:ExceptionRules:0:", StringComparison.Ordinal) && e.Contains("fraction", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Metrics:ExceptionRules:1:", StringComparison.Ordinal) && e.Contains("no.such.metric", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Metrics:ExceptionRules:1:", StringComparison.Ordinal) && e.Contains("Comparison", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Metrics:ExceptionRules:2:", StringComparison.Ordinal) && e.Contains("Statistic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'a' is used more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_quotes_separators_and_defuses_formulas()
    {
        var report = new MetricsReport(PeriodKinds.Custom, "2026-03-01..2026-03-08", new(2026, 3, 1), new(2026, 3, 8),
            [new("attendance.attended", 1, 3, "=HYPERLINK(\"x\")", "North, \"A\"")], [], [], []);
        var rows = Csv.Parse(new StringReader(MetricsCsv.Write([report])));
        Assert.Equal(2, rows.Count);
        Assert.Equal(["'=HYPERLINK(\"x\")", "North, \"A\"", "1", "3", "0.3333"], new[] { rows[1][5], rows[1][6], rows[1][8], rows[1][9], rows[1][10] });
    }

    private static MeetingFacts Fold(IEnumerable<ScriptedEvent> events)
    {
        var facts = new MeetingFacts();
        foreach (var e in events)
        {
            facts.MeetingId = ProjectedEvents.MeetingOf(e.Message)!.Value;
            facts.Apply(e.Message, e.MessageId);
        }

        return facts;
    }

    private static string Describe(MeetingFacts facts) =>
        string.Join('\n', Contributions.Of(facts, Rules).OrderBy(c => c.Key).Select(c => c.ToString()))
        + "\n" + Contributions.Summarize(facts, Rules)
        // Facts themselves, with dictionaries in key order (their insertion order depends on arrival).
        + "\n" + JsonSerializer.Serialize(new
        {
            facts.Team, facts.Convened, facts.ScheduledStart, facts.Held, facts.Cancelled, facts.SectionFortySevenStarted, facts.FirstCirculation, facts.OverdueDeadline,
            Invitations = facts.Invitations.OrderBy(i => i.Key).ToList(),
            Attendance = facts.Attendance.OrderBy(a => a.Key, StringComparer.Ordinal).ToList(),
        }, ProjectedEvents.Json);
}
