using Jtai.Strategy.Contracts.Notifications;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Notifications.Delivery;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Domain;
using Jtai.Strategy.Notifications.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Notifications.Intake;

/// <summary>
/// Decides what each consumed message becomes: which recipients, which kind, which stable ids, and how it renders.
/// Only the fields the renderers accept reach a notice (meeting reference, time, dial-in, links, names of the
/// professionals and organisations): the messages carry nothing about the child, and nothing else is looked up.
/// </summary>
public sealed class NotificationComposer(
    InvitationEmailRenderer invitations,
    ActionsCirculatedEmailRenderer circulation,
    TimeProvider clock,
    IOptions<NotificationOptions> options,
    IOptions<SmtpOptions> smtp)
{
    public async Task<DeliveryPlan> InvitationAsync(NotificationsDbContext db, InvitationIssued m, Guid sourceMessageId, CancellationToken cancellationToken)
    {
        if (await db.Invitations.FindAsync([m.InvitationId], cancellationToken) is null)
        {
            db.Invitations.Add(InvitationRecord.Issued(
                m.InvitationId, m.MeetingId, m.MeetingReference, m.TeamCode, m.TeamName, m.AgencyCode, m.AgencyName,
                m.Links.SignIn, m.Slot.Start, m.Slot.End, m.CalendarSequence, clock.GetUtcNow()));
        }

        var details = Request(m.MeetingReference, m.Recipient, m.Slot, m.DialIn, m.Links, m.AgencyName, m.TeamName, m.CalendarSequence);
        return Plan(sourceMessageId, DeliveryKinds.Invitation, m.InvitationId, m.MeetingId, m.MeetingReference, m.TeamCode, m.AgencyCode,
            m.Recipient, m.Slot, () => invitations.RenderInvitation(details));
    }

    public async Task<DeliveryPlan> ReminderAsync(NotificationsDbContext db, InvitationReminderDue m, Guid sourceMessageId, CancellationToken cancellationToken)
    {
        var known = await db.Invitations.FindAsync([m.InvitationId], cancellationToken);
        var details = new ReminderDetails
        {
            MeetingReference = m.MeetingReference,
            Start = m.Slot.Start,
            End = m.Slot.End,
            DialInNumber = m.DialIn.Number,
            ConferenceCode = m.DialIn.ConferenceCode,
            Pin = m.DialIn.Pin,
            ResponseLink = m.Links.Response,
            SignInLink = m.Links.SignIn,
            RecipientName = m.Recipient.Name,
            TeamName = known?.TeamName ?? options.Value.OrganisationName,
            ReplyBy = m.Links.RespondBy,
        };
        return Plan(sourceMessageId, DeliveryKinds.Reminder, m.InvitationId, m.MeetingId, m.MeetingReference, known?.TeamCode, m.AgencyCode,
            m.Recipient, m.Slot, () => invitations.RenderReminder(details));
    }

    public async Task<DeliveryPlan> RescheduleAsync(NotificationsDbContext db, InvitationRescheduled m, Guid sourceMessageId, CancellationToken cancellationToken)
    {
        var known = await db.Invitations.FindAsync([m.InvitationId], cancellationToken);
        var previous = known is not null && known.CalendarSequence < m.CalendarSequence ? new MeetingSlot(known.ScheduledStart, known.ScheduledEnd) : null;
        known?.Rescheduled(m.Slot.Start, m.Slot.End, m.CalendarSequence, clock.GetUtcNow());

        var details = Request(m.MeetingReference, m.Recipient, m.Slot, m.DialIn, m.Links, known?.AgencyName ?? m.AgencyCode, known?.TeamName ?? options.Value.OrganisationName, m.CalendarSequence)
            with { PreviousStart = previous?.Start, PreviousEnd = previous?.End };
        return Plan(sourceMessageId, DeliveryKinds.Reschedule, m.InvitationId, m.MeetingId, m.MeetingReference, known?.TeamCode, m.AgencyCode,
            m.Recipient, m.Slot, () => invitations.RenderReschedule(details));
    }

    public async Task<DeliveryPlan> CancellationAsync(NotificationsDbContext db, InvitationCancelled m, Guid sourceMessageId, CancellationToken cancellationToken)
    {
        var known = await db.Invitations.FindAsync([m.InvitationId], cancellationToken);
        var teamName = known?.TeamName ?? options.Value.OrganisationName;
        var signIn = known is not null ? new Uri(known.SignInLink) : options.Value.SignInLink;
        var details = new CancellationDetails
        {
            MeetingReference = m.MeetingReference,
            Start = m.Slot.Start,
            End = m.Slot.End,
            // Without a sign-in link the renderer refuses, and the delivery is failed visibly rather than sent half-empty.
            SignInLink = signIn!,
            RecipientName = m.Recipient.Name,
            RecipientEmail = m.Recipient.Email,
            AgencyName = known?.AgencyName ?? m.AgencyCode,
            TeamName = teamName,
            Organizer = Organizer(teamName),
            Reason = m.Reason,
            Sequence = m.CalendarSequence,
        };
        return Plan(sourceMessageId, DeliveryKinds.Cancellation, m.InvitationId, m.MeetingId, m.MeetingReference, known?.TeamCode, m.AgencyCode,
            m.Recipient, m.Slot, () => invitations.RenderCancellation(details));
    }

    /// <summary>One notice per distinct recipient address (a SPOC listed twice gets one e-mail).</summary>
    public async Task<IReadOnlyList<DeliveryPlan>> ActionsCirculatedAsync(NotificationsDbContext db, AgreedActionsCirculated m, Guid sourceMessageId, CancellationToken cancellationToken)
    {
        var teamName = await TeamNameAsync(db, m.MeetingId, cancellationToken);
        return m.Recipients
            .DistinctBy(r => DeliveryPlan.RecipientKeyOf(new NotificationRecipient(r.RecipientName, r.RecipientEmail)))
            .Select(r => CirculationNotice(sourceMessageId, m.MeetingId, m.MeetingReference, m.TeamCode, m.SignInLink, teamName, r))
            .ToList();
    }

    /// <summary>The same circulation notice, to the one SPOC it was passed to after a bounce (reported as its own message).</summary>
    public async Task<DeliveryPlan> CirculationNoticePassedOnAsync(NotificationsDbContext db, CirculationNoticePassedOn m, Guid sourceMessageId, CancellationToken cancellationToken) =>
        CirculationNotice(sourceMessageId, m.MeetingId, m.MeetingReference, m.TeamCode, m.SignInLink, await TeamNameAsync(db, m.MeetingId, cancellationToken), m.Recipient);

    private async Task<string> TeamNameAsync(NotificationsDbContext db, Guid meetingId, CancellationToken cancellationToken) =>
        await db.Invitations.Where(i => i.MeetingId == meetingId).Select(i => i.TeamName).FirstOrDefaultAsync(cancellationToken)
            ?? options.Value.OrganisationName;

    private DeliveryPlan CirculationNotice(Guid sourceMessageId, Guid meetingId, string reference, string teamCode, Uri signInLink, string teamName, CirculationRecipient r)
    {
        var details = new ActionsCirculatedDetails
        {
            MeetingReference = reference,
            SignInLink = signInLink,
            RecipientName = r.RecipientName,
            TeamName = teamName,
        };
        var (content, problem) = Rendered(() => circulation.Render(details));
        return new DeliveryPlan(
            sourceMessageId, DeliveryKinds.ActionsCirculated, null, meetingId, reference, teamCode, r.AgencyCode,
            new NotificationRecipient(r.RecipientName, r.RecipientEmail),
            DeliveryPlan.NotificationIdFor(sourceMessageId, r.SpocId),
            MeetingEnd: null,
            content,
            problem);
    }

    private static DeliveryPlan Plan(
        Guid sourceMessageId, string kind, Guid invitationId, Guid meetingId, string reference, string? teamCode, string agencyCode,
        InvitationRecipient recipient, MeetingSlot slot, Func<RenderedEmail> render)
    {
        var (content, problem) = Rendered(render);
        return new(sourceMessageId, kind, invitationId, meetingId, reference, teamCode, agencyCode,
            new NotificationRecipient(recipient.Name, recipient.Email),
            DeliveryPlan.NotificationIdFor(sourceMessageId),
            slot.End,
            content,
            problem);
    }

    /// <summary>What an invitation and a reschedule render from (the calendar REQUEST): each part of the message mapped here once.</summary>
    private InvitationDetails Request(
        string reference, InvitationRecipient recipient, MeetingSlot slot, DialIn dialIn, InvitationLinks links, string agencyName, string teamName, int sequence) => new()
    {
        MeetingReference = reference,
        Start = slot.Start,
        End = slot.End,
        DialInNumber = dialIn.Number,
        ConferenceCode = dialIn.ConferenceCode,
        Pin = dialIn.Pin,
        ResponseLink = links.Response,
        SignInLink = links.SignIn,
        RecipientName = recipient.Name,
        RecipientEmail = recipient.Email,
        AgencyName = agencyName,
        TeamName = teamName,
        ReplyBy = links.RespondBy,
        Organizer = Organizer(teamName),
        Sequence = sequence,
    };

    /// <summary>
    /// Renders now, once: the stored content is what every attempt sends. Bad input (a link that is not http(s), an
    /// empty dial-in number) cannot render on any attempt, so it becomes the plan's problem, not an exception.
    /// </summary>
    private static (NotificationContent? Content, string? Problem) Rendered(Func<RenderedEmail> render)
    {
        try
        {
            return (render().ToNotificationContent(), null);
        }
        catch (ArgumentException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Calendar replies (accept/decline in Outlook) go to the organising mailbox, named after the team.</summary>
    private CalendarOrganizer Organizer(string teamName) =>
        new(string.IsNullOrWhiteSpace(options.Value.OrganizerEmail) ? smtp.Value.FromAddress : options.Value.OrganizerEmail.Trim(), teamName);
}
