using Jtai.Strategy.ActionPlan.Domain;
using Jtai.Strategy.ActionPlan.Infrastructure;
using Jtai.Strategy.BuildingBlocks.Inbox;
using Jtai.Strategy.Contracts.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Jtai.Strategy.ActionPlan.Evidence;

/// <summary>
/// Records each period's attendance metrics as evidence of impact against the linked actions and
/// flags actions whose latest evidence misses its target. Idempotent twice over: the inbox drops a
/// redelivered message, and evidence is keyed by (link, period, agency), so a re-publication of the
/// same period (a correction, with a new message id) replaces the figures instead of adding to them.
/// </summary>
public sealed partial class AttendanceMetricsConsumer(ActionPlanDbContext db, TimeProvider clock, ILogger<AttendanceMetricsConsumer> logger)
    : IdempotentConsumer<AttendanceMetricsPublished, ActionPlanDbContext>(db, logger)
{
    protected override async Task Handle(ConsumeContext<AttendanceMetricsPublished> context)
    {
        var publication = context.Message;
        var keys = publication.Figures.Select(f => f.Key).Distinct().ToList();
        var links = await Db.MetricLinks
            .Where(l => l.PeriodKind == publication.PeriodKind && keys.Contains(l.MetricKey))
            .ToListAsync(context.CancellationToken);
        if (links.Count == 0)
        {
            LogNoLinks(logger, publication.PublicationId, publication.PeriodKind);
            return;
        }

        var linkIds = links.Select(l => l.Id).ToList();
        var existing = await Db.MetricEvidence
            .Where(e => e.LinkId != null && linkIds.Contains(e.LinkId.Value)
                && e.PeriodKind == publication.PeriodKind && e.PeriodStart == publication.PeriodStart && e.PeriodEnd == publication.PeriodEnd)
            .ToListAsync(context.CancellationToken);
        var now = clock.GetUtcNow();
        var touched = new List<MetricEvidence>();
        foreach (var link in links)
        {
            foreach (var figure in publication.Figures.Where(link.Covers))
            {
                var evidence = existing.SingleOrDefault(e => e.LinkId == link.Id && string.Equals(e.AgencyCode, figure.AgencyCode, StringComparison.Ordinal));
                if (evidence is not null && evidence.PublishedAt > publication.PublishedAt)
                {
                    continue; // an older publication arriving late never overwrites a newer one
                }

                if (evidence is null)
                {
                    evidence = new MetricEvidence
                    {
                        Id = Guid.CreateVersion7(now),
                        ActionId = link.ActionId,
                        LinkId = link.Id,
                        PeriodKind = publication.PeriodKind,
                        PeriodStart = publication.PeriodStart,
                        PeriodEnd = publication.PeriodEnd,
                        MetricKey = figure.Key,
                        AgencyCode = figure.AgencyCode,
                    };
                    Db.MetricEvidence.Add(evidence);
                }

                Judge(evidence, link, figure, publication, now);
                touched.Add(evidence);
            }
        }

        var actionIds = links.Select(l => l.ActionId).Distinct().ToList();
        var actions = await Db.Actions.Where(a => actionIds.Contains(a.Id)).ToListAsync(context.CancellationToken);
        await EvidenceAssessment.ReassessAsync(Db, actions, touched, context.CancellationToken);
        foreach (var action in actions.Where(a => a.EvidenceBelowTarget))
        {
            LogBelowTarget(logger, action.Key, publication.PeriodKind, publication.PeriodStart);
        }
    }

    private static void Judge(MetricEvidence evidence, MetricLink link, MetricFigure figure, AttendanceMetricsPublished publication, DateTimeOffset now)
    {
        evidence.PublicationId = publication.PublicationId;
        evidence.PublishedAt = publication.PublishedAt;
        evidence.Numerator = figure.Numerator;
        evidence.Denominator = figure.Denominator;
        evidence.Value = figure.Denominator > 0 ? decimal.Round((decimal)figure.Numerator / figure.Denominator, 6) : null;
        evidence.RecordedAt = now;
        if (publication.Rules is null)
        {
            // Published before the metrics service sent its rules: judged by the link's own target, as then.
            evidence.Comparison = link.Comparison;
            evidence.Target = link.Target;
            evidence.Met = evidence.Value is { } value && figure.Denominator >= link.MinimumDenominator ? link.IsMetBy(value) : null;
            return;
        }

        MetricsServiceVerdict.Judge(evidence, link, figure, publication);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Publication {PublicationId} ({PeriodKind}) touches no linked metric")]
    private static partial void LogNoLinks(ILogger logger, Guid publicationId, string periodKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionKey}: evidence below target ({PeriodKind} from {PeriodStart})")]
    private static partial void LogBelowTarget(ILogger logger, string actionKey, string periodKind, DateOnly periodStart);
}

/// <summary>
/// One publication at a time: each reassesses the flags of the actions it touches from all their
/// evidence, and two in parallel could each miss the other's rows. Publications are rare (a few a month).
/// </summary>
public sealed class AttendanceMetricsConsumerDefinition : ConsumerDefinition<AttendanceMetricsConsumer>
{
    public AttendanceMetricsConsumerDefinition() => ConcurrentMessageLimit = 1;
}
