using Jtai.Strategy.Notifications.Delivery.Calendar;

namespace Jtai.Strategy.Notifications.Delivery.Mime;

/// <summary>An e-mail address with an optional display name. Addresses must be ASCII (no SMTPUTF8).</summary>
public sealed record MailboxAddress(string Address, string? DisplayName = null)
{
    public override string ToString() => string.IsNullOrEmpty(DisplayName) ? Address : $"{DisplayName} <{Address}>";
}

/// <summary>A file attached to an e-mail (sent base64-encoded, <c>Content-Disposition: attachment</c>).</summary>
/// <param name="FileName">Offered file name; non-ASCII names are encoded per RFC 2231.</param>
/// <param name="MediaType">e.g. <c>application/pdf</c>; parameters are not allowed here.</param>
public sealed record EmailAttachment(string FileName, string MediaType, ReadOnlyMemory<byte> Content);

/// <summary>
/// One logical e-mail. <see cref="MessageId"/> is the caller's stable id: the same id always produces the same
/// <c>Message-ID: &lt;{id}@jtai-strategy&gt;</c>, so a resend of the same logical message can be recognised.
/// </summary>
public sealed record EmailMessage
{
    /// <summary>Caller-supplied id; RFC 5322 dot-atom text (letters, digits, <c>!#$%&amp;'*+-/=?^_`{|}~</c> and single dots), e.g. a GUID.</summary>
    public required string MessageId { get; init; }

    public required MailboxAddress From { get; init; }

    public required IReadOnlyList<MailboxAddress> To { get; init; }

    public MailboxAddress? ReplyTo { get; init; }

    public required string Subject { get; init; }

    public required string TextBody { get; init; }

    public string? HtmlBody { get; init; }

    /// <summary>
    /// Optional iCalendar object. It is sent as a <c>text/calendar; method=...</c> alternative next to the text/HTML bodies
    /// (what Outlook, Thunderbird and Gmail turn into a meeting request) and also attached as <c>application/ics</c> file.
    /// </summary>
    public CalendarAttachment? Calendar { get; init; }

    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];

    /// <summary>The <c>Date</c> header; the builder's clock when null.</summary>
    public DateTimeOffset? Date { get; init; }
}
