using System.Globalization;
using Jtai.Strategy.BuildingBlocks.Http;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;

namespace Jtai.Strategy.Metrics.Apis;

/// <summary>Query string of the figures endpoints: a period token (2026-Q1, 2026-03, 2026-W10, 2026-03-02) or from/to dates.</summary>
public sealed record FiguresRequest(string? Period, string? From, string? To, string? By, string? Agency, string? Team)
{
    public const int MaxRangeDays = 3660;

    public ReportQuery? Validate(ValidationErrors errors)
    {
        var period = MetricsRequests.ReadPeriod(Period, From, To, errors);
        var breakdown = MetricsRequests.ReadBreakdown(By, errors);
        errors.MaxLength("agency", Agency, 50).MaxLength("team", Team, 50);
        return errors.Any ? null : new ReportQuery(period!, breakdown, Blank(Agency), Blank(Team));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Query string of the trend endpoints: a series of periods of one granularity, optionally one metric.</summary>
public sealed record TrendsRequest(string? Granularity, string? From, string? To, string? Metric, string? By, string? Agency, string? Team)
{
    public const int MaxPeriods = 370;

    public (IReadOnlyList<ReportQuery> Queries, string? Metric)? Validate(ValidationErrors errors)
    {
        var granularity = string.IsNullOrWhiteSpace(Granularity) ? PeriodKinds.Month : Granularity.Trim().ToLowerInvariant();
        errors.When(!Period.IsCalendarKind(granularity), "granularity", "granularity must be day, week, month or quarter.");
        var from = MetricsRequests.ReadDate("from", From, errors, required: true);
        var to = MetricsRequests.ReadDate("to", To, errors, required: true);
        errors.When(from is not null && to is not null && from >= to, "to", "to must be after from.");
        errors.When(Metric is { Length: > 100 }, "metric", "metric must be at most 100 characters.");
        var breakdown = MetricsRequests.ReadBreakdown(By, errors);
        errors.MaxLength("agency", Agency, 50).MaxLength("team", Team, 50);
        if (errors.Any)
        {
            return null;
        }

        var periods = Period.Series(granularity, from!.Value, to!.Value);
        if (periods.Count > MaxPeriods)
        {
            errors.Add("to", $"A trend has at most {MaxPeriods} periods; use a coarser granularity or a shorter range.");
            return null;
        }

        var agency = string.IsNullOrWhiteSpace(Agency) ? null : Agency.Trim();
        var team = string.IsNullOrWhiteSpace(Team) ? null : Team.Trim();
        return ([.. periods.Select(p => new ReportQuery(p, breakdown, agency, team))], string.IsNullOrWhiteSpace(Metric) ? null : Metric.Trim());
    }
}

/// <summary>Body of <c>POST /api/metrics/publications</c>: a period token, or from/to for a custom range.</summary>
public sealed record PublishRequest(string? Period, string? From, string? To);

public static class MetricsRequests
{
    public static Period? ReadPeriod(string? token, string? from, string? to, ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(token))
        {
            errors.When(from is not null || to is not null, "period", "Give either period or from/to, not both.");
            if (Domain.Period.TryParse(token, out var parsed))
            {
                return parsed;
            }

            errors.Add("period", "period must be a quarter (2026-Q1), a month (2026-03), an ISO week (2026-W10) or a day (2026-03-02).");
            return null;
        }

        var start = ReadDate("from", from, errors, required: true);
        var end = ReadDate("to", to, errors, required: true);
        if (start is null || end is null)
        {
            return null;
        }

        if (start >= end)
        {
            errors.Add("to", "to must be after from (to is exclusive).");
            return null;
        }

        if (end.Value.DayNumber - start.Value.DayNumber > FiguresRequest.MaxRangeDays)
        {
            errors.Add("to", $"A range covers at most {FiguresRequest.MaxRangeDays} days.");
            return null;
        }

        return new Period(PeriodKinds.Custom, start.Value, end.Value);
    }

    public static DateOnly? ReadDate(string field, string? value, ValidationErrors errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.When(required, field, $"{field} is required (yyyy-MM-dd), or give period.");
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 2999)
        {
            return date;
        }

        errors.Add(field, $"{field} must be a date as yyyy-MM-dd.");
        return null;
    }

    public static Breakdown ReadBreakdown(string? by, ValidationErrors errors)
    {
        switch (by?.Trim().ToLowerInvariant())
        {
            case null or "" or "all":
                return Breakdown.All;
            case "overall":
                return Breakdown.Overall;
            case "agency":
                return Breakdown.Agency;
            case "team":
                return Breakdown.Team;
            default:
                errors.Add("by", "by must be overall, agency, team or all.");
                return Breakdown.All;
        }
    }
}
