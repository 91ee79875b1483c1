namespace Jtai.Strategy.Notifications.Domain;

/// <summary>Where a delivery stands. Stored as lower-case text.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for the dispatcher (new, or after a transient failure).</summary>
    Pending,

    /// <summary>
    /// Claimed by a dispatcher, committed before the first byte goes to the relay. Found again after
    /// its lease ran out, it means the dispatcher died mid-send: the send may or may not have happened.
    /// </summary>
    Sending,

    /// <summary>The relay accepted it (SMTP 250 to DATA). Never sent again.</summary>
    Sent,

    /// <summary>Refused for good (5xx, rejected recipient, no channel, too late). Never sent again.</summary>
    Failed,
}


/// <summary>
/// One notification to one recipient, caused by one consumed message: the sent-log entry (unique per
/// source message and recipient) and the dispatcher's unit of work.
/// </summary>
public sealed class DeliveryRecord
{
    public Guid Id { get; init; }

    /// <summary>The MessageId of the consumed message (InvitationIssued, ...).</summary>
    public Guid SourceMessageId { get; init; }

    /// <summary>Who it goes to, normalised (lower-case e-mail address); unique with <see cref="SourceMessageId"/>.</summary>
    public required string RecipientKey { get; init; }

    /// <summary>Stable id of the e-mail (its Message-ID), derived from the source message: a resend carries the same one.</summary>
    public required string NotificationId { get; init; }

    public required string Kind { get; init; }

    public Guid? InvitationId { get; init; }

    public Guid MeetingId { get; init; }

    public required string MeetingReference { get; init; }

    public string? TeamCode { get; init; }

    /// <summary>Whose notice it is; null for a notice to a team's managers that names no agency.</summary>
    public string? AgencyCode { get; init; }

    public required string RecipientName { get; init; }

    public string? RecipientEmail { get; init; }

    /// <summary>The channel chosen for the recipient (<c>email</c>, later <c>sms</c>).</summary>
    public required string Channel { get; init; }

    public DeliveryStatus Status { get; private set; }

    /// <summary>The rendered notification (JSON) while a send is still possible; cleared once sent or failed.</summary>
    public string? Content { get; private set; }

    /// <summary>Dispatches so far (each may contain several relay attempts of the resilience pipeline).</summary>
    public int Attempts { get; private set; }

    /// <summary>Times a dispatcher found this delivery still "sending" after its lease: a crash mid-send.</summary>
    public int InterruptedSends { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the dispatcher may take it (pending) or take it over (sending: the lease's end).</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>After this it is failed rather than sent (the meeting is over, or the relay was down too long).</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public DateTimeOffset? FailedAt { get; private set; }

    public string? LastError { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>What the transport gave back (the e-mail's Message-ID).</summary>
    public string? ProviderReference { get; private set; }

    public static DeliveryRecord Planned(DeliveryPlan plan, string channel, string? content, DateTimeOffset now, DateTimeOffset expiresAt) => new()
    {
        Id = plan.DeliveryId,
        SourceMessageId = plan.SourceMessageId,
        RecipientKey = plan.RecipientKey,
        NotificationId = plan.NotificationId,
        Kind = plan.Kind,
        InvitationId = plan.InvitationId,
        MeetingId = plan.MeetingId,
        MeetingReference = plan.MeetingReference,
        TeamCode = plan.TeamCode,
        AgencyCode = plan.AgencyCode,
        RecipientName = plan.Recipient.DisplayName,
        RecipientEmail = plan.Recipient.EmailAddress,
        Channel = channel,
        Status = DeliveryStatus.Pending,
        Content = content,
        CreatedAt = now,
        NextAttemptAt = now,
        ExpiresAt = expiresAt,
    };

    /// <summary>Recorded as failed without a send (it could not be rendered, or no channel reaches the recipient).</summary>
    public static DeliveryRecord Refused(DeliveryPlan plan, string channel, string reason, DateTimeOffset now)
    {
        var delivery = Planned(plan, channel, content: null, now, now);
        delivery.Fail(now, reason);
        return delivery;
    }

    /// <summary>Taken by a dispatcher until <paramref name="leaseEnds"/>; committed before anything is sent.</summary>
    public void Claim(DateTimeOffset now, DateTimeOffset leaseEnds)
    {
        if (Status is not (DeliveryStatus.Pending or DeliveryStatus.Sending))
        {
            throw new InvalidOperationException($"Delivery {Id} is {Status}; it cannot be sent again.");
        }

        if (Status == DeliveryStatus.Sending)
        {
            InterruptedSends++;
        }

        Status = DeliveryStatus.Sending;
        Attempts++;
        LastAttemptAt = now;
        NextAttemptAt = leaseEnds;
    }

    public void Sent(DateTimeOffset now, string? providerReference)
    {
        Status = DeliveryStatus.Sent;
        SentAt = now;
        ProviderReference = providerReference;
        LastError = null;
        Content = null; // minimal data: nothing left to send, nothing kept
    }

    public void Fail(DateTimeOffset now, string reason)
    {
        Status = DeliveryStatus.Failed;
        FailedAt = now;
        FailureReason = reason;
        Content = null;
    }

    /// <summary>Not delivered this time; may be taken again from <paramref name="retryAt"/>.</summary>
    public void RetryLater(DateTimeOffset retryAt, string error)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = retryAt;
        LastError = error;
    }
}
