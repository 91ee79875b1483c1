namespace Jtai.Strategy.Notifications.Intake;

/// <summary>What the rendered notices need beyond the messages (configuration section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The calendar ORGANIZER's address (calendar replies go there); the SMTP sender when empty.</summary>
    public string? OrganizerEmail { get; set; }

    /// <summary>
    /// Where recipients sign in. Used only for a notice whose invitation this service has not seen (the message
    /// lacks the link): normally the invitation's own sign-in link is used.
    /// </summary>
    public Uri? SignInLink { get; set; }

    /// <summary>Signature of a notice whose invitation (and so the organising team's name) this service has not seen.</summary>
    public string OrganisationName { get; set; } = "Strategy meetings";
}
