using System.Globalization;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// The "record due" rule: a meeting whose scheduled end passed <see cref="RecordingOptions.RecordDueAfter"/> ago
/// without a record. One deadline row per scheduled time, stored at convening, replaced on a reschedule and cancelled
/// with the meeting. Its subject is a fresh id and its payload the meeting's id, so the meeting's own deadline rows
/// (circulation warning and overdue, keyed by the meeting) are not mixed with it.
/// </summary>
public static class RecordDue
{
    public const string Kind = "meetings.record-due";

    /// <summary>Stores the deadline for the meeting's current scheduled end, in the caller's unit of work.</summary>
    public static void Schedule(MeetingsDbContext db, StrategyMeeting meeting, RecordingOptions options) =>
        db.ScheduleDeadline(Kind, MassTransit.NewId.NextGuid(), meeting.ScheduledEnd + options.RecordDueAfter, Payload(meeting.Id));

    /// <summary>Cancels the meeting's pending record-due deadline (the meeting moved or was cancelled).</summary>
    public static Task<int> CancelAsync(MeetingsDbContext db, Guid meetingId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payload = Payload(meetingId);
        return db.Deadlines
            .Where(d => d.Kind == Kind && d.Payload == payload && d.FiredAt == null && d.CancelledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CancelledAt, now), cancellationToken);
    }

    internal static Guid MeetingOf(DeadlineRow deadline) => Guid.Parse(deadline.Payload!, CultureInfo.InvariantCulture);

    private static string Payload(Guid meetingId) => meetingId.ToString("D", CultureInfo.InvariantCulture);
}

/// <summary>
/// The scheduled end passed long ago and the meeting was neither recorded nor cancelled: tell the team's managers and
/// report <see cref="MeetingRecordOverdue"/>, which metrics counts as not recorded. Fires once; a meeting recorded (or
/// cancelled) in the meantime makes it do nothing.
/// </summary>
public sealed partial class RecordDueHandler(ManagerNotices notices, TimeProvider clock, ILogger<RecordDueHandler> logger) : IDeadlineHandler<MeetingsDbContext>
{
    public string Kind => RecordDue.Kind;

    public async Task HandleAsync(DeadlineRow deadline, MeetingsDbContext db, CancellationToken cancellationToken)
    {
        var meetingId = RecordDue.MeetingOf(deadline);
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        if (meeting is null || !meeting.IsScheduled || await db.MeetingRecords.AnyAsync(r => r.MeetingId == meetingId, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        db.AddOutboxMessage(new MeetingRecordOverdue(meeting.Id, meeting.Reference, meeting.TeamCode, meeting.ScheduledEnd, deadline.DueAt, now));
        await notices.QueueAsync(meeting, ManagerNoticeKinds.RecordDue, new NoticeFacts(ScheduledEnd: meeting.ScheduledEnd, RecordDueAt: deadline.DueAt), deadline.Id, now, cancellationToken);
        db.Audit(AuditLog.SystemActor, "meeting.record-due", meeting.Id, now, $"{meeting.Reference}: scheduled end {meeting.ScheduledEnd:u}, not recorded");
        db.LogWhenCommitted(() => LogRecordDue(logger, meeting.Reference, meeting.ScheduledEnd));
    }

    // A person should look at this: the meeting has no record a day after it should have ended.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Meeting {MeetingReference} not recorded: scheduled to end {ScheduledEnd:u}")]
    private static partial void LogRecordDue(ILogger logger, string meetingReference, DateTimeOffset scheduledEnd);
}
