using System.Diagnostics.Metrics;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Jtai.Strategy.Contracts.Meetings;
using Npgsql;
using NpgsqlTypes;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// The incremental projection. Per batch of events, in one transaction: append them to the event log
/// (a known message id ends there: idempotent), lock their meetings, fold each event into its
/// meeting's facts, and add the difference between each meeting's new and old contributions to the
/// day and month rollups. Raw Npgsql in three round trips per batch, because this is the ingestion
/// hot path. <see cref="ProjectionWriter"/> gathers concurrent deliveries into batches.
/// </summary>
public sealed class MetricsProjection(NpgsqlDataSource dataSource, ProjectionRules rules)
{
    public const string Schema = "metrics";

    private static readonly Counter<long> Ingested = JtaiTelemetry.Meter.CreateCounter<long>("jtai.metrics.events_ingested", description: "Events appended to the metrics event log and projected");
    private static readonly Counter<long> Duplicates = JtaiTelemetry.Meter.CreateCounter<long>("jtai.metrics.events_duplicate", description: "Events already in the metrics event log, dropped");
    private static readonly Histogram<long> BatchSizes = JtaiTelemetry.Meter.CreateHistogram<long>("jtai.metrics.batch_size", description: "Events projected per transaction");

    private const string InsertLog =
        $"""
        INSERT INTO {Schema}.event_log (message_id, message_type, meeting_id, occurred_at, body)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[]::jsonb[])
        ON CONFLICT (message_id) DO NOTHING RETURNING message_id
        """;

    // Meetings locked in id order (the advisory space for meetings, two-int form so it never meets
    // other users' bigint locks): another instance or a rebuild never interleaves with this batch.
    private const string LockMeetings =
        "SELECT pg_advisory_xact_lock(hashtext('metrics.meeting'), hashtext(id::text)) FROM (SELECT unnest($1::uuid[]) AS id ORDER BY 1) ids";

    private const string SelectFacts = $"SELECT meeting_id, facts::text FROM {Schema}.meeting_fact WHERE meeting_id = ANY($1)";

    private const string UpsertFacts =
        $"""
        INSERT INTO {Schema}.meeting_fact (meeting_id, team_code, meeting_date, held, decision_to_meeting_min, incident_to_meeting_min, circulation_deadline_date, overdue_open, facts, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, now())
        ON CONFLICT (meeting_id) DO UPDATE SET team_code = excluded.team_code, meeting_date = excluded.meeting_date, held = excluded.held,
            decision_to_meeting_min = excluded.decision_to_meeting_min, incident_to_meeting_min = excluded.incident_to_meeting_min,
            circulation_deadline_date = excluded.circulation_deadline_date, overdue_open = excluded.overdue_open, facts = excluded.facts, updated_at = now()
        """;

    // Later events with the same decision id win by (occurred_at, message_id), so any order gives the same row.
    private const string UpsertDecision =
        $"""
        INSERT INTO {Schema}.decision_not_to_convene AS d (decision_id, team_code, concern_category, reason_code, decided_at, decided_on, occurred_at, message_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (decision_id) DO UPDATE SET team_code = excluded.team_code, concern_category = excluded.concern_category, reason_code = excluded.reason_code,
            decided_at = excluded.decided_at, decided_on = excluded.decided_on, occurred_at = excluded.occurred_at, message_id = excluded.message_id
        WHERE (excluded.occurred_at, excluded.message_id) > (d.occurred_at, d.message_id)
        """;

    // While a rebuild runs (its flag read here, after the log insert took its lock), the meetings a batch touched are
    // noted for the rebuild to replay before it switches (ProjectionRebuilder).
    private const string NoteTouched =
        $"""
        INSERT INTO {Schema}.rebuild_touched (meeting_id) SELECT unnest($1::uuid[]) WHERE (SELECT in_progress FROM {Schema}.rebuild_state)
        ON CONFLICT DO NOTHING
        """;

    internal static string AddToRollup(string table, string column) =>
        $"""
        INSERT INTO {Schema}.{table} AS r ({column}, metric, agency_code, team_code, numerator, denominator)
        SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
        ON CONFLICT ({column}, metric, agency_code, team_code) DO UPDATE SET numerator = r.numerator + excluded.numerator, denominator = r.denominator + excluded.denominator
        """;

    private static readonly string AddToDays = AddToRollup("rollup_day", "day");
    private static readonly string AddToMonths = AddToRollup("rollup_month", "month");

    public ProjectionRules Rules => rules;

    /// <summary>Logs and projects one event on its own. Returns false when the message id was already in the log.</summary>
    public async Task<bool> IngestAsync(Guid messageId, object message, CancellationToken cancellationToken) =>
        (await IngestBatchAsync([(messageId, message)], cancellationToken))[0];

    /// <summary>
    /// Logs and projects a batch in one transaction. Returns, per event, whether it was new (false: its
    /// message id was already logged, or appears earlier in the batch).
    /// </summary>
    public async Task<bool[]> IngestBatchAsync(IReadOnlyList<(Guid MessageId, object Message)> events, CancellationToken cancellationToken)
    {
        var logged = events.Select(e => ProjectedEvents.Log(e.MessageId, e.Message)).ToList();
        var meetingIds = logged.Where(l => l.MeetingId is not null).Select(l => l.MeetingId!.Value).Distinct().Order().ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var inserted = new HashSet<Guid>();
        var facts = new Dictionary<Guid, MeetingFacts>();
        await using (var read = new NpgsqlBatch(connection, transaction))
        {
            var log = new NpgsqlBatchCommand(InsertLog);
            log.Parameters.Add(new NpgsqlParameter { Value = logged.Select(l => l.MessageId).ToArray() });
            log.Parameters.Add(new NpgsqlParameter { Value = logged.Select(l => l.MessageType).ToArray() });
            log.Parameters.Add(new NpgsqlParameter { Value = logged.Select(l => l.MeetingId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            log.Parameters.Add(new NpgsqlParameter { Value = logged.Select(l => l.OccurredAt).ToArray() });
            log.Parameters.Add(new NpgsqlParameter { Value = logged.Select(l => l.Body).ToArray() });
            read.BatchCommands.Add(log);
            read.BatchCommands.Add(Command(LockMeetings, meetingIds));
            read.BatchCommands.Add(Command(SelectFacts, meetingIds));

            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetGuid(0));
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                facts[reader.GetGuid(0)] = JsonSerializer.Deserialize<MeetingFacts>(reader.GetString(1), ProjectedEvents.Json)!;
            }
        }

        // New = inserted by this statement, first occurrence only (a duplicate inside the batch is a duplicate).
        var isNew = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            isNew[i] = inserted.Remove(events[i].MessageId);
        }

        var before = new Dictionary<Guid, List<Contribution>>();
        var decisions = new Dictionary<Guid, (DecisionNotToConveneRecorded Decision, Guid MessageId)>();
        for (var i = 0; i < events.Count; i++)
        {
            if (!isNew[i])
            {
                continue;
            }

            var (messageId, message) = events[i];
            if (message is DecisionNotToConveneRecorded decision)
            {
                // The same last-writer-wins the upsert applies, so one statement per decision suffices.
                if (!decisions.TryGetValue(decision.DecisionId, out var current) || (decision.OccurredAt, messageId).CompareTo((current.Decision.OccurredAt, current.MessageId)) > 0)
                {
                    decisions[decision.DecisionId] = (decision, messageId);
                }

                continue;
            }

            var meetingId = logged[i].MeetingId!.Value;
            if (!facts.TryGetValue(meetingId, out var meeting))
            {
                facts[meetingId] = meeting = new MeetingFacts { MeetingId = meetingId };
            }

            if (!before.ContainsKey(meetingId))
            {
                before[meetingId] = Contributions.Of(meeting, rules);
            }

            meeting.Apply(message, messageId);
        }

        var newCount = isNew.Count(n => n);
        if (newCount > 0)
        {
            var oldCells = before.Values.SelectMany(c => c).ToList();
            var newCells = before.Keys.SelectMany(id => Contributions.Of(facts[id], rules)).ToList();
            await using var write = new NpgsqlBatch(connection, transaction);
            foreach (var meetingId in before.Keys.Order())
            {
                write.BatchCommands.Add(FactsCommand(facts[meetingId]));
            }

            if (before.Count > 0)
            {
                write.BatchCommands.Add(Command(NoteTouched, before.Keys.Order().ToArray()));
            }

            AddDelta(write, AddToDays, Contributions.Delta(oldCells, newCells, k => k));
            AddDelta(write, AddToMonths, Contributions.Delta(oldCells, newCells, k => k.ToMonth()));
            foreach (var (decision, messageId) in decisions.Values)
            {
                write.BatchCommands.Add(Command(UpsertDecision, decision.DecisionId, decision.TeamCode, decision.ConcernCategory, decision.ReasonCode,
                    decision.DecidedAt, rules.LocalDate(decision.DecidedAt), decision.OccurredAt, messageId));
            }

            if (write.BatchCommands.Count > 0)
            {
                await write.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        Ingested.Add(newCount);
        Duplicates.Add(events.Count - newCount);
        BatchSizes.Record(events.Count);
        return isNew;
    }

    internal NpgsqlBatchCommand FactsCommand(MeetingFacts facts)
    {
        var s = Contributions.Summarize(facts, rules);
        return Command(UpsertFacts, facts.MeetingId, (object?)s.TeamCode ?? DBNull.Value, (object?)s.MeetingDate ?? DBNull.Value, s.CountedAsHeld,
            (object?)s.DecisionToMeetingMinutes ?? DBNull.Value, (object?)s.IncidentToMeetingMinutes ?? DBNull.Value,
            (object?)s.CirculationDeadlineDate ?? DBNull.Value, s.OverdueOpen, JsonSerializer.Serialize(facts, ProjectedEvents.Json));
    }

    internal static void AddDelta(NpgsqlBatch batch, string sql, List<Contribution> delta)
    {
        if (delta.Count == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = delta.Select(d => d.Key.Day).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = delta.Select(d => d.Key.Metric).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = delta.Select(d => d.Key.AgencyCode).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = delta.Select(d => d.Key.TeamCode).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = delta.Select(d => d.Numerator).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = delta.Select(d => d.Denominator).ToArray() });
        batch.BatchCommands.Add(command);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
