using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Meetings.Recording;

/// <summary>
/// The recording and circulation limits, bound from the same <c>Meetings</c> section as the
/// convening ones. Durham's practice is the default; another partnership changes the numbers.
/// </summary>
public sealed class RecordingOptions
{
    public const string Section = "Meetings";

    /// <summary>Agreed actions circulated within this time after the meeting's actual end are on time (the end of it included).</summary>
    public TimeSpan CirculateWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Nothing circulated this long after the meeting's end: warn the team manager.</summary>
    public TimeSpan CirculationWarningAfter { get; set; } = TimeSpan.FromHours(20);

    /// <summary>While circulation stays overdue, the overdue notice repeats this often.</summary>
    public TimeSpan OverdueRepeatEvery { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A meeting not recorded this long after its scheduled end is "record due": the team's managers are told and
    /// metrics counts it as not recorded (in the circulated-on-time denominator).
    /// </summary>
    public TimeSpan RecordDueAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whose calendar dates are (the strategy discussion date, working days): an IANA zone id.</summary>
    public string LocalTimeZone { get; set; } = "Europe/London";

    /// <summary>A bank holiday list replacing the one shipped with the service (same CSV columns); null: the shipped list.</summary>
    public string? BankHolidaysFile { get; set; }

    /// <summary>The partnership's administrators: where and when their daily notice goes (<c>Meetings:Administrators</c>).</summary>
    public AdministratorsOptions Administrators { get; set; } = new();

    public TimeZoneInfo TimeZone() => TimeZoneInfo.FindSystemTimeZoneById(LocalTimeZone);
}

/// <summary>
/// The notice to administrators (the bank holiday list running out): a mailbox, and the local time of day (in
/// <see cref="RecordingOptions.LocalTimeZone"/>) it is looked at and, while there is something to say, sent.
/// </summary>
public sealed class AdministratorsOptions
{
    /// <summary>The administrators' mailbox. Unset or empty: no e-mail; the health check and the log still warn.</summary>
    public string? Mailbox { get; set; }

    public TimeOnly NoticeAt { get; set; } = new(8, 0);

    public bool Enabled => !string.IsNullOrWhiteSpace(Mailbox);
}

internal sealed class RecordingOptionsValidator : IValidateOptions<RecordingOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordingOptions options)
    {
        var failures = new List<string>();
        if (options.CirculateWithin <= TimeSpan.Zero || options.CirculationWarningAfter <= TimeSpan.Zero || options.OverdueRepeatEvery <= TimeSpan.Zero)
        {
            failures.Add("Meetings:CirculateWithin, CirculationWarningAfter and OverdueRepeatEvery must be positive.");
        }

        if (options.RecordDueAfter <= TimeSpan.Zero)
        {
            failures.Add("Meetings:RecordDueAfter must be positive.");
        }

        if (options.CirculationWarningAfter >= options.CirculateWithin)
        {
            failures.Add("Meetings:CirculationWarningAfter must be earlier than Meetings:CirculateWithin (a warning after the deadline warns of nothing).");
        }

        try
        {
            options.TimeZone();
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            failures.Add($"Meetings:LocalTimeZone '{options.LocalTimeZone}' is not a known time zone.");
        }

        if (options.BankHolidaysFile is { Length: > 0 } file && !File.Exists(file))
        {
            failures.Add($"Meetings:BankHolidaysFile '{file}' does not exist.");
        }

        if (options.Administrators.Mailbox is { } mailbox && !string.IsNullOrWhiteSpace(mailbox) && !System.Net.Mail.MailAddress.TryCreate(mailbox.Trim(), out _))
        {
            failures.Add($"Meetings:Administrators:Mailbox '{mailbox}' is not an e-mail address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
