using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Invitations;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>Rescheduling and cancelling: every change is an event, and every invitee hears of it.</summary>
public sealed class ChangingTests(MeetingsFixture fixture) : IClassFixture<MeetingsFixture>
{
    [Fact]
    public async Task Rescheduling_tells_every_invitee_resets_answers_when_the_start_moves_and_replaces_the_links()
    {
        var team = await fixture.CreateTeamAsync();
        var manager = fixture.Manager(team);
        var meeting = await fixture.ConveneAsync(team);
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, 5);
        var police = issued.Single(i => i.AgencyCode == "DURHAM-POLICE");
        var anonymous = fixture.Host.AnonymousClient();
        (await anonymous.PostAsJsonAsync(police.Links.Response.AbsolutePath, new AnswerRequest(InvitationAnswer.AttendInPerson, null, null, null), Json)).EnsureSuccessStatusCode();

        // Longer, same start: everyone told, answers stand.
        var longer = await ReadAsync<MeetingResponse>(await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/reschedule",
            new RescheduleRequest(meeting.ScheduledStart, 90, RescheduleReason.NewInformation, null, null, null), Json));
        Assert.Equal(1, longer.CalendarSequence);
        await fixture.Probe.WaitForAllAsync<InvitationRescheduled>(m => m.MeetingId == meeting.Id && m.CalendarSequence == 1, 5);
        var board = await ReadAsync<BoardResponse>(await manager.GetAsync($"/api/meetings/{meeting.Id}/board"));
        Assert.Equal(InvitationAnswer.AttendInPerson, board.Agencies.Single(a => a.AgencyCode == "DURHAM-POLICE").Answer);

        // A new start: answers reset, old links refused, new links answer.
        var newStart = meeting.ScheduledStart.AddHours(3);
        var moved = await ReadAsync<MeetingResponse>(await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/reschedule",
            new RescheduleRequest(newStart, 60, RescheduleReason.PartnerAvailability, null, null, null), Json));
        Assert.Equal(newStart, moved.ScheduledStart);
        Assert.Equal(meeting.Pin, moved.Pin);

        var rescheduled = Assert.Single(await fixture.Probe.WaitForAllAsync<StrategyMeetingRescheduled>(m => m.MeetingId == meeting.Id && m.CalendarSequence == 2));
        Assert.Equal(meeting.ScheduledStart, rescheduled.PreviousStart);
        Assert.Equal("PartnerAvailability", rescheduled.Reason);
        var told = await fixture.Probe.WaitForAllAsync<InvitationRescheduled>(m => m.MeetingId == meeting.Id && m.CalendarSequence == 2, 5);
        Assert.Equal(issued.Select(i => i.InvitationId).Order(), told.Select(t => t.InvitationId).Order());
        Assert.All(told, t => Assert.Equal(newStart, t.Slot.Start));

        board = await ReadAsync<BoardResponse>(await manager.GetAsync($"/api/meetings/{meeting.Id}/board"));
        Assert.All(board.Agencies.Where(a => a.Invited), a => Assert.Null(a.Answer));
        Assert.All(board.Agencies.Where(a => a.Invited), a => Assert.Equal(InvitationStatus.Awaiting, a.Status));

        var oldLink = issued.Single(i => i.AgencyCode == "CDDFT").Links.Response.AbsolutePath;
        await RespondingTests.AssertProblemAsync(await anonymous.GetAsync(oldLink), HttpStatusCode.Gone, "Link replaced");
        var newLink = told.Single(t => t.AgencyCode == "DURHAM-POLICE").Links.Response.AbsolutePath;
        var page = await ReadAsync<ResponsePage>(await anonymous.GetAsync(newLink));
        Assert.Equal(newStart, page.ScheduledStart);
        (await anonymous.PostAsJsonAsync(newLink, new AnswerRequest(InvitationAnswer.AttendByDialIn, null, null, null), Json)).EnsureSuccessStatusCode();

        var audit = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @m AND action = 'meeting.rescheduled'", ("m", meeting.Id));
        Assert.Equal(2L, audit);
    }

    [Fact]
    public async Task Rescheduling_onto_a_booked_bridge_is_refused_and_other_bridges_are_used_when_free()
    {
        var team = await fixture.CreateTeamAsync(bridges: 1);
        var manager = fixture.Manager(team);
        var first = await fixture.ConveneAsync(team);
        var second = await fixture.ConveneAsync(team, fixture.ConveneRequest(first.ScheduledEnd));

        var clash = await manager.PostAsJsonAsync($"/api/meetings/{second.Id}/reschedule",
            new RescheduleRequest(first.ScheduledStart.AddMinutes(15), 60, RescheduleReason.PartnerAvailability, null, null, null), Json);
        await RespondingTests.AssertProblemAsync(clash, HttpStatusCode.Conflict, "No free dial-in bridge");

        var sameTime = await manager.PostAsJsonAsync($"/api/meetings/{second.Id}/reschedule",
            new RescheduleRequest(second.ScheduledStart, 60, RescheduleReason.Other, null, null, null), Json);
        var errors = await ConveningTests.AssertFieldErrorAsync(sameTime, "scheduledStart");
        Assert.True(errors.TryGetProperty("reasonText", out _));
    }

    [Fact]
    public async Task Cancelling_tells_every_invitee_frees_the_bridge_and_closes_the_links()
    {
        var team = await fixture.CreateTeamAsync(bridges: 1);
        var manager = fixture.Manager(team);
        var meeting = await fixture.ConveneAsync(team);
        var issued = await fixture.Probe.WaitForAllAsync<InvitationIssued>(m => m.MeetingId == meeting.Id, 5);

        await ConveningTests.AssertFieldErrorAsync(await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/cancel", new CancelRequest(null, null), Json), "reason");
        var cancelled = await ReadAsync<MeetingResponse>(await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/cancel",
            new CancelRequest(CancelReason.ThresholdNoLongerMet, "New information from the school."), Json));
        Assert.Equal(MeetingStatus.Cancelled, cancelled.Status);

        var event_ = Assert.Single(await fixture.Probe.WaitForAllAsync<StrategyMeetingCancelled>(m => m.MeetingId == meeting.Id));
        Assert.Equal("ThresholdNoLongerMet", event_.Reason); // the code travels, the text stays here
        var told = await fixture.Probe.WaitForAllAsync<InvitationCancelled>(m => m.MeetingId == meeting.Id, 5);
        Assert.Equal(issued.Select(i => i.InvitationId).Order(), told.Select(t => t.InvitationId).Order());

        await RespondingTests.AssertProblemAsync(await fixture.Host.AnonymousClient().GetAsync(issued[0].Links.Response.AbsolutePath), HttpStatusCode.Gone, "Meeting cancelled");
        await RespondingTests.AssertProblemAsync(await manager.PostAsJsonAsync($"/api/meetings/{meeting.Id}/cancel", new CancelRequest(CancelReason.EnteredInError, null), Json),
            HttpStatusCode.Conflict, "Meeting cancelled");

        // The bridge is free again at that time.
        var replacement = await fixture.ConveneAsync(team, fixture.ConveneRequest(meeting.ScheduledStart));
        Assert.Equal(meeting.DialInNumber, replacement.DialInNumber);
    }
}
