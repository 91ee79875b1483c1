using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Replica;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// Records a held meeting and circulates its actions. Each step changes state, (re)schedules the
/// circulation deadlines and queues its events in the caller's unit of work: they commit together.
/// </summary>
public sealed partial class MeetingRecorder(
    MeetingsDbContext db,
    InitialConferenceClock conferenceClock,
    IOptions<RecordingOptions> options,
    IOptions<MeetingsOptions> meetingsOptions,
    TimeProvider clock,
    ILogger<MeetingRecorder> logger)
{
    public const string WarningKind = "meeting.circulation-warning";
    public const string OverdueKind = "meeting.circulation-overdue";

    private readonly RecordingOptions settings = options.Value;

    // Every change of a record and every circulation notice about it take the same locks in the same
    // order: the meeting's pending circulation deadlines, then its record. The poller holds the first
    // (claimed FOR UPDATE) before its handler takes the second, so neither side waits for the other in
    // reverse: no deadlock, and whoever comes second sees the other's committed state (a notice
    // racing a circulation finds it circulated; a circulation never meets a 409 from a notice).
    private const string LockSql = $$"""
        SELECT id FROM {{MeetingsDbContext.SchemaName}}.deadline
        WHERE subject_id = {0} AND kind IN ('{{WarningKind}}', '{{OverdueKind}}') AND fired_at IS NULL AND cancelled_at IS NULL
        ORDER BY id FOR UPDATE;
        SELECT meeting_id FROM {{MeetingsDbContext.SchemaName}}.meeting_record WHERE meeting_id = {0} FOR UPDATE;
        """;

    /// <summary>Serialises changes to a meeting's record with its circulation notices; call first in the transaction.</summary>
    public Task LockAsync(Guid meetingId, CancellationToken cancellationToken) => db.Database.ExecuteSqlRawAsync(LockSql, [meetingId], cancellationToken);

    /// <summary>The record, locked for the rest of the transaction (a deadline handler's deadline row is already locked by the poller).</summary>
    internal static Task<MeetingRecord?> LockedRecordAsync(MeetingsDbContext db, Guid meetingId, CancellationToken cancellationToken) =>
        db.MeetingRecords
            .FromSqlRaw($"SELECT * FROM {MeetingsDbContext.SchemaName}.meeting_record WHERE meeting_id = {{0}} FOR UPDATE", meetingId)
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The record's clock as stored: the deadline notified stays the deadline after a correction of the end time.</summary>
    public CirculationClock ClockFor(MeetingRecord record) => CirculationClock.Of(record, settings.OverdueRepeatEvery);

    /// <summary>Records the meeting, or corrects its record before circulation. Starts (or moves) the circulation clock.</summary>
    public async Task<MeetingRecord> RecordAsync(StrategyMeeting meeting, MeetingRecord? record, RecordDetails details, string by, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var circulation = CirculationClock.For(details.ActualEnd, settings);
        var discussed = conferenceClock.LocalDate(details.ActualStart);
        DateOnly? dueBy = details.SectionFortySevenEnquiry ? conferenceClock.DueBy(discussed) : null; // counted only when the clock starts
        var first = record is null;
        record ??= MeetingRecord.Start(meeting.Id, by, now);
        var previousDeadline = first ? (DateTimeOffset?)null : record.CirculationDeadline;
        var previousEnd = first ? (DateTimeOffset?)null : record.ActualEnd;
        var previousConference = record.InitialConferenceDueBy;
        record.Apply(details, circulation, (discussed, dueBy), now);
        if (first)
        {
            db.MeetingRecords.Add(record);
        }

        // A fixed deadline does not move, so its pending notices stand as they are.
        if (previousDeadline != record.CirculationDeadline)
        {
            await ScheduleCirculationDeadlinesAsync(record, ClockFor(record), now, cancellationToken);
        }

        if (record.CirculationDeadlineFixedAt is { } fixedAt && previousEnd is { } oldEnd && oldEnd != record.ActualEnd)
        {
            db.Audit(by, "meeting.record.end-corrected-after-notice", meeting.Id, now,
                $"{meeting.Reference}: end {oldEnd:u} corrected to {record.ActualEnd:u}; the deadline {record.CirculationDeadline:u} notified at {fixedAt:u} stands. Reason: {details.EndCorrectionReason}");
            db.LogWhenCommitted(() => LogEndCorrectedAfterNotice(logger, meeting.Reference, record.CirculationDeadline));
        }

        db.AddOutboxMessage(new MeetingHeld(
            meeting.Id, meeting.Reference, meeting.TeamCode, record.ActualStart, record.ActualEnd, record.BelowNationalMinimum,
            record.BelowMinimumReasonCode?.ToString(), record.SectionFortySevenEnquiry, record.Investigation == InvestigationKind.JointWithPolice,
            record.ChildViews == ChildViews.Recorded, record.CirculationDeadline, now));
        foreach (var entry in record.Attendance.OrderBy(a => a.AgencyCode, StringComparer.Ordinal))
        {
            db.AddOutboxMessage(new AttendanceRecorded(meeting.Id, meeting.TeamCode, entry.AgencyCode, entry.Mode, entry.WithApologies, now));
        }

        // The national clock is published when it starts, and again only if a correction moves it.
        if (record.InitialConferenceDueBy is { } conferenceDue && conferenceDue != previousConference)
        {
            db.AddOutboxMessage(new SectionFortySevenStarted(meeting.Id, meeting.Reference, meeting.TeamCode, record.StrategyDiscussionDate, conferenceDue, now));
        }

        db.Audit(by, first ? "meeting.recorded" : "meeting.record.corrected", meeting.Id, now,
            $"{meeting.Reference}: ended {record.ActualEnd:u}, circulate by {record.CirculationDeadline:u}{(record.BelowNationalMinimum ? ", below the national minimum" : string.Empty)}");
        db.LogWhenCommitted(() => LogRecorded(logger, meeting.Reference, first ? "recorded as held" : "record corrected"));
        return record;
    }

    public void ReplaceActions(StrategyMeeting meeting, MeetingRecord record, List<AgreedAction> actions, string by)
    {
        var now = clock.GetUtcNow();
        record.ReplaceActions(actions, now);
        db.Audit(by, "meeting.actions.edited", meeting.Id, now, $"{meeting.Reference}: {actions.Count} actions");
    }

    /// <summary>
    /// Circulates the record and actions (version 1) or an amendment (the next version) to every
    /// invited agency, each through the SPOC routing would choose now, as for an invitation.
    /// </summary>
    public async Task<Circulation> CirculateAsync(
        StrategyMeeting meeting, MeetingRecord record, Team team, string by, string? amendmentReason, List<AgreedAction>? amendedActions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var circulationClock = ClockFor(record);
        record.EnsureMayCirculate(amendment: amendmentReason is not null);

        var routedTo = new List<(MeetingAgency Agency, SpocSnapshot? Spoc)>();
        foreach (var agency in meeting.Agencies.Where(a => a.Invited).OrderBy(a => a.AgencyCode, StringComparer.Ordinal))
        {
            routedTo.Add((agency, RecipientRouting.Resolve(await db.SpocsOfAsync(agency.AgencyCode, cancellationToken), team.Area, now)?.Spoc));
        }

        var recipients = routedTo
            .Where(r => r.Spoc is not null)
            .Select(r => new CirculationRecipient(r.Agency.AgencyCode, r.Spoc!.SpocId, r.Spoc.FullName, r.Spoc.SecureEmail))
            .ToList();
        var version = record.CirculatedVersion + 1;
        var sourceMessageId = db.AddOutboxMessage(new AgreedActionsCirculated(
            meeting.Id, meeting.Reference, meeting.TeamCode, version, (amendedActions ?? record.Actions).Count, record.ActualEnd, record.CirculationDeadline,
            now, circulationClock.IsOnTime(now), recipients, SignInLinkFor(meeting.Id), now));

        var circulationId = NewId.NextGuid();
        var circulation = record.Circulate(circulationId, sourceMessageId, by, circulationClock, amendmentReason, amendedActions, now);
        circulation.Recipients.AddRange(routedTo.Select(r => CirculationRecipientDelivery.To(circulationId, r.Agency.AgencyCode, r.Agency.AgencyName, r.Spoc)));

        // Circulated: nothing left to warn about or chase (a notice already being fired serialises on the record's revision).
        await db.CancelDeadlinesAsync(WarningKind, meeting.Id, now, cancellationToken);
        await db.CancelDeadlinesAsync(OverdueKind, meeting.Id, now, cancellationToken);

        db.Audit(by, amendmentReason is null ? "meeting.actions.circulated" : "meeting.actions.amended", meeting.Id, now,
            $"{meeting.Reference} v{circulation.Version}: {(circulation.OnTime ? "on time" : $"late by {circulationClock.LateBy(now)}")}, {recipients.Count} of {circulation.Recipients.Count} agencies reachable");
        db.LogWhenCommitted(() => LogCirculated(logger, meeting.Reference, circulation.Version, recipients.Count, circulation.Recipients.Count, circulation.OnTime));
        return circulation;
    }

    /// <summary>
    /// Where a signed-in SPOC reads the circulated record: behind sign-in, never in the notice. The web service's record
    /// page when its address is configured (a person opens the e-mail), else the API's JSON.
    /// </summary>
    public Uri SignInLinkFor(Guid meetingId)
    {
        var settingsOfMeetings = meetingsOptions.Value;
        return settingsOfMeetings.WebBaseUrl is { } web
            ? new Uri(web, $"agency/circulated-actions/{meetingId}")
            : new Uri(settingsOfMeetings.SignInBaseUrl ?? settingsOfMeetings.PublicBaseUrl!, $"api/circulated-records/{meetingId}");
    }

    /// <summary>
    /// Replaces pending warning and overdue deadlines by ones for this clock. A warning time already
    /// past (recorded late) warns at once if the deadline is still ahead; a deadline already past
    /// makes the first overdue notice due at once.
    /// </summary>
    private async Task ScheduleCirculationDeadlinesAsync(MeetingRecord record, CirculationClock circulation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.CancelDeadlinesAsync(WarningKind, record.MeetingId, now, cancellationToken);
        await db.CancelDeadlinesAsync(OverdueKind, record.MeetingId, now, cancellationToken);
        if (now < circulation.Deadline)
        {
            db.ScheduleDeadline(WarningKind, record.MeetingId, circulation.WarnAt);
        }

        db.ScheduleDeadline(OverdueKind, record.MeetingId, circulation.OverdueNoticeAt(0), OverduePayload(0));
    }

    public static string OverduePayload(int repeat) => repeat.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int RepeatOf(DeadlineRow deadline) =>
        int.TryParse(deadline.Payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var repeat) ? repeat : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "End time of meeting {MeetingReference} corrected after a circulation notice; the deadline {CirculationDeadline:u} stands")]
    private static partial void LogEndCorrectedAfterNotice(ILogger logger, string meetingReference, DateTimeOffset circulationDeadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meeting {MeetingReference} {RecordChange}")]
    private static partial void LogRecorded(ILogger logger, string meetingReference, string recordChange);

    [LoggerMessage(Level = LogLevel.Information, Message = "Actions of meeting {MeetingReference} circulated, version {Version}, to {Recipients} recipients of {Agencies} agencies (on time: {OnTime})")]
    private static partial void LogCirculated(ILogger logger, string meetingReference, int version, int recipients, int agencies, bool onTime);
}
