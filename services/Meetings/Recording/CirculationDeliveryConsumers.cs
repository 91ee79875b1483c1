using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Replica;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Recording;

// The notifications service reports the circulation notice per recipient as a notice event, naming the
// AgreedActionsCirculated message it came from (SourceMessageId) and the agency: the circulation is found by that
// message, so no other notice can match. Each consumer has its own queue.

internal static class CirculationNotices
{
    public static Task<CirculationRecipientDelivery?> RecipientAsync(MeetingsDbContext db, Guid sourceMessageId, string? agencyCode, CancellationToken cancellationToken) =>
        agencyCode is null
            ? Task.FromResult<CirculationRecipientDelivery?>(null)
            : db.CirculationRecipients.SingleOrDefaultAsync(
                // Set<T>() here: an extension property (RecordingData) cannot appear in an expression tree.
                // A notice passed on to a deputy is matched by its own message; the circulation's message then no longer matches.
                r => r.AgencyCode == agencyCode && (r.PassedOnMessageId == sourceMessageId
                    || (r.PassedOnMessageId == null && db.Set<Circulation>().Any(c => c.Id == r.CirculationId && c.SourceMessageId == sourceMessageId))),
                cancellationToken);
}

public sealed partial class CirculationDeliveredConsumer(MeetingsDbContext db, ILogger<CirculationDeliveredConsumer> logger)
    : IdempotentConsumer<NoticeDelivered, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<NoticeDelivered> context)
    {
        var m = context.Message;
        if (await CirculationNotices.RecipientAsync(Db, m.SourceMessageId, m.AgencyCode, context.CancellationToken) is { } recipient)
        {
            recipient.Delivered(m.SourceMessageId, m.DeliveredAt);
            Db.LogWhenCommitted(() => LogDelivered(log, recipient.CirculationId, recipient.AgencyCode));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Circulation notice {CirculationId} delivered to agency {AgencyCode}")]
    private static partial void LogDelivered(ILogger logger, Guid circulationId, string agencyCode);
}

/// <summary>
/// A circulation notice bounced: it goes to the next SPOC of the agency's routing chain (over the directory replica, as
/// an invitation's escalation does), and the entry keeps whom it bounced at and why. With no SPOC left, the entry is
/// failed and says so, for the manager to share the record another way.
/// </summary>
public sealed partial class CirculationDeliveryFailedConsumer(MeetingsDbContext db, MeetingRecorder recorder, TimeProvider clock, ILogger<CirculationDeliveryFailedConsumer> logger)
    : IdempotentConsumer<NoticeDeliveryFailed, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<NoticeDeliveryFailed> context)
    {
        var m = context.Message;
        if (await CirculationNotices.RecipientAsync(Db, m.SourceMessageId, m.AgencyCode, context.CancellationToken) is not { } recipient)
        {
            return;
        }

        var awaited = recipient.AwaitsResult(m.SourceMessageId);
        recipient.Failed(m.SourceMessageId, m.Reason, m.FailedAt);
        if (!awaited || recipient.CurrentSpocId is not { } current)
        {
            // A late report about a notice already settled: recorded (never over a newer result), not passed on again.
            Db.LogWhenCommitted(() => LogDeliveryFailed(log, recipient.CirculationId, recipient.AgencyCode));
            return;
        }

        var circulation = await Db.Circulations.AsNoTracking().SingleAsync(c => c.Id == recipient.CirculationId, context.CancellationToken);
        var meeting = await Db.Meetings.AsNoTracking().SingleAsync(x => x.Id == circulation.MeetingId, context.CancellationToken);
        var area = await Db.Teams.Where(t => t.Code == meeting.TeamCode).Select(t => t.Area).SingleAsync(context.CancellationToken);
        var spocs = await Db.SpocsOfAsync(recipient.AgencyCode, context.CancellationToken);
        var tried = recipient.TriedSpocIds.ToHashSet();
        var next = RecipientRouting.NextAfter(spocs, area, current, tried, clock.GetUtcNow());
        if (next is null)
        {
            recipient.NoOneLeft();
            // Not the failure's reason: a mail server's words may quote the recipient's address.
            Db.LogWhenCommitted(() => LogNoRecipientLeft(log, recipient.CirculationId, recipient.AgencyCode));
            return;
        }

        var messageId = Db.AddOutboxMessage(new CirculationNoticePassedOn(
            meeting.Id, meeting.Reference, meeting.TeamCode, circulation.Version,
            new CirculationRecipient(recipient.AgencyCode, next.SpocId, next.FullName, next.SecureEmail), current,
            recorder.SignInLinkFor(meeting.Id), clock.GetUtcNow()));
        recipient.PassOn(next, messageId, m.Reason, m.FailedAt);
        Db.LogWhenCommitted(() => LogPassedOn(log, recipient.CirculationId, recipient.AgencyCode, messageId));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Circulation notice {CirculationId} bounced at agency {AgencyCode}'s SPOC: passed to the next SPOC (message {MessageId})")]
    private static partial void LogPassedOn(ILogger logger, Guid circulationId, string agencyCode, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circulation notice {CirculationId} could not be delivered to agency {AgencyCode}: no SPOC left")]
    private static partial void LogNoRecipientLeft(ILogger logger, Guid circulationId, string agencyCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circulation notice {CirculationId} could not be delivered to agency {AgencyCode}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid circulationId, string agencyCode);
}
