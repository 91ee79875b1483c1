using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Recording;

// The 24-hour circulation rule, watched by deadline rows stored when the meeting is recorded. Each notice is also
// queued for the team's managers (ManagerNotices) in the same transaction. The
// poller claims a due row with FOR UPDATE SKIP LOCKED and marks it fired in the transaction that
// applies these effects, so each notice goes out once across restarts and instances. The handler
// locks the record (after the poller's lock on the deadline row, the order the API uses too), so a
// notice racing a circulation waits for it and then finds nothing to do.

/// <summary>Nothing circulated by the warning time (20 of 24 hours): warn the team manager.</summary>
public sealed partial class CirculationWarningHandler(ManagerNotices notices, TimeProvider clock, ILogger<CirculationWarningHandler> logger) : IDeadlineHandler<MeetingsDbContext>
{
    public string Kind => MeetingRecorder.WarningKind;

    public async Task HandleAsync(DeadlineRow deadline, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        var record = await MeetingRecorder.LockedRecordAsync(db, deadline.SubjectId, cancellationToken);
        var now = clock.GetUtcNow();

        // Past the deadline (the service was down through the warning time) the overdue notice says it all.
        if (record is null || now >= record.CirculationDeadline || !record.Warn(now))
        {
            return;
        }

        var meeting = await db.Meetings.SingleAsync(m => m.Id == record.MeetingId, cancellationToken);
        db.AddOutboxMessage(new ActionCirculationWarning(record.MeetingId, meeting.Reference, meeting.TeamCode, record.CirculationDeadline, now));
        await notices.QueueAsync(meeting, ManagerNoticeKinds.CirculationWarning, new NoticeFacts(CirculationDeadline: record.CirculationDeadline), deadline.Id, now, cancellationToken);
        db.Audit(AuditLog.SystemActor, "meeting.circulation.warned", record.MeetingId, now, $"{meeting.Reference}: circulate by {record.CirculationDeadline:u}");
        db.LogWhenCommitted(() => LogWarned(logger, meeting.Reference, record.CirculationDeadline));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Circulation warning for meeting {MeetingReference}: nothing circulated, deadline {CirculationDeadline:u}")]
    private static partial void LogWarned(ILogger logger, string meetingReference, DateTimeOffset circulationDeadline);
}

/// <summary>
/// The deadline passed and nothing was circulated: tell the team manager and, as an exception, the
/// MASDG; then again every day while it stays so. The repeat number is the day since the deadline,
/// so after an outage the service sends the notice for today, not a burst of the missed ones.
/// </summary>
public sealed partial class CirculationOverdueHandler(ManagerNotices notices, TimeProvider clock, IOptions<RecordingOptions> options, ILogger<CirculationOverdueHandler> logger) : IDeadlineHandler<MeetingsDbContext>
{
    public string Kind => MeetingRecorder.OverdueKind;

    public async Task HandleAsync(DeadlineRow deadline, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        var record = await MeetingRecorder.LockedRecordAsync(db, deadline.SubjectId, cancellationToken);
        var now = clock.GetUtcNow();
        if (record is null || !record.NoteOverdue(now))
        {
            return;
        }

        var repeat = MeetingRecorder.RepeatOf(deadline);
        var meeting = await db.Meetings.SingleAsync(m => m.Id == record.MeetingId, cancellationToken);
        db.AddOutboxMessage(new ActionCirculationOverdue(record.MeetingId, meeting.Reference, meeting.TeamCode, record.CirculationDeadline, repeat, now));
        // Whole hours past the deadline, as the manager's e-mail states them ("overdue (26 h)").
        var hoursOverdue = (int)Math.Floor((now - record.CirculationDeadline).TotalHours);
        await notices.QueueAsync(meeting, ManagerNoticeKinds.CirculationOverdue,
            new NoticeFacts(CirculationDeadline: record.CirculationDeadline, HoursOverdue: Math.Max(0, hoursOverdue), Repeat: repeat), deadline.Id, now, cancellationToken);
        db.Audit(AuditLog.SystemActor, "meeting.circulation.overdue", record.MeetingId, now, $"{meeting.Reference}: deadline {record.CirculationDeadline:u}, notice {repeat}");
        db.LogWhenCommitted(() => LogOverdue(logger, meeting.Reference, record.CirculationDeadline, repeat));

        // The record's own deadline: after a correction of the end time it is the fixed one, not end + 24 h.
        var circulation = CirculationClock.Of(record, options.Value.OverdueRepeatEvery);
        var next = repeat + 1;
        while (circulation.OverdueNoticeAt(next) <= now)
        {
            next++;
        }

        db.ScheduleDeadline(Kind, record.MeetingId, circulation.OverdueNoticeAt(next), MeetingRecorder.OverduePayload(next));
    }

    // A person should look at this: the 24-hour rule is broken.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Circulation of meeting {MeetingReference} overdue since {CirculationDeadline:u} (notice {Repeat})")]
    private static partial void LogOverdue(ILogger logger, string meetingReference, DateTimeOffset circulationDeadline, int repeat);
}
