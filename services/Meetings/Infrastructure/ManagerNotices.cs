using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Meetings.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>
/// Queues a notice to a meeting's team managers (<see cref="ManagerNoticeDue"/>) in the caller's unit of work, so the
/// notice goes out exactly when the change that caused it commits. Recipients: the team's manager contacts and the
/// e-mail of the manager who convened the meeting, one entry per address. With none, nobody can be told: the kind is
/// recorded on the meeting (shown as <c>noticesUndeliverable</c>) and a Warning logged, never silently dropped.
/// Shared by convening, the chase and recording, which is why it sits here.
/// </summary>
public sealed partial class ManagerNotices(MeetingsDbContext db, IOptions<MeetingsOptions> options, ILogger<ManagerNotices> logger)
{
    /// <summary>Queues the notice of <paramref name="kind"/>; <paramref name="meeting"/> must be tracked (or newly added).</summary>
    public async Task QueueAsync(StrategyMeeting meeting, string kind, NoticeFacts facts, Guid? noticeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipients = await RecipientsAsync(meeting, cancellationToken);
        if (recipients.Count == 0)
        {
            if (!meeting.NoticesUndeliverable.Contains(kind))
            {
                meeting.NoticesUndeliverable.Add(kind);
            }

            db.Audit(AuditLog.SystemActor, "meeting.manager-notice.undeliverable", meeting.Id, now, kind);
            db.LogWhenCommitted(() => LogUndeliverable(logger, meeting.Reference, meeting.TeamCode, kind));
            return;
        }

        db.AddOutboxMessage(new ManagerNoticeDue(
            noticeId ?? NewId.NextGuid(), meeting.Id, meeting.Reference, meeting.TeamCode, kind, recipients, SignInLinkFor(meeting.Id), facts, now));
        db.Audit(AuditLog.SystemActor, "meeting.manager-notice", meeting.Id, now, $"{kind} to {recipients.Count} manager(s)");
        db.LogWhenCommitted(() => LogQueued(logger, meeting.Reference, kind, recipients.Count));
    }

    /// <summary>Where a manager reads the meeting after signing in: the notice carries this link and nothing of the case.</summary>
    public Uri SignInLinkFor(Guid meetingId) =>
        new(options.Value.SignInBaseUrl ?? options.Value.PublicBaseUrl!, $"api/meetings/{meetingId}");

    private async Task<List<NoticeRecipient>> RecipientsAsync(StrategyMeeting meeting, CancellationToken cancellationToken)
    {
        var managers = await db.TeamManagers.AsNoTracking()
            .Where(m => m.TeamCode == meeting.TeamCode)
            .OrderBy(m => m.Email)
            .Select(m => new NoticeRecipient(m.FullName, m.Email))
            .ToListAsync(cancellationToken);
        if (meeting.ConvenedByEmail is { } convener)
        {
            managers.Add(new NoticeRecipient(null, convener));
        }

        return managers.DistinctBy(r => r.Email.Trim().ToLowerInvariant()).ToList();
    }

    // The reference, team code, kind and a count only: never an address.
    [LoggerMessage(Level = LogLevel.Information, Message = "Manager notice {Kind} for meeting {MeetingReference} queued to {Recipients} recipient(s)")]
    private static partial void LogQueued(ILogger logger, string meetingReference, string kind, int recipients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Manager notice {Kind} for meeting {MeetingReference} has no recipient: team {TeamCode} has no manager contact and the convening manager's token had no e-mail")]
    private static partial void LogUndeliverable(ILogger logger, string meetingReference, string teamCode, string kind);
}
