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
