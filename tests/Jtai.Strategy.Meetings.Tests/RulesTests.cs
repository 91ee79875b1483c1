using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Invitations;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>Time rules, chase times, PINs and response-link tokens: pure logic, no servers.</summary>
public sealed class RulesTests
{
    private static readonly DateTimeOffset Decision = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-1, null, "scheduledStart")] // before the decision
    [InlineData(0, null, null)]
    [InlineData(24 * 60, null, null)] // exactly at the limit is within it
    [InlineData(24 * 60 + 1, null, "delayReason")]
    [InlineData(24 * 60 + 1, DelayReason.AwaitingInformation, null)]
    public void The_start_is_not_before_the_decision_and_beyond_the_limit_needs_a_reason(int minutesAfterDecision, DelayReason? reason, string? errorField)
    {
        var errors = new ValidationErrors();
        var times = ConveningRules.CheckTimes(errors, Decision, Decision.AddMinutes(minutesAfterDecision), 60, reason, null, TimeSpan.FromHours(24), Decision);

        if (errorField is null)
        {
            Assert.False(errors.Any, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(',', e.Value)}")));
            Assert.Equal(minutesAfterDecision > 24 * 60, times!.BeyondLimit);
            Assert.Equal(times.Start.AddMinutes(60), times.End);
        }
        else
        {
            Assert.Contains(errorField, errors.ToDictionary().Keys);
        }
    }

    [Fact]
    public void The_convening_limit_is_configurable()
    {
        var errors = new ValidationErrors();
        var times = ConveningRules.CheckTimes(errors, Decision, Decision.AddHours(13), 60, DelayReason.WeekendOrBankHoliday, null, TimeSpan.FromHours(12), Decision);
        Assert.False(errors.Any);
        Assert.True(times!.BeyondLimit);
    }

    [Fact]
    public void Chase_times_never_pass_the_meeting_start()
    {
        var issued = Decision;
        var (respondBy, remindAt, escalate) = MeetingRules.ChaseTimes(issued, issued.AddHours(20), TimeSpan.FromHours(2), TimeSpan.FromHours(4));
        Assert.Equal(issued.AddHours(4), respondBy);
        Assert.Equal(issued.AddHours(2), remindAt);
        Assert.True(escalate);

        // A meeting in three hours: remind at two, answer by the start, nobody to escalate to in time.
        (respondBy, remindAt, escalate) = MeetingRules.ChaseTimes(issued, issued.AddHours(3), TimeSpan.FromHours(2), TimeSpan.FromHours(4));
        Assert.Equal(issued.AddHours(3), respondBy);
        Assert.Equal(issued.AddHours(2), remindAt);
        Assert.False(escalate);

        (_, remindAt, _) = MeetingRules.ChaseTimes(issued, issued.AddHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4));
        Assert.Null(remindAt);
    }

    /// <summary>Durham's defaults: a quarter and a half of the lead, at least 15 minutes, at most 2 h and 4 h.</summary>
    private static readonly ChasePolicy Durham = new(0.25, 0.5, TimeSpan.FromMinutes(15), TimeSpan.FromHours(2), TimeSpan.FromHours(4));

    [Theory]
    [InlineData(10, null, 10, false)] // shorter than the floor: nothing to chase, answer by the start
    [InlineData(30, null, 15, true)] // both steps at the floor: the deputy, no reminder before it
    [InlineData(60, 15, 30, true)]
    [InlineData(120, 30, 60, true)]
    [InlineData(180, 45, 90, true)] // three hours away: a deputy has it 90 minutes before the start
    [InlineData(240, 60, 120, true)]
    [InlineData(480, 120, 240, true)] // from eight hours on, the caps: today's 2 h and 4 h
    [InlineData(1440, 120, 240, true)]
    [InlineData(7200, 120, 240, true)] // five days
    public void Chase_times_are_proportional_to_the_lead_between_the_floor_and_the_caps(int leadMinutes, int? remindAfterMinutes, int respondByMinutes, bool escalate)
    {
        var issued = Decision;
        var chase = MeetingRules.ChaseTimes(issued, issued.AddMinutes(leadMinutes), Durham);

        Assert.Equal(remindAfterMinutes is { } remind ? issued.AddMinutes(remind) : (DateTimeOffset?)null, chase.RemindAt);
        Assert.Equal(issued.AddMinutes(respondByMinutes), chase.RespondBy);
        Assert.Equal(escalate, chase.Escalate);
        Assert.True(chase.RespondBy <= issued.AddMinutes(leadMinutes));
    }

    [Fact]
    public void A_partnership_chooses_its_own_fractions_floor_and_caps()
    {
        var brisk = new ChasePolicy(0.1, 0.3, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(2));
        Assert.Equal((TimeSpan.FromMinutes(18), TimeSpan.FromMinutes(54)), MeetingRules.ChaseOffsets(TimeSpan.FromHours(3), brisk));
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(9)), MeetingRules.ChaseOffsets(TimeSpan.FromMinutes(30), brisk));
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(2)), MeetingRules.ChaseOffsets(TimeSpan.FromDays(2), brisk));
    }

    [Theory]
    [InlineData(0.25, 0.5, 15, null)]
    [InlineData(0.0, 0.5, 15, "ReminderFraction")]
    [InlineData(0.25, 1.0, 15, "ReminderFraction and EscalationFraction")]
    [InlineData(0.5, 0.5, 15, "EscalationFraction must be larger")]
    [InlineData(0.25, 0.5, 0, "ChaseFloor")]
    [InlineData(0.25, 0.5, 121, "ChaseFloor")] // later than the reminder cap
    public void The_chase_configuration_is_validated(double reminderFraction, double escalationFraction, int floorMinutes, string? failure)
    {
        var options = new MeetingsOptions
        {
            PublicBaseUrl = new Uri("https://meetings.test/"),
            ResponseLinkKey = "TEST-ONLY-meetings-response-link-key-0123456789abcdef",
            ReminderFraction = reminderFraction,
            EscalationFraction = escalationFraction,
            ChaseFloor = TimeSpan.FromMinutes(floorMinutes),
        };

        var result = new MeetingsOptionsValidator().Validate(null, options);

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.True(result.Failed);
            Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pins_are_eight_digits_and_do_not_repeat_in_practice()
    {
        var pins = Enumerable.Range(0, 2000).Select(_ => Pins.New()).ToList();
        Assert.All(pins, p => Assert.Matches(@"^\d{8}$", p));
        Assert.True(pins.Distinct().Count() >= 1990, "8 random digits: collisions in 2000 draws are rare");
    }

    private static ResponseLinkSigner Signer(string key = "TEST-ONLY-a-response-link-key-of-at-least-32-bytes") =>
        new(Options.Create(new MeetingsOptions { ResponseLinkKey = key }));

    [Fact]
    public void A_token_round_trips_and_any_tampering_is_detected()
    {
        var signer = Signer();
        var link = Guid.NewGuid();
        var invitation = Guid.NewGuid();
        var expires = Decision.AddHours(5);
        var token = signer.Create(link, invitation, expires);

        Assert.Equal(new ResponseLinkClaims(link, invitation, expires), signer.Verify(token));

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        for (var i = 0; i < token.Length; i++)
        {
            if (i == dot)
            {
                continue;
            }

            var flipped = token.ToCharArray();
            flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
            var tampered = new string(flipped);
            if (tampered != token)
            {
                Assert.Null(signer.Verify(tampered));
            }
        }

        Assert.Null(Signer("TEST-ONLY-another-key-of-at-least-32-bytes-long").Verify(token));
        Assert.Null(signer.Verify(token[..dot]));
        Assert.Null(signer.Verify("not-a-token"));
        Assert.Null(signer.Verify(string.Empty));
    }
}
