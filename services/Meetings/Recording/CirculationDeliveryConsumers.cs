using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Meetings.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.Meetings.Recording;

// The notifications service reports the circulation notice per recipient with kind
// "actions-circulated", naming the AgreedActionsCirculated message it came from and the agency.
// Each consumer has its own queue, next to the invitation consumers of the same events.

internal static class CirculationNotices
{
    public const string Kind = Contracts.Notifications.DeliveryKinds.ActionsCirculated;

    public static Task<CirculationRecipientDelivery?> RecipientAsync(MeetingsDbContext db, Guid sourceMessageId, string? agencyCode, CancellationToken cancellationToken) =>
        agencyCode is null
            ? Task.FromResult<CirculationRecipientDelivery?>(null)
            : db.CirculationRecipients.SingleOrDefaultAsync(
                // Set<T>() here: an extension property (RecordingData) cannot appear in an expression tree.
                r => r.AgencyCode == agencyCode && db.Set<Circulation>().Any(c => c.Id == r.CirculationId && c.SourceMessageId == sourceMessageId),
                cancellationToken);
}

public sealed partial class CirculationDeliveredConsumer(MeetingsDbContext db, ILogger<CirculationDeliveredConsumer> logger)
    : IdempotentConsumer<InvitationDelivered, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<InvitationDelivered> context)
    {
        var m = context.Message;
        if (m.Kind == CirculationNotices.Kind
            && await CirculationNotices.RecipientAsync(Db, m.SourceMessageId, m.AgencyCode, context.CancellationToken) is { } recipient)
        {
            recipient.Delivered(m.DeliveredAt);
            Db.LogWhenCommitted(() => LogDelivered(log, recipient.CirculationId, recipient.AgencyCode));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Circulation notice {CirculationId} delivered to agency {AgencyCode}")]
    private static partial void LogDelivered(ILogger logger, Guid circulationId, string agencyCode);
}

public sealed partial class CirculationDeliveryFailedConsumer(MeetingsDbContext db, ILogger<CirculationDeliveryFailedConsumer> logger)
    : IdempotentConsumer<InvitationDeliveryFailed, MeetingsDbContext>(db, logger)
{
    private readonly ILogger log = logger;

    protected override async Task Handle(ConsumeContext<InvitationDeliveryFailed> context)
    {
        var m = context.Message;
        if (m.Kind == CirculationNotices.Kind
            && await CirculationNotices.RecipientAsync(Db, m.SourceMessageId, m.AgencyCode, context.CancellationToken) is { } recipient)
        {
            recipient.Failed(m.Reason, m.FailedAt);
            // Not the failure's reason: a mail server's words may quote the recipient's address.
            Db.LogWhenCommitted(() => LogDeliveryFailed(log, recipient.CirculationId, recipient.AgencyCode));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circulation notice {CirculationId} could not be delivered to agency {AgencyCode}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid circulationId, string agencyCode);
}
