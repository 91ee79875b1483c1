using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Projection;

namespace Jtai.Strategy.Metrics.Domain;

/// <summary>The <c>Metrics</c> configuration section: what a partnership may set (see docs/metrics.md).</summary>
public sealed class MetricsOptions
{
    /// <summary>IANA time zone whose calendar dates, weeks, months and quarters the figures use.</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>A meeting held later than this after the decision counts as over the limit (Durham: 24 hours).</summary>
    public TimeSpan ConveningLimit { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Agency codes whose invitations are GP invitations (the GP contributions pilot).</summary>
    /// <remarks>Empty here: the configuration binder appends to, not replaces, a default array; appsettings.json holds Durham's.</remarks>
    public string[] GpAgencyCodes { get; set; } = [];

    /// <summary>Deliveries in flight at once (and the endpoint's prefetch): the pool the writer's batches are drawn from.</summary>
    public int ConcurrentMessageLimit { get; set; } = 64;

    /// <summary>Events projected per transaction at most.</summary>
    public int MaxBatchSize { get; set; } = 128;

    public PublishingOptions Publishing { get; set; } = new();

    public DigestOptions Digest { get; set; } = new();

    public List<ExceptionRule> ExceptionRules { get; set; } = [];

    public ProjectionRules ToProjectionRules() =>
        new(TimeZoneInfo.FindSystemTimeZoneById(TimeZone), ConveningLimit, GpAgencyCodes);

    /// <summary>Start-up validation: a wrong rule must stop the service, not publish wrong breaches.</summary>
    public IEnumerable<string> Validate()
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"Metrics:TimeZone '{TimeZone}' is not a known time zone.";
        }

        if (ConcurrentMessageLimit < 1 || MaxBatchSize < 1)
        {
            yield return "Metrics:ConcurrentMessageLimit and Metrics:MaxBatchSize must be at least 1.";
        }

        if (ConveningLimit <= TimeSpan.Zero)
        {
            yield return "Metrics:ConveningLimit must be positive.";
        }

        if (Digest.Mailbox is { } mailbox && !string.IsNullOrWhiteSpace(mailbox) && !System.Net.Mail.MailAddress.TryCreate(mailbox.Trim(), out _))
        {
            yield return $"Metrics:Digest:Mailbox '{mailbox}' is not an e-mail address.";
        }

        if (Digest.SignInLink is { } link && (!link.IsAbsoluteUri || link.Scheme is not ("https" or "http")))
        {
            yield return "Metrics:Digest:SignInLink must be an absolute http(s) address.";
        }

        foreach (var kind in Publishing.PeriodKinds)
        {
            if (kind is not (PeriodKinds.Week or PeriodKinds.Month or PeriodKinds.Quarter))
            {
                yield return $"Metrics:Publishing:PeriodKinds: '{kind}' is not week, month or quarter.";
            }
        }

        for (var i = 0; i < ExceptionRules.Count; i++)
        {
            foreach (var error in ExceptionRules[i].Validate())
            {
                yield return $"Metrics:ExceptionRules:{i}: {error}";
            }
        }

        foreach (var duplicate in ExceptionRules.GroupBy(r => r.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"Metrics:ExceptionRules: key '{duplicate.Key}' is used more than once.";
        }
    }
}

public sealed class PublishingOptions
{
    /// <summary>The periods whose close publishes <c>AttendanceMetricsPublished</c>.</summary>
    /// <remarks>Empty here for the same reason as <see cref="MetricsOptions.GpAgencyCodes"/>; appsettings.json lists week, month and quarter.</remarks>
    public string[] PeriodKinds { get; set; } = [];

    /// <summary>How long after a period closes it is published, so late records of its last day are in.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>The MASDG's daily digest (docs/metrics.md, "The MASDG's lists"): sent only when a mailbox is set.</summary>
public sealed class DigestOptions
{
    /// <summary>The local time of day (in <see cref="MetricsOptions.TimeZone"/>) the digest goes out.</summary>
    public TimeOnly At { get; set; } = new(8, 0);

    /// <summary>The MASDG's mailbox. Unset or empty: no digest.</summary>
    public string? Mailbox { get; set; }

    /// <summary>Where the MASDG signs in to see the lists (the dashboard); optional, shown in the e-mail when set.</summary>
    public Uri? SignInLink { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Mailbox);
}
