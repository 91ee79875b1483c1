using MassTransit;

namespace Jtai.Strategy.Contracts.Meetings;

/// <summary>
/// The meetings service owes the partnership's administrators a notice (today: the bank holiday list runs out within a
/// year, issue 13): one e-mail to their configured <see cref="Mailbox"/> with <see cref="Subject"/> and
/// <see cref="Text"/>. About the service's upkeep only: no meeting, person or case data. One per topic and day:
/// <see cref="NoticeId"/> is derived from them, so the notice is sent once however often it is published.
/// </summary>
/// <param name="Topic">What the notice is about, stable across days (e.g. <c>bank-holiday-list</c>).</param>
/// <param name="Day">The local date the notice is for.</param>
[MessageUrn("jtai-strategy:meetings:administrator-notice-due:v1")]
[EntityName("jtai-strategy.meetings.administrator-notice-due")]
public sealed record AdministratorNoticeDue(
    Guid NoticeId,
    string Topic,
    DateOnly Day,
    string Mailbox,
    string Subject,
    string Text,
    DateTimeOffset OccurredAt);
