using Jtai.Strategy.Meetings.Domain;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Infrastructure;

public static class MeetingQueries
{
    /// <summary>The whole aggregate, tracked, for a change.</summary>
    public static Task<StrategyMeeting?> LoadMeetingAsync(this MeetingsDbContext db, Guid meetingId, CancellationToken cancellationToken) =>
        db.Meetings
            .Include(m => m.Bridge)
            .Include(m => m.Agencies)
            .Include(m => m.Invitations)
            .AsSplitQuery()
            .SingleOrDefaultAsync(m => m.Id == meetingId, cancellationToken);

    /// <summary>The meeting an invitation belongs to, tracked, with the invitation itself.</summary>
    public static async Task<(StrategyMeeting Meeting, Invitation Invitation)?> LoadInvitationAsync(this MeetingsDbContext db, Guid invitationId, CancellationToken cancellationToken)
    {
        var meetingId = await db.Invitations.Where(i => i.Id == invitationId).Select(i => (Guid?)i.MeetingId).SingleOrDefaultAsync(cancellationToken);
        if (meetingId is null || await db.LoadMeetingAsync(meetingId.Value, cancellationToken) is not { } meeting)
        {
            return null;
        }

        return (meeting, meeting.Invitations.Single(i => i.Id == invitationId));
    }

    public static Task<Team> TeamOfAsync(this MeetingsDbContext db, StrategyMeeting meeting, CancellationToken cancellationToken) =>
        db.Teams.SingleAsync(t => t.Code == meeting.TeamCode, cancellationToken);
}
