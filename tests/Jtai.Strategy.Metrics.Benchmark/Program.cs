// Metrics benchmark: 1,000,000 invitations over five years, then the quarterly by-agency query.
//
//   dotnet run -c Release --project tests/Jtai.Strategy.Metrics.Benchmark [-- options]
//     --invitations N     invitations in the history (default 1000000)
//     --live-events N     events ingested through RabbitMQ and the service's consumer (default 20000)
//     --query-runs N      timed runs per query (default 500, at least 200)
//     --rebuild           also time a full rebuild of the projection from the event log
//     --web               instead of steps 2-4: the web service's /masdg page itself, signed in as the MASDG (WebDashboard.cs)
//     --web-runs N        timed requests per period and scope with --web (default 20)
//
// Last, the dashboard measurement: the metrics API calls the web service's MASDG dashboard and trends pages make.
//
// Needs the servers of scripts/infra.sh (or the ConnectionStrings__* variables). It makes its own
// database and virtual host and drops them afterwards. See docs/metrics.md, "Performance".
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics;
using Jtai.Strategy.Metrics.Benchmark;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Metrics.Projection;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

var invitations = Option("--invitations", 1_000_000);
var liveEvents = Option("--live-events", 20_000);
var queryRuns = Math.Max(200, Option("--query-runs", 500));
const double MachineOutboxLimit = 1_400; // events/s, EF Core outbox pipeline on this machine (shared/docs/environment.md)

var historyStart = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
var historyEnd = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var total = Stopwatch.StartNew();
Console.WriteLine($"Metrics benchmark: {invitations:N0} invitations over {historyStart:yyyy-MM-dd}..{historyEnd:yyyy-MM-dd}, {liveEvents:N0} live events, {queryRuns} query runs");

await using var database = await PostgresDatabase.CreateAsync();
await using var broker = await RabbitMqVirtualHost.CreateAsync();
await using var host = new ServiceHost<MetricsService>(database, broker, new Dictionary<string, string?>
{
    ["Logging:LogLevel:Default"] = "Warning",
});
await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

// 1. The history, by the bulk path (see docs/metrics.md): every event appended to the event log
//    with COPY, exactly as the consumer logs it, while the production fold (MeetingFacts.Apply,
//    Contributions.Of) projects each meeting in memory; facts and rollups are then written with COPY.
//    The log's two secondary indexes are dropped for the load and rebuilt after it.
var generator = new HistoryGenerator(seed: 2018);
var rules = host.Services.GetRequiredService<ProjectionRules>();
await ExecuteAsync(database, "ALTER TABLE metrics.event_log DROP CONSTRAINT event_log_message_id_key; DROP INDEX metrics.ix_event_log_meeting");
var (historyEvents, historyInvitations, historyMeetings) = await BulkLoadAsync(database, rules, generator.Meetings(historyStart, historyEnd, invitations - EstimateInvitations(liveEvents)));
await ExecuteAsync(database, "ALTER TABLE metrics.event_log ADD CONSTRAINT event_log_message_id_key UNIQUE (message_id); CREATE INDEX ix_event_log_meeting ON metrics.event_log (meeting_id)");
await ExecuteAsync(database, "VACUUM ANALYZE metrics.event_log; VACUUM ANALYZE metrics.rollup_day; VACUUM ANALYZE metrics.rollup_month; VACUUM ANALYZE metrics.meeting_fact; VACUUM ANALYZE metrics.decision_not_to_convene");
var loaded = total.Elapsed;
Console.WriteLine($"bulk load: {historyEvents:N0} events ({historyInvitations:N0} invitations, {historyMeetings:N0} meetings) logged and projected in {loaded.TotalSeconds:N0} s = {historyEvents / loaded.TotalSeconds:N0} events/s (indexes rebuilt, analysed)");

if (args.Contains("--rebuild"))
{
    var rebuild = await host.Services.GetRequiredService<ProjectionRebuilder>().RebuildAsync(CancellationToken.None);
    Console.WriteLine($"rebuild from the log: {rebuild.Events:N0} events, {rebuild.Meetings:N0} meetings, {rebuild.DayCells:N0} day cells in {rebuild.Elapsed.TotalSeconds:N0} s = {rebuild.Events / rebuild.Elapsed.TotalSeconds:N0} events/s");
    await ExecuteAsync(database, "VACUUM ANALYZE metrics.rollup_day; VACUUM ANALYZE metrics.rollup_month; VACUUM ANALYZE metrics.meeting_fact");
}

if (args.Contains("--web"))
{
    // The web service's dashboard page on this history, through the web service (WebDashboard); nothing else.
    await WebDashboard.RunAsync(database, broker, Option("--web-runs", 20));
    Console.WriteLine($"total run time: {total.Elapsed.TotalMinutes:N1} min");
    return;
}

// 2. Live ingestion through the real path: published to RabbitMQ (confirms on), consumed by the
//    service's projection consumer, logged and projected incrementally on top of the five years.
var live = new List<(Guid MessageId, object Message)>();
foreach (var meeting in new HistoryGenerator(seed: 2026).Meetings(historyEnd, historyEnd.AddMonths(3), long.MaxValue))
{
    live.AddRange(meeting);
    if (live.Count >= liveEvents)
    {
        break;
    }
}

// Published in the order things happened (meetings interleave), as the producers' relays would.
live = [.. live.OrderBy(e => ProjectedEvents.OccurredAt(e.Message))];
var liveInvitations = live.Count(e => e.Message is Jtai.Strategy.Contracts.Meetings.InvitationIssued);
var bus = host.Services.GetRequiredService<IBus>();
var before = await CountAsync(database, "SELECT count(*) FROM metrics.event_log");
var ingest = Stopwatch.StartNew();
using (var inFlight = new SemaphoreSlim(64))
{
    var publishes = live.Select(async e =>
    {
        await inFlight.WaitAsync();
        try
        {
            await bus.Publish(e.Message, e.Message.GetType(), context => context.MessageId = e.MessageId);
        }
        finally
        {
            inFlight.Release();
        }
    }).ToList();
    await Task.WhenAll(publishes);
}

var published = ingest.Elapsed;
while (await CountAsync(database, "SELECT count(*) FROM metrics.event_log") < before + live.Count)
{
    await Task.Delay(50);
}

var ingested = ingest.Elapsed;
var liveRate = live.Count / ingested.TotalSeconds;
Console.WriteLine($"live ingestion: {live.Count:N0} events published in {published.TotalSeconds:N1} s, all projected in {ingested.TotalSeconds:N1} s = {liveRate:N0} events/s = {liveRate / MachineOutboxLimit:N2} x the machine's ~{MachineOutboxLimit:N0} events/s outbox pipeline");

// The projection alone (no broker): the consumer's own call (ProjectionWriter, group commit) from 64 callers.
var direct = new List<(Guid MessageId, object Message)>();
foreach (var meeting in new HistoryGenerator(seed: 2027).Meetings(historyEnd.AddMonths(3), historyEnd.AddMonths(6), long.MaxValue))
{
    direct.AddRange(meeting);
    if (direct.Count >= liveEvents / 2)
    {
        break;
    }
}

direct = [.. direct.OrderBy(e => ProjectedEvents.OccurredAt(e.Message))];
var writer = host.Services.GetRequiredService<ProjectionWriter>();
var projectOnly = Stopwatch.StartNew();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < direct.Count)
    {
        await writer.IngestAsync(direct[i].MessageId, direct[i].Message, CancellationToken.None);
    }
}));
Console.WriteLine($"projection only (no broker, 64 callers, group commit): {direct.Count:N0} events in {projectOnly.Elapsed.TotalSeconds:N1} s = {direct.Count / projectOnly.Elapsed.TotalSeconds:N0} events/s");
liveInvitations += direct.Count(e => e.Message is Jtai.Strategy.Contracts.Meetings.InvitationIssued);

// Same-run baseline: what the database commits right now with the same eight writers, one small
// row per transaction (the machine is shared; compare ratios within one run).
await ExecuteAsync(database, "CREATE TABLE public.commit_probe (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb NOT NULL)");
var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
var probe = Stopwatch.StartNew();
var probeCount = 0;
await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
{
    while (probe.Elapsed < TimeSpan.FromSeconds(5))
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("INSERT INTO public.commit_probe (body) VALUES ('{\"a\":1}'::jsonb)", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        Interlocked.Increment(ref probeCount);
    }
}));
Console.WriteLine($"same-run baseline: {probeCount / probe.Elapsed.TotalSeconds:N0} single-row transactions/s with 8 writers (ingestion above = {liveRate / (probeCount / probe.Elapsed.TotalSeconds):N2} x that)");

var totalInvitations = historyInvitations + liveInvitations;
Console.WriteLine($"history now: {totalInvitations:N0} invitations, {await CountAsync(database, "SELECT count(*) FROM metrics.event_log"):N0} events, {await CountAsync(database, "SELECT count(*) FROM metrics.rollup_day"):N0} day cells, {await CountAsync(database, "SELECT count(*) FROM metrics.rollup_month"):N0} month cells");

// 3. The quarterly by-agency query, over random quarters of the five years.
var queries = host.Services.GetRequiredService<MetricsQueries>();
var quarters = Period.Series(PeriodKinds.Quarter, new DateOnly(2021, 1, 1), new DateOnly(2026, 1, 1));
var sample = await queries.ReportAsync(new ReportQuery(quarters[10], Breakdown.Agency), CancellationToken.None);
var sampleIssued = sample.Figures.Single(f => f.Key == MetricKeys.InvitationsIssued && f.AgencyCode is null);
Console.WriteLine($"sample {quarters[10].Label}: {sampleIssued.Numerator:N0} invitations, {sample.Figures.Count(f => f.AgencyCode is not null)} agency figures");

var pick = new Random(47);
var directQuery = await TimeAsync(queryRuns, () => queries.ReportAsync(new ReportQuery(quarters[pick.Next(quarters.Count)], Breakdown.Agency), CancellationToken.None));
Report("quarterly by-agency query (MetricsQueries, direct)", directQuery);

using var client = host.ClientAs(JtaiRoles.Masdg);
var http = await TimeAsync(queryRuns, async () =>
{
    var response = await client.GetAsync($"/api/metrics/figures?period={quarters[pick.Next(quarters.Count)].Label}&by=agency");
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadFromJsonAsync<MetricsReport>();
});
Report("GET /api/metrics/figures?period=YYYY-Qn&by=agency (in-process HTTP, rules, JSON)", http);

var trend = await TimeAsync(50, async () =>
{
    var response = await client.GetAsync("/api/metrics/trends?granularity=quarter&from=2021-01-01&to=2026-01-01&by=agency");
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadAsByteArrayAsync();
});
Report("GET /api/metrics/trends 20 quarters by agency", trend);

// 4. dashboard: what the web service's MASDG dashboard (/masdg) asks the metrics API for one page, its two calls at
// once as the page makes them (a month by agency and team, and the open overdue circulations); then the trends page's
// one call (12 months, overall). A random month of the five years each run.
var months = Period.Series(PeriodKinds.Month, new DateOnly(2021, 1, 1), new DateOnly(2026, 1, 1));
var dashboardRuns = Math.Max(50, queryRuns / 5);
var dashboard = await TimeAsync(dashboardRuns, async () =>
{
    var figures = client.GetAsync($"/api/metrics/figures?period={months[pick.Next(months.Count)].Label}&by=all");
    var overdue = client.GetAsync("/api/metrics/overdue-circulations?pageSize=200");
    foreach (var response in await Task.WhenAll(figures, overdue))
    {
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    return true;
});
Report("dashboard: GET figures?period=YYYY-MM&by=all + overdue-circulations, together (the /masdg page's calls)", dashboard);
var twelveMonths = await TimeAsync(dashboardRuns, async () =>
{
    var from = months[pick.Next(months.Count - 11)].Start;
    var response = await client.GetAsync($"/api/metrics/trends?granularity=month&from={from:yyyy-MM-dd}&to={from.AddMonths(12):yyyy-MM-dd}&by=overall");
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadAsByteArrayAsync();
});
Report("dashboard: GET trends 12 months overall (the /masdg/trends page's call)", twelveMonths);

Console.WriteLine($"total run time: {total.Elapsed.TotalMinutes:N1} min");
return;

static async Task<(long Events, long Invitations, long Meetings)> BulkLoadAsync(PostgresDatabase database, ProjectionRules rules, IEnumerable<List<(Guid MessageId, object Message)>> meetings)
{
    await using var logConnection = new NpgsqlConnection(database.ConnectionString);
    await using var projectionConnection = new NpgsqlConnection(database.ConnectionString);
    await logConnection.OpenAsync();
    await projectionConnection.OpenAsync();
    long events = 0, invitations = 0, count = 0;
    var days = new Dictionary<RollupKey, (long N, long D)>();
    var decisions = new List<(Jtai.Strategy.Contracts.Meetings.DecisionNotToConveneRecorded Decision, Guid MessageId)>();
    var facts = new List<MeetingFacts>();
    await using (var log = await logConnection.BeginBinaryImportAsync("COPY metrics.event_log (message_id, message_type, meeting_id, occurred_at, body) FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var meeting in meetings)
        {
            count++;
            MeetingFacts? folded = null;
            foreach (var (messageId, message) in meeting)
            {
                var logged = ProjectedEvents.Log(messageId, message);
                await log.StartRowAsync();
                await log.WriteAsync(logged.MessageId, NpgsqlDbType.Uuid);
                await log.WriteAsync(logged.MessageType, NpgsqlDbType.Text);
                if (logged.MeetingId is { } meetingId)
                {
                    await log.WriteAsync(meetingId, NpgsqlDbType.Uuid);
                    (folded ??= new MeetingFacts { MeetingId = meetingId }).Apply(message, messageId);
                }
                else
                {
                    await log.WriteNullAsync();
                    decisions.Add(((Jtai.Strategy.Contracts.Meetings.DecisionNotToConveneRecorded)message, messageId));
                }

                await log.WriteAsync(logged.OccurredAt, NpgsqlDbType.TimestampTz);
                await log.WriteAsync(logged.Body, NpgsqlDbType.Jsonb);
                events++;
                invitations += message is Jtai.Strategy.Contracts.Meetings.InvitationIssued ? 1 : 0;
            }

            if (folded is not null)
            {
                foreach (var c in Contributions.Of(folded, rules))
                {
                    var s = days.GetValueOrDefault(c.Key);
                    days[c.Key] = (s.N + c.Numerator, s.D + c.Denominator);
                }

                facts.Add(folded);
                if (facts.Count == 5000)
                {
                    await ProjectionRebuilder.CopyFactsAsync(projectionConnection, facts, rules, CancellationToken.None);
                    facts.Clear();
                }
            }
        }

        await log.CompleteAsync();
    }

    await ProjectionRebuilder.CopyFactsAsync(projectionConnection, facts, rules, CancellationToken.None);
    await ProjectionRebuilder.CopyRollupAsync(projectionConnection, "rollup_day", "day", days.Select(d => (d.Key, d.Value)), CancellationToken.None);
    await ProjectionRebuilder.CopyRollupAsync(projectionConnection, "rollup_month", "month",
        days.GroupBy(d => d.Key.ToMonth()).Select(g => (g.Key, (g.Sum(x => x.Value.N), g.Sum(x => x.Value.D)))), CancellationToken.None);
    await using (var writer = await projectionConnection.BeginBinaryImportAsync(
        "COPY metrics.decision_not_to_convene (decision_id, team_code, concern_category, reason_code, decided_at, decided_on, occurred_at, message_id) FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var (d, messageId) in decisions)
        {
            await writer.WriteRowAsync(CancellationToken.None, d.DecisionId, d.TeamCode, d.ConcernCategory, d.ReasonCode, d.DecidedAt, rules.LocalDate(d.DecidedAt), d.OccurredAt, messageId);
        }

        await writer.CompleteAsync();
    }

    return (events, invitations, count);
}

static long EstimateInvitations(int liveEvents) => liveEvents * 3 / 2 / 5; // live + projection-only events, about one invitation per five

static async Task<List<double>> TimeAsync<T>(int runs, Func<Task<T>> query)
{
    for (var i = 0; i < 20; i++)
    {
        await query();
    }

    var timings = new List<double>(runs);
    for (var i = 0; i < runs; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        await query();
        timings.Add(stopwatch.Elapsed.TotalMilliseconds);
    }

    return timings;
}

static void Report(string name, List<double> timings) => Timings.Report(name, timings);

static async Task<long> CountAsync(PostgresDatabase database, string sql) => await database.ScalarAsync<long>(sql);

static async Task ExecuteAsync(PostgresDatabase database, string sql)
{
    foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        await database.ExecuteAsync(statement);
    }
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
