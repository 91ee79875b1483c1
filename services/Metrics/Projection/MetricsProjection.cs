using System.Diagnostics.Metrics;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Jtai.Strategy.Contracts.Meetings;
using Npgsql;
using NpgsqlTypes;

namespace Jtai.Strategy.Metrics.Projection;

/// <summary>
/// The incremental projection. Per event, in one transaction: append it to the event log (a known
/// message id ends there: idempotent), lock the meeting, fold the event into the meeting's facts,
/// and add the difference between the meeting's new and old contributions to the day and month
/// rollups. Raw Npgsql in three round trips, because this is the ingestion hot path.
/// </summary>
public sealed class MetricsProjection(NpgsqlDataSource dataSource, ProjectionRules rules)
{
    public const string Schema = "metrics";

    private static readonly Counter<long> Ingested = JtaiTelemetry.Meter.CreateCounter<long>("jtai.metrics.events_ingested", description: "Events appended to the metrics event log and projected");
    private static readonly Counter<long> Duplicates = JtaiTelemetry.Meter.CreateCounter<long>("jtai.metrics.events_duplicate", description: "Events already in the metrics event log, dropped");

    // The advisory lock space for meetings (two-int form, so it never meets other users' bigint locks).
    private const string LockMeeting = "SELECT pg_advisory_xact_lock(hashtext('metrics.meeting'), hashtext($1::text))";

    private const string InsertLog =
        $"INSERT INTO {Schema}.event_log (message_id, message_type, meeting_id, occurred_at, body) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (message_id) DO NOTHING RETURNING 1";

    private const string SelectFacts = $"SELECT facts::text FROM {Schema}.meeting_fact WHERE meeting_id = $1";

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

    private static string AddToRollup(string table, string column) =>
        $"""
        INSERT INTO {Schema}.{table} AS r ({column}, metric, agency_code, team_code, numerator, denominator)
        SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
        ON CONFLICT ({column}, metric, agency_code, team_code) DO UPDATE SET numerator = r.numerator + excluded.numerator, denominator = r.denominator + excluded.denominator
        """;

    private static readonly string AddToDays = AddToRollup("rollup_day", "day");
    private static readonly string AddToMonths = AddToRollup("rollup_month", "month");

    public ProjectionRules Rules => rules;

    /// <summary>Logs and projects one event. Returns false when the message id was already in the log.</summary>
    public async Task<bool> IngestAsync(Guid messageId, object message, CancellationToken cancellationToken)
    {
        var logged = ProjectedEvents.Log(messageId, message);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        bool inserted;
        MeetingFacts facts;
        await using (var read = new NpgsqlBatch(connection, transaction))
        {
            read.BatchCommands.Add(Command(InsertLog, logged.MessageId, logged.MessageType, (object?)logged.MeetingId ?? DBNull.Value, logged.OccurredAt, logged.Body));
            if (logged.MeetingId is { } meetingId)
            {
                read.BatchCommands.Add(Command(LockMeeting, meetingId.ToString()));
                read.BatchCommands.Add(Command(SelectFacts, meetingId));
            }

            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            inserted = await reader.ReadAsync(cancellationToken);
            facts = new MeetingFacts { MeetingId = logged.MeetingId ?? Guid.Empty };
            if (logged.MeetingId is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    facts = JsonSerializer.Deserialize<MeetingFacts>(reader.GetString(0), ProjectedEvents.Json)!;
                }
            }
        }

        if (!inserted)
        {
            await transaction.CommitAsync(cancellationToken);
            Duplicates.Add(1);
            return false;
        }

        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            if (message is DecisionNotToConveneRecorded decision)
            {
                write.BatchCommands.Add(Command(UpsertDecision, decision.DecisionId, decision.TeamCode, decision.ConcernCategory, decision.ReasonCode,
                    decision.DecidedAt, rules.LocalDate(decision.DecidedAt), decision.OccurredAt, messageId));
            }
            else
            {
                var before = Contributions.Of(facts, rules);
                facts.Apply(message, messageId);
                var after = Contributions.Of(facts, rules);
                write.BatchCommands.Add(FactsCommand(facts));
                AddDelta(write, AddToDays, Contributions.Delta(before, after, k => k));
                AddDelta(write, AddToMonths, Contributions.Delta(before, after, k => k.ToMonth()));
            }

            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Ingested.Add(1);
        return true;
    }

    internal NpgsqlBatchCommand FactsCommand(MeetingFacts facts)
    {
        var s = Contributions.Summarize(facts, rules);
        return Command(UpsertFacts, facts.MeetingId, (object?)s.TeamCode ?? DBNull.Value, (object?)s.MeetingDate ?? DBNull.Value, s.CountedAsHeld,
            (object?)s.DecisionToMeetingMinutes ?? DBNull.Value, (object?)s.IncidentToMeetingMinutes ?? DBNull.Value,
            (object?)s.CirculationDeadlineDate ?? DBNull.Value, s.OverdueOpen, JsonSerializer.Serialize(facts, ProjectedEvents.Json));
    }

    private static void AddDelta(NpgsqlBatch batch, string sql, List<Contribution> delta)
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
