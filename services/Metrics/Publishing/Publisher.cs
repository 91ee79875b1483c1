using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Jtai.Strategy.Metrics.Publishing;

/// <summary>Builds a period's report with its exception-rule breaches, and publishes it through the outbox.</summary>
public sealed class Publisher(MetricsQueries queries, IOptions<MetricsOptions> options, TimeProvider clock)
{
    /// <summary>The period kind the contract and the rules know: a single day is a custom range.</summary>
    public static string ContractKind(Period period) => period.Kind == Period.Day ? PeriodKinds.Custom : period.Kind;

    public async Task<MetricsReport> ReportAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        var report = await queries.ReportAsync(query, cancellationToken);
        return WithBreaches(report, query.Period);
    }

    public async Task<IReadOnlyList<MetricsReport>> ReportsAsync(IReadOnlyList<ReportQuery> query, CancellationToken cancellationToken)
    {
        var reports = await queries.ReportsAsync(query, cancellationToken);
        return [.. reports.Select((r, i) => WithBreaches(r, query[i].Period))];
    }

    /// <summary>
    /// Adds the publication and its <see cref="AttendanceMetricsPublished"/> to the unit of work; the
    /// caller commits (an endpoint's SaveChanges, or the deadline poller's transaction).
    /// </summary>
    public async Task<AttendanceMetricsPublished> PublishAsync(MetricsDbContext db, Period period, string trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        var report = await ReportAsync(new ReportQuery(period), cancellationToken);
        var message = new AttendanceMetricsPublished(
            NewId.NextGuid(), ContractKind(period), period.Start, period.End, clock.GetUtcNow(), report.Figures, report.Durations, report.ReasonCounts, report.Breaches,
            RulesFor(ContractKind(period)));
        db.Publications.Add(new Publication
        {
            PublicationId = message.PublicationId,
            PeriodKind = message.PeriodKind,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
            Trigger = trigger,
            PublishedAt = message.PublishedAt,
            RequestedBy = requestedBy,
            Body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web),
        });
        db.AddOutboxMessage(message);
        return message;
    }

    /// <summary>The rules a period of this kind is judged by, as they travel with its figures (the action plan judges by them).</summary>
    public IReadOnlyList<ExceptionRuleApplied> RulesFor(string contractKind) =>
        [.. options.Value.ExceptionRules.Where(r => r.AppliesTo(contractKind)).Select(r => r.Applied())];

    private MetricsReport WithBreaches(MetricsReport report, Period period) =>
        report with { Breaches = ExceptionRuleEvaluator.Evaluate(options.Value.ExceptionRules, ContractKind(period), report) };
}
