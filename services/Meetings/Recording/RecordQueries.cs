using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Recording;

public static class RecordQueries
{
    /// <summary>The record with attendance, the working actions and every circulated version (its actions and recipients).</summary>
    public static Task<MeetingRecord?> LoadRecordAsync(this MeetingsDbContext db, Guid meetingId, bool tracked, CancellationToken cancellationToken)
    {
        var records = tracked ? db.MeetingRecords : db.MeetingRecords.AsNoTracking();
        return records
            .Include(r => r.Attendance)
            .Include(r => r.Actions)
            .Include(r => r.Circulations).ThenInclude(c => c.Actions)
            .Include(r => r.Circulations).ThenInclude(c => c.Recipients)
            .AsSplitQuery()
            .SingleOrDefaultAsync(r => r.MeetingId == meetingId, cancellationToken);
    }
}
