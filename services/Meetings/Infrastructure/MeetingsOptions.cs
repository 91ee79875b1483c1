using System.Text;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Infrastructure;

/// <summary>
/// The partnership's time limits and links (section <c>Meetings</c>). Durham's practice is the
/// default; another partnership changes the numbers, not the code.
/// </summary>
public sealed class MeetingsOptions
{
    public const string Section = "Meetings";

    /// <summary>A meeting starting later than this after the decision needs a recorded delay reason and is flagged.</summary>
    public TimeSpan ConveneWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>No answer this long after an invitation was issued: remind the recipient. The cap: a shorter lead reminds sooner.</summary>
    public TimeSpan ReminderAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Still no answer this long after issue: the invitation passes to the next deputy. The cap: a shorter lead escalates sooner.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The reminder falls at this fraction of the time between issue and start (until it reaches <see cref="ReminderAfter"/>).</summary>
    public double ReminderFraction { get; set; } = 0.25;

    /// <summary>The escalation falls at this fraction of the time between issue and start (until it reaches <see cref="EscalateAfter"/>).</summary>
    public double EscalationFraction { get; set; } = 0.5;

    /// <summary>No chase step falls sooner than this after issue: a recipient gets a moment to answer.</summary>
    public TimeSpan ChaseFloor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Where recipients reach this service: response links are <c>{PublicBaseUrl}/respond/{token}</c>.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// The web service's answer page: a browser that opens a response link (it asks for text/html) is sent to
    /// <c>{AnswerPageBaseUrl}/answer/{token}</c>, the same token, where the page calls this service's link API. Unset:
    /// the link answers JSON to everyone, as before.
    /// </summary>
    public Uri? AnswerPageBaseUrl { get; set; }

    /// <summary>Where a signed-in SPOC reads an invitation's details; defaults to <c>{PublicBaseUrl}/api/invitations/{id}</c>.</summary>
    public Uri? SignInBaseUrl { get; set; }

    /// <summary>
    /// The web service's address: the circulation e-mail's "sign in to read the record" link opens its record page,
    /// <c>{WebBaseUrl}/agency/circulated-actions/{meetingId}</c> (sign-in first), where a person reads it. Unset: the link
    /// is the API's, <c>{SignInBaseUrl or PublicBaseUrl}/api/circulated-records/{meetingId}</c>, as before.
    /// </summary>
    public Uri? WebBaseUrl { get; set; }

    /// <summary>HMAC-SHA256 key of the response links (at least 32 bytes). A secret: from the environment or a vault in production.</summary>
    public string? ResponseLinkKey { get; set; }

    public int MaxWrittenContributionLength { get; set; } = 20_000;

    /// <summary>
    /// For each invitee role (SocialCare, Health, Police, Midwifery, ...), the agency codes to suggest.
    /// A role not listed here is filled with every active agency of its kind in the directory replica.
    /// </summary>
    public Dictionary<string, string[]> InviteeAgencies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The national minimum: each requirement's name and the agency kinds that satisfy it. Unset, it is
    /// Durham's (<see cref="NationalMinimum.Durham"/>: SocialCare, Health, Police, one kind each).
    /// </summary>
    public List<MinimumRequirementOptions>? NationalMinimum { get; set; }

    public NationalMinimum Minimum() => NationalMinimum is { Count: > 0 } configured
        ? new(configured.Select(r => new MinimumRequirement(r.Name!.Trim(), r.SatisfiedBy!.Distinct().ToList())))
        : Domain.NationalMinimum.Durham;

    public ChasePolicy Chase() => new(ReminderFraction, EscalationFraction, ChaseFloor, ReminderAfter, EscalateAfter);

    public byte[] ResponseLinkKeyBytes() => Encoding.UTF8.GetBytes(ResponseLinkKey ?? string.Empty);
}

/// <summary>One requirement of <c>Meetings:NationalMinimum</c>: <c>{ "Name": "Health", "SatisfiedBy": [ "Health", "Gp" ] }</c>.</summary>
public sealed class MinimumRequirementOptions
{
    public string? Name { get; set; }

    public List<AgencyKind>? SatisfiedBy { get; set; }
}

internal sealed class MeetingsOptionsValidator : IValidateOptions<MeetingsOptions>
{
    public ValidateOptionsResult Validate(string? name, MeetingsOptions options)
    {
        var failures = new List<string>();
        if (options.PublicBaseUrl is null || !options.PublicBaseUrl.IsAbsoluteUri)
        {
            failures.Add("Meetings:PublicBaseUrl must be an absolute URL (response links are built from it).");
        }

        if (options.WebBaseUrl is { IsAbsoluteUri: false })
        {
            failures.Add("Meetings:WebBaseUrl must be an absolute URL (the circulation e-mail links to the record's page there).");
        }

        if (options.AnswerPageBaseUrl is { IsAbsoluteUri: false })
        {
            failures.Add("Meetings:AnswerPageBaseUrl must be an absolute URL (browsers are sent there from response links).");
        }

        if (options.ResponseLinkKeyBytes().Length < 32)
        {
            failures.Add("Meetings:ResponseLinkKey must be at least 32 bytes.");
        }

        if (options.ConveneWithin <= TimeSpan.Zero || options.ReminderAfter <= TimeSpan.Zero || options.EscalateAfter <= TimeSpan.Zero)
        {
            failures.Add("Meetings:ConveneWithin, ReminderAfter and EscalateAfter must be positive.");
        }

        if (options.EscalateAfter <= options.ReminderAfter)
        {
            failures.Add("Meetings:EscalateAfter must be later than Meetings:ReminderAfter.");
        }

        if (options.ReminderFraction is not (> 0 and < 1) || options.EscalationFraction is not (> 0 and < 1))
        {
            failures.Add("Meetings:ReminderFraction and EscalationFraction must be between 0 and 1 (exclusive).");
        }
        else if (options.EscalationFraction <= options.ReminderFraction)
        {
            failures.Add("Meetings:EscalationFraction must be larger than Meetings:ReminderFraction (the reminder comes first).");
        }

        if (options.ChaseFloor <= TimeSpan.Zero || options.ChaseFloor > options.ReminderAfter)
        {
            failures.Add("Meetings:ChaseFloor must be positive and no later than Meetings:ReminderAfter.");
        }

        if (options.NationalMinimum is { } minimum)
        {
            if (minimum.Any(r => string.IsNullOrWhiteSpace(r.Name) || r.SatisfiedBy is not { Count: > 0 }))
            {
                failures.Add("Meetings:NationalMinimum: every requirement needs a Name and at least one agency kind in SatisfiedBy.");
            }
            else if (minimum.Select(r => r.Name!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != minimum.Count)
            {
                failures.Add("Meetings:NationalMinimum: requirement names must be unique.");
            }
        }

        if (options.MaxWrittenContributionLength is < 100 or > 200_000)
        {
            failures.Add("Meetings:MaxWrittenContributionLength must be between 100 and 200000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
