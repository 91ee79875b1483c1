using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Projection;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Jtai.Strategy.Metrics.Tests.ScriptedMonth;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// Issue 13: a rebuild builds into shadow tables while ingestion goes on, then switches. Events that arrive while it
/// builds are ingested at once (not held until it ends) and, after the switch, every event counts once.
/// </summary>
public sealed class ShadowRebuildTests : IAsyncLifetime
{
    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Events_ingested_while_the_shadow_is_built_are_counted_once_after_the_switch()
    {
        await using var host = await MetricsHost.StartAsync(database, broker);

        // Half the month before the rebuild; the rest (and the first half again, redelivered) while its shadow is built.
        var before = Events.Where((_, i) => i % 2 == 0).ToList();
        var during = Events.Where((_, i) => i % 2 == 1).Concat(before.Take(10)).ToList();
        await host.PublishAsync(before);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == before.Count, TimeSpan.FromSeconds(60), "the first half is projected");

        var rebuilder = host.Services.GetRequiredService<ProjectionRebuilder>();
        var duringFigures = (MetricsReportFigures?)null;
        rebuilder.BeforeSwitch = async cancellationToken =>
        {
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM metrics.rebuild_state WHERE in_progress"));
            await host.PublishAsync(during);
            // Ingestion is not held: every new event is logged and counted in the live tables while the rebuild waits here.
            await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == Events.Count, TimeSpan.FromSeconds(60), "events are ingested during the rebuild");
            var report = await host.FiguresAsync("period=2026-03&by=agency");
            duringFigures = new(report.Figures.Single(f => f is { Key: MetricKeys.InvitationsIssued, AgencyCode: null }).Numerator,
                report.Figures.Single(f => f is { Key: MetricKeys.Attended, AgencyCode: null }).Numerator);
            Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM metrics.rebuild_touched") > 0, "the batches note the meetings they touched");
        };

        var result = await rebuilder.RebuildAsync(CancellationToken.None);
        rebuilder.BeforeSwitch = null;

        Assert.Equal(new MetricsReportFigures(15, 10), duringFigures);
        Assert.Equal(Events.Count, result.Events);

        // Counted once: the hand-computed March table (ScriptedMonthTests), and no shadow or flag left behind.
        var march = await host.FiguresAsync("period=2026-03&by=agency");
        Assert.Contains(march.Figures, f => f is { Key: MetricKeys.InvitationsIssued, AgencyCode: null, Numerator: 15, Denominator: 15 });
        Assert.Contains(march.Figures, f => f is { Key: MetricKeys.Attended, AgencyCode: null, Numerator: 10, Denominator: 15 });
        Assert.Contains(march.Figures, f => f is { Key: MetricKeys.Attended, AgencyCode: Health, Numerator: 2, Denominator: 4 });
        Assert.Contains(march.Figures, f => f is { Key: MetricKeys.MeetingsHeld, AgencyCode: null, Numerator: 4, Denominator: 4 });
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM metrics.rebuild_state WHERE in_progress"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM metrics.rebuild_touched"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'metrics' AND tablename LIKE '%_next'"));
        Assert.Equal(
            "ix_meeting_fact_held_date,ix_meeting_fact_overdue,meeting_fact_pkey,rollup_day_pkey,rollup_month_pkey",
            await database.ScalarAsync<string>("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'metrics' AND tablename IN ('meeting_fact', 'rollup_day', 'rollup_month')"));

        // Row for row what a quiet rebuild gives (and what the incremental path gave, ScriptedMonthTests).
        var switched = await database.ProjectionSnapshotAsync();
        await rebuilder.RebuildAsync(CancellationToken.None);
        Assert.Equal(switched, await database.ProjectionSnapshotAsync());

        // Ingestion goes on into the switched tables.
        await host.PublishAsync([new ScriptedEvent(Guid.NewGuid(), Events[0].Message)]);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == Events.Count + 1, because: "the switched tables take new events");
    }

    private sealed record MetricsReportFigures(long Issued, long Attended);
}
