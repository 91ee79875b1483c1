using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Meetings.Infrastructure;
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
                r => r.AgencyCode == agencyCode && db.Set<Circulation>().Any(c => c.Id == r.CirculationId && c.SourceMessageId == sourceMessageId),
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
            recipient.Delivered(m.DeliveredAt);
            Db.LogWhenCommitted(() => LogDelivered(log, recipient.CirculationId, recipient.AgencyCode));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Circulation notice {CirculationId} delivered to agency {AgencyCode}")]
    private static partial void LogDelivered(ILogger logger, Guid circulationId, string agencyCode);
}

public sealed partial class CirculationDeliveryFailedConsumer(MeetingsDbContext db, ILogger<CirculationDeliveryFailedConsumer> logger)
    : IdempotentConsumer<NoticeDeliveryFailed, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<NoticeDeliveryFailed> context)
    {
        var m = context.Message;
        if (await CirculationNotices.RecipientAsync(Db, m.SourceMessageId, m.AgencyCode, context.CancellationToken) is { } recipient)
        {
            recipient.Failed(m.Reason, m.FailedAt);
            // Not the failure's reason: a mail server's words may quote the recipient's address.
            Db.LogWhenCommitted(() => LogDeliveryFailed(log, recipient.CirculationId, recipient.AgencyCode));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circulation notice {CirculationId} could not be delivered to agency {AgencyCode}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid circulationId, string agencyCode);
}
