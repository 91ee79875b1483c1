using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>Recording a held meeting and circulating its actions, on the real database and broker.</summary>
public sealed class RecordingTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    [Fact]
    public async Task Recording_a_section_47_meeting_publishes_what_happened_and_the_initial_conference_date()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var request = RecordingFixture.RecordRequest(meeting, new Dictionary<string, AttendanceMode>
        {
            ["HDFT"] = AttendanceMode.AttendedByDialIn,
            ["DCC-EDUCATION"] = AttendanceMode.WrittenContributionOnly,
        }, sectionFortySeven: true);

        var record = await fixture.RecordAsync(team, meeting, request);

        var end = request.ActualEnd!.Value;
        Assert.Equal(end.AddHours(24), record.CirculationDeadline);
        Assert.Equal(end.AddHours(20), record.CirculationWarnAt);
        Assert.Equal(CirculationStanding.Due, record.Circulation);
        Assert.False(record.BelowNationalMinimum);
        // The clock is shared with the other tests of the class, so the date is whatever day this runs on
        // (March: GMT, the UTC date); the day counting itself is pinned down by InitialConferenceClockTests.
        var discussed = DateOnly.FromDateTime(request.ActualStart!.Value.UtcDateTime);
        var dueBy = WorkingDayCalendar.EnglandAndWales().AddWorkingDays(discussed, 15);
        Assert.Equal(discussed, record.StrategyDiscussionDate);
        Assert.Equal(dueBy, record.InitialConferenceDueBy);
        Assert.InRange(dueBy.DayNumber - discussed.DayNumber, 20, 25); // about three weeks, more across a holiday

        var held = await fixture.Probe.WaitForAsync<MeetingHeld>(m => m.MeetingId == meeting.Id);
        Assert.Equal((request.ActualStart, end, true, true, true, end.AddHours(24)), (held.ActualStart, held.ActualEnd, held.SectionFortySevenEnquiry, held.JointInvestigation, held.ChildViewsObtained, held.CirculationDeadline));
        var started = await fixture.Probe.WaitForAsync<SectionFortySevenStarted>(m => m.MeetingId == meeting.Id);
        Assert.Equal((discussed, dueBy), (started.StrategyDiscussionDate, started.InitialConferenceDueBy));
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Probe.All<AttendanceRecorded>(a => a.MeetingId == meeting.Id).Count == RecordingFixture.Invitees.Length));
        var attendance = fixture.Probe.All<AttendanceRecorded>(a => a.MeetingId == meeting.Id).ToDictionary(a => a.AgencyCode, a => a.Mode);
        Assert.Equal(AttendanceMode.AttendedByDialIn, attendance["HDFT"]);
        Assert.Equal(AttendanceMode.WrittenContributionOnly, attendance["DCC-EDUCATION"]);
        Assert.Equal(AttendanceMode.AttendedInPerson, attendance["DURHAM-POLICE"]);

        // Nothing about the child leaves the service.
        var raw = JsonSerializer.Serialize(held) + JsonSerializer.Serialize(started);
        Assert.DoesNotContain("LL-2026-4471", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("stepfather", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_meeting_recorded_as_held_can_be_neither_rescheduled_nor_cancelled()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        await fixture.RecordAsync(team, meeting);

        var reschedule = await fixture.Manager(team).PostAsJsonAsync($"/api/meetings/{meeting.Id}/reschedule",
            new { scheduledStart = meeting.ScheduledStart.AddDays(1), lengthMinutes = 60, reason = "Other", reasonText = "moved", delayReason = "Other", delayReasonText = "moved" }, Json);
        var cancel = await fixture.Manager(team).PostAsJsonAsync($"/api/meetings/{meeting.Id}/cancel", new { reason = "Other", reasonText = "no longer needed" }, Json);

        foreach (var response in new[] { reschedule, cancel })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("Meeting already held", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND action IN ('meeting.rescheduled', 'meeting.cancelled')", ("id", meeting.Id)));
    }

    [Fact]
    public async Task A_meeting_without_police_needs_a_reason_and_is_flagged()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var noPolice = new Dictionary<string, AttendanceMode> { ["DURHAM-POLICE"] = AttendanceMode.WrittenContributionOnly };

        var refused = await fixture.Manager(team).PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", RecordingFixture.RecordRequest(meeting, noPolice), Json);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("Police", errors.GetProperty("belowMinimumReason")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.meeting_record WHERE meeting_id = @id", ("id", meeting.Id)));

        var record = await fixture.RecordAsync(team, meeting, RecordingFixture.RecordRequest(meeting, noPolice, belowMinimumReason: BelowMinimumReason.WrittenContributionInstead));

        Assert.True(record.BelowNationalMinimum);
        Assert.Equal(BelowMinimumReason.WrittenContributionInstead, record.BelowMinimumReason);
        var held = await fixture.Probe.WaitForAsync<MeetingHeld>(m => m.MeetingId == meeting.Id);
        Assert.True(held.BelowNationalMinimum);
        Assert.Equal(nameof(BelowMinimumReason.WrittenContributionInstead), held.BelowMinimumReason);
    }

    [Fact]
    public async Task An_incomplete_record_is_refused_field_by_field()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var complete = RecordingFixture.RecordRequest(meeting);
        var request = complete with
        {
            Attendance = complete.Attendance!.Where(a => a.AgencyCode != "HDFT").Append(new AttendanceRequest("NPS", AttendanceMode.AttendedInPerson, null)).ToList(),
            ChildViews = ChildViews.Recorded,
            ChildViewsText = " ",
            SectionFortySevenEnquiry = true,
            Investigation = null,
            ActualEnd = fixture.Clock.GetUtcNow().AddHours(1),
            FamilyTold = null,
        };

        var response = await fixture.Manager(team).PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", request, Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["actualEnd", "attendance", "attendance[4].agencyCode", "childViewsText", "familyTold", "investigation"], fields);
        Assert.Contains("HDFT", errors.GetProperty("attendance")[0].GetString(), StringComparison.Ordinal);

        // "Not yet obtained" is an explicit answer: accepted without text.
        var notYet = await fixture.RecordAsync(team, meeting, complete with { ChildViews = ChildViews.NotYetObtained, ChildViewsText = null });
        Assert.Equal(ChildViews.NotYetObtained, notYet.ChildViews);
        Assert.False((await fixture.Probe.WaitForAsync<MeetingHeld>(m => m.MeetingId == meeting.Id)).ChildViewsObtained);
    }

    [Fact]
    public async Task Circulation_at_23_59_59_after_the_end_is_on_time_and_at_24_00_01_is_late()
    {
        var team = await fixture.CreateTeamAsync();
        var early = await fixture.HeldMeetingAsync(team);
        var late = await fixture.HeldMeetingAsync(team);
        var earlyEnd = (await fixture.RecordAsync(team, early)).ActualEnd;
        var lateRecord = await fixture.RecordAsync(team, late);
        Assert.True(lateRecord.ActualEnd > earlyEnd);

        fixture.MoveTo(earlyEnd + new TimeSpan(23, 59, 59));
        var onTime = await fixture.CirculateAsync(team, early.Id);
        fixture.MoveTo(lateRecord.ActualEnd + new TimeSpan(24, 0, 1));
        var lateOne = await fixture.CirculateAsync(team, late.Id);

        Assert.True(onTime.OnTime);
        Assert.Equal(TimeSpan.Zero, onTime.LateBy);
        Assert.False(lateOne.OnTime);
        Assert.Equal(TimeSpan.FromSeconds(1), lateOne.LateBy);

        var circulated = await Eventually.GetAsync(
            () => Task.FromResult(fixture.Probe.All<AgreedActionsCirculated>(m => m.MeetingId == early.Id || m.MeetingId == late.Id)),
            found => found.Count == 2);
        Assert.True(circulated.Single(m => m.MeetingId == early.Id).OnTime);
        Assert.False(circulated.Single(m => m.MeetingId == late.Id).OnTime);
        Assert.Equal(lateRecord.ActualEnd.AddHours(24), circulated.Single(m => m.MeetingId == late.Id).CirculationDeadline);
        Assert.Equal(CirculationStanding.CirculatedLate, (await ReadAsync<MeetingRecordResponse>(await fixture.Manager(team).GetAsync($"/api/meetings/{late.Id}/record"))).Circulation);
        Assert.True(await fixture.Database.ScalarAsync<bool>("SELECT on_time FROM meetings.circulation WHERE meeting_id = @id", ("id", early.Id)));
        Assert.False(await fixture.Database.ScalarAsync<bool>("SELECT on_time FROM meetings.circulation WHERE meeting_id = @id", ("id", late.Id)));
    }

    [Fact]
    public async Task Actions_change_freely_until_circulated_then_only_by_amendment_which_keeps_every_version()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        await fixture.RecordAsync(team, meeting);
        var manager = fixture.Manager(team);
        var url = $"/api/meetings/{meeting.Id}/record";

        await ReadAsync<MeetingRecordResponse>(await manager.PutAsJsonAsync(url + "/actions", RecordingFixture.Actions(("DURHAM-POLICE", "Draft")), Json));
        var edited = await ReadAsync<MeetingRecordResponse>(await manager.PutAsJsonAsync(url + "/actions", RecordingFixture.Actions(
            ("DURHAM-POLICE", "Check the household's call-out history"), ("CDDFT", "Health visitor to visit within 5 days")), Json));
        Assert.Equal(["Check the household's call-out history", "Health visitor to visit within 5 days"], edited.Actions.Select(a => a.Description));

        var first = await fixture.CirculateAsync(team, meeting.Id);
        Assert.Equal(1, first.Version);
        Assert.Equal(2, first.Actions.Count);

        var afterCirculation = await manager.PutAsJsonAsync(url + "/actions", RecordingFixture.Actions(("CDDFT", "Quietly changed")), Json);
        Assert.Equal(HttpStatusCode.Conflict, afterCirculation.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PutAsJsonAsync(url, RecordingFixture.RecordRequest(meeting), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsync(url + "/circulations", null)).StatusCode);

        var noReason = await manager.PostAsJsonAsync(url + "/amendments", new AmendmentRequest(null, RecordingFixture.Actions(("CDDFT", "x")).Actions), Json);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));

        var amended = await ReadAsync<CirculationResponse>(await manager.PostAsJsonAsync(url + "/amendments", new AmendmentRequest(
            "Police action was given to the wrong team",
            RecordingFixture.Actions(("DURHAM-POLICE", "PVP unit to check the call-out history"), ("CDDFT", "Health visitor to visit within 5 days"), ("DCC-EDUCATION", "School to share attendance")).Actions), Json));
        Assert.Equal(2, amended.Version);
        Assert.Equal("Police action was given to the wrong team", amended.AmendmentReason);

        var record = await ReadAsync<MeetingRecordResponse>(await manager.GetAsync(url));
        Assert.Equal([1, 2], record.Circulations.Select(c => c.Version));
        Assert.Equal("Check the household's call-out history", record.Circulations[0].Actions[0].Description);
        Assert.Equal("PVP unit to check the call-out history", record.Circulations[1].Actions[0].Description);
        Assert.Equal(3, record.Actions.Count);

        var messages = await Eventually.GetAsync(
            () => Task.FromResult(fixture.Probe.All<AgreedActionsCirculated>(m => m.MeetingId == meeting.Id)), found => found.Count == 2);
        Assert.Equal([(1, 2), (2, 3)], messages.OrderBy(m => m.CirculationVersion).Select(m => (m.CirculationVersion, m.ActionCount)));

        // A SPOC reads the latest version by default, and an earlier one when asked.
        var spoc = fixture.Spoc("CDDFT");
        var latest = await ReadAsync<CirculatedRecordResponse>(await spoc.GetAsync($"/api/circulated-records/{meeting.Id}"));
        Assert.Equal((2, 3), (latest.Version, latest.Actions.Count));
        var original = await ReadAsync<CirculatedRecordResponse>(await spoc.GetAsync($"/api/circulated-records/{meeting.Id}?version=1"));
        Assert.Equal("Check the household's call-out history", original.Actions[0].Description);
        Assert.Equal([1, 2], original.Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Circulation_goes_to_every_invited_agencys_routed_SPOC_and_tracks_each_delivery()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team, addAgencies: ["TEWV"]); // TEWV has no SPOC in the test directory
        await fixture.RecordAsync(team, meeting, RecordingFixture.RecordRequest(meeting, new Dictionary<string, AttendanceMode> { ["TEWV"] = AttendanceMode.Absent }));

        var circulation = await fixture.CirculateAsync(team, meeting.Id);

        Assert.Equal([.. RecordingFixture.Invitees, "TEWV"], circulation.Recipients.Select(r => r.AgencyCode).Order(StringComparer.Ordinal));
        Assert.Equal(CirculationDelivery.NoRecipient, circulation.Recipients.Single(r => r.AgencyCode == "TEWV").Delivery);
        var message = await fixture.Probe.WaitForAsync<AgreedActionsCirculated>(m => m.MeetingId == meeting.Id);
        Assert.Equal(RecordingFixture.Invitees, message.Recipients.Select(r => r.AgencyCode).Order(StringComparer.Ordinal));
        Assert.All(message.Recipients, r => Assert.Equal(Fixtures.TestDirectory.Spoc(r.AgencyCode, 0).SpocId, r.SpocId));
        Assert.Equal($"https://meetings.test/api/circulated-records/{meeting.Id}", message.SignInLink.ToString());

        // The notifications service reports per recipient, naming the circulation message.
        var source = await fixture.Database.ScalarAsync<Guid>("SELECT source_message_id FROM meetings.circulation WHERE meeting_id = @id", ("id", meeting.Id));
        var at = fixture.Clock.GetUtcNow();
        await fixture.RunningHost.PublishAsync(new NoticeDelivered(meeting.Id, source, "actions-circulated", "email", "DURHAM-POLICE", at));
        await fixture.RunningHost.PublishAsync(new NoticeDeliveryFailed(meeting.Id, source, "actions-circulated", "email", "CDDFT", "550 mailbox unavailable", at));
        await fixture.RunningHost.PublishAsync(new NoticeDelivered(meeting.Id, Guid.NewGuid(), "actions-circulated", "email", "HDFT", at)); // another message: not ours

        var record = await Eventually.GetAsync(
            async () => await ReadAsync<MeetingRecordResponse>(await fixture.Manager(team).GetAsync($"/api/meetings/{meeting.Id}/record")),
            r => r.Circulations[0].Recipients.Count(x => x.Delivery != CirculationDelivery.Pending && x.AgencyCode != "TEWV") == 2);
        var delivery = record.Circulations[0].Recipients.ToDictionary(r => r.AgencyCode);
        Assert.Equal(CirculationDelivery.Delivered, delivery["DURHAM-POLICE"].Delivery);
        Assert.Equal(CirculationDelivery.Failed, delivery["CDDFT"].Delivery);
        Assert.Equal("550 mailbox unavailable", delivery["CDDFT"].DeliveryFailure);
        Assert.Equal(CirculationDelivery.Pending, delivery["HDFT"].Delivery);
    }

    [Fact]
    public async Task Only_invited_agencies_SPOCs_read_the_circulated_record_and_every_read_is_audited()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        await fixture.RecordAsync(team, meeting);
        var url = $"/api/circulated-records/{meeting.Id}";

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Spoc("DURHAM-POLICE").GetAsync(url)).StatusCode); // not circulated yet
        await fixture.CirculateAsync(team, meeting.Id);

        var read = await ReadAsync<CirculatedRecordResponse>(await fixture.Spoc("DURHAM-POLICE").GetAsync(url));
        Assert.Equal(meeting.Reference, read.Reference);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Spoc("NPS").GetAsync(url)).StatusCode); // not invited
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.RunningHost.ClientAs(JtaiRoles.TeamManager, team: "FF-OTHER").GetAsync($"/api/meetings/{meeting.Id}/record")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Manager(team).GetAsync(url)).StatusCode); // the SPOC route is for SPOCs
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.RunningHost.AnonymousClient().GetAsync(url)).StatusCode);

        var listed = await ReadAsync<List<CirculatedListItem>>(await fixture.Spoc("DURHAM-POLICE").GetAsync("/api/circulated-records"));
        Assert.Contains(listed, m => m.MeetingId == meeting.Id);
        Assert.DoesNotContain(await ReadAsync<List<CirculatedListItem>>(await fixture.Spoc("NPS").GetAsync("/api/circulated-records")), m => m.MeetingId == meeting.Id);

        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND action = 'circulated-record.read' AND actor = 'spoc-DURHAM-POLICE'", ("id", meeting.Id)));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM meetings.audit_entry WHERE meeting_id = @id AND actor = 'spoc-NPS'", ("id", meeting.Id)));
    }

    [Fact]
    public async Task Another_partnerships_limits_and_holiday_list_come_from_configuration()
    {
        var team = await fixture.CreateTeamAsync();
        var meeting = await fixture.HeldMeetingAsync(team);
        var request = RecordingFixture.RecordRequest(meeting, sectionFortySeven: true);
        var discussed = DateOnly.FromDateTime(request.ActualStart!.Value.UtcDateTime);
        var shipped = WorkingDayCalendar.EnglandAndWales();

        // A local holiday on the first working day after the meeting: the conference moves a working day later.
        var localHoliday = discussed.AddDays(1);
        while (!shipped.IsWorkingDay(localHoliday))
        {
            localHoliday = localHoliday.AddDays(1);
        }

        var file = Path.Combine(Path.GetTempPath(), $"holidays-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, shipped.BankHolidays.Append(new(localHoliday, "Local holiday")).OrderBy(h => h.Key)
            .Select(h => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{h.Key:yyyy-MM-dd},{h.Key:ddd},{h.Value}"))
            .Prepend("date,weekday,name"));
        try
        {
            await using var other = await fixture.StartHostAsync(new Dictionary<string, string?>
            {
                ["Meetings:CirculateWithin"] = "2.00:00:00",
                ["Meetings:CirculationWarningAfter"] = "1.12:00:00",
                ["Meetings:BankHolidaysFile"] = file,
            });

            var record = await ReadAsync<MeetingRecordResponse>(await fixture.Manager(team, other).PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", request, Json));

            Assert.Equal(request.ActualEnd!.Value.AddHours(48), record.CirculationDeadline);
            Assert.Equal(request.ActualEnd!.Value.AddHours(36), record.CirculationWarnAt);
            Assert.Equal(shipped.AddWorkingDays(discussed, 16), record.InitialConferenceDueBy);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
