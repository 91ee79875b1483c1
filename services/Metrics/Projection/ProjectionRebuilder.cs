using System.Diagnostics;
using System.Text.Json;
using Jtai.Strategy.Contracts.Meetings;
using Npgsql;
using NpgsqlTypes;

namespace Jtai.Strategy.Metrics.Projection;

public sealed record RebuildResult(long Events, long Meetings, long Decisions, long DayCells, TimeSpan Elapsed);

/// <summary>A rebuild was asked for while another is running.</summary>
public sealed class RebuildAlreadyRunningException() : Exception("A rebuild of the metrics projection is already running.");

/// <summary>
/// Rebuilds every projected table from the event log without stopping ingestion (issue 13):
/// <list type="number">
/// <item>Under a brief share lock on the log (in-flight batches finish, new ones wait a moment), it raises the
/// rebuild flag and takes a snapshot of the log. From then on every ingestion batch also notes the meetings it
/// touched (<c>rebuild_touched</c>), and ingestion carries on into the live tables.</item>
/// <item>From the snapshot, with the same fold and contributions as the incremental path, it fills shadow tables
/// (<c>*_next</c>, copies of the live ones) with COPY. Readers and ingestion use the live tables meanwhile.</item>
/// <item>The switch, in one transaction under an exclusive lock on the log (ingestion waits for this part only):
/// every touched meeting is folded again from all its events and its difference applied to the shadow tables,
/// the decisions are replayed, and the shadow tables take the live tables' place, with their index names and
/// grants.</item>
/// </list>
/// The shadow tables are <c>meeting_fact</c>, <c>rollup_day</c> and <c>rollup_month</c>; the decisions (few) are
/// replayed during the switch. Creating, dropping and renaming tables is the schema owner's: the service's runtime role
/// calls the two functions of migration 0004 for those steps.
/// So an event is counted once, whether it arrived before the snapshot, during the build or during the switch.
/// </summary>
public sealed class ProjectionRebuilder(NpgsqlDataSource dataSource, ProjectionRules rules)
{
    private const string Schema = MetricsProjection.Schema;
    private const int MeetingsPerChunk = 2000;
    private const string Shadow = "_next";

    /// <summary>Runs after the shadow is built and before the switch (tests ingest there).</summary>
    internal Func<CancellationToken, Task>? BeforeSwitch { get; set; }

    public async Task<RebuildResult> RebuildAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();

        // One rebuild at a time: a session lock held on its own connection for the whole run.
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('metrics.rebuild'), 0)", guard))
        {
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                throw new RebuildAlreadyRunningException();
            }
        }

        try
        {
            await using var snapshot = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var snapshotTransaction = await BeginSnapshotAsync(snapshot, cancellationToken);
            var days = await BuildShadowAsync(snapshot, cancellationToken);
            await snapshotTransaction.CommitAsync(cancellationToken);

            if (BeforeSwitch is { } beforeSwitch)
            {
                await beforeSwitch(cancellationToken);
            }

            return await SwitchAsync(days, stopwatch, cancellationToken);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('metrics.rebuild'), 0)", guard);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Raises the flag and takes the snapshot while no ingestion batch is in flight: a batch that committed before is
    /// in the snapshot; one that commits after reads the flag (after its log insert) and notes its meetings.
    /// </summary>
    private async Task<NpgsqlTransaction> BeginSnapshotAsync(NpgsqlConnection snapshot, CancellationToken cancellationToken)
    {
        await using var flag = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var flagTransaction = await flag.BeginTransactionAsync(cancellationToken);
        // The lock is the schema owner's to take (migration 0005): the runtime role may only read and append to the log.
        await ExecuteAsync(flag, $"SELECT {Schema}.rebuild_hold_ingestion_for_snapshot(); UPDATE {Schema}.rebuild_state SET in_progress = true; DELETE FROM {Schema}.rebuild_touched", cancellationToken);
        var transaction = await snapshot.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // The first query fixes the snapshot, while the flag's transaction still holds writers off.
        await ExecuteAsync(snapshot, $"SET LOCAL statement_timeout = 0; SELECT 1 FROM {Schema}.event_log LIMIT 1", cancellationToken);
        await flagTransaction.CommitAsync(cancellationToken);
        return transaction;
    }

    /// <summary>Fills fresh shadow tables from the snapshot; returns the day cells (the month cells are written too).</summary>
    private async Task<long> BuildShadowAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // The DDL is the schema owner's (migration 0004): the runtime role has no right to create or drop a table.
        await ExecuteAsync(connection, $"SELECT {Schema}.rebuild_prepare_shadows()", cancellationToken);

        var days = new Dictionary<RollupKey, (long N, long D)>();
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        Guid? after = null;
        while (true)
        {
            var chunk = await ReadChunkAsync(connection, after, cancellationToken);
            if (chunk.Count == 0)
            {
                break;
            }

            var facts = new List<MeetingFacts>(MeetingsPerChunk);
            foreach (var group in chunk.GroupBy(e => e.MeetingId))
            {
                var meeting = Fold(group.Key, group.Select(e => (e.MessageId, e.Type, e.Body)));
                foreach (var c in Contributions.Of(meeting, rules))
                {
                    var key = new RollupKey(c.Key.Day, Intern(c.Key.Metric), Intern(c.Key.AgencyCode), Intern(c.Key.TeamCode));
                    var s = days.GetValueOrDefault(key);
                    days[key] = (s.N + c.Numerator, s.D + c.Denominator);
                }

                facts.Add(meeting);
            }

            await CopyFactsAsync(connection, facts, rules, cancellationToken, "meeting_fact" + Shadow);
            after = chunk[^1].MeetingId;
        }

        await CopyRollupAsync(connection, "rollup_day" + Shadow, "day", days.Select(d => (d.Key, d.Value)), cancellationToken);
        var months = days.GroupBy(d => d.Key.ToMonth()).Select(g => (g.Key, (g.Sum(x => x.Value.N), g.Sum(x => x.Value.D))));
        await CopyRollupAsync(connection, "rollup_month" + Shadow, "month", months, cancellationToken);
        return days.Count;

        string Intern(string value)
        {
            if (!interned.TryGetValue(value, out var shared))
            {
                interned[value] = shared = value;
            }

            return shared;
        }
    }

    /// <summary>Brings the shadow up to the log as it now stands and puts it in the live tables' place, atomically.</summary>
    private async Task<RebuildResult> SwitchAsync(long snapshotDayCells, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Ingestion waits from here to the commit; readers go on until the tables are swapped.
        await ExecuteAsync(connection, $"SET LOCAL statement_timeout = 0; SELECT {Schema}.rebuild_hold_ingestion_for_switch()", cancellationToken);

        var touched = await ReadGuidsAsync(connection, $"SELECT meeting_id FROM {Schema}.rebuild_touched ORDER BY meeting_id", [], cancellationToken);
        if (touched.Length > 0)
        {
            // Each touched meeting folded again from all its events; the shadow gets the difference from what it holds.
            var before = new Dictionary<Guid, MeetingFacts>();
            await using (var read = new NpgsqlCommand($"SELECT meeting_id, facts::text FROM {Schema}.meeting_fact{Shadow} WHERE meeting_id = ANY($1)", connection))
            {
                read.Parameters.Add(new NpgsqlParameter { Value = touched });
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    before[reader.GetGuid(0)] = JsonSerializer.Deserialize<MeetingFacts>(reader.GetString(1), ProjectedEvents.Json)!;
                }
            }

            var logged = await ReadMeetingsAsync(connection, touched, cancellationToken);
            var now = touched.Select(id => Fold(id, logged.Where(e => e.MeetingId == id).Select(e => (e.MessageId, e.Type, e.Body)))).ToList();
            var oldCells = before.Values.SelectMany(m => Contributions.Of(m, rules)).ToList();
            var newCells = now.SelectMany(m => Contributions.Of(m, rules)).ToList();
            await using (var delete = new NpgsqlCommand($"DELETE FROM {Schema}.meeting_fact{Shadow} WHERE meeting_id = ANY($1)", connection))
            {
                delete.Parameters.Add(new NpgsqlParameter { Value = touched });
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyFactsAsync(connection, now, rules, cancellationToken, "meeting_fact" + Shadow);
            await using var write = new NpgsqlBatch(connection);
            MetricsProjection.AddDelta(write, MetricsProjection.AddToRollup("rollup_day" + Shadow, "day"), Contributions.Delta(oldCells, newCells, k => k));
            MetricsProjection.AddDelta(write, MetricsProjection.AddToRollup("rollup_month" + Shadow, "month"), Contributions.Delta(oldCells, newCells, k => k.ToMonth()));
            if (write.BatchCommands.Count > 0)
            {
                await write.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // DELETE, not TRUNCATE: the decisions are few, and the runtime role is not given TRUNCATE.
        await ExecuteAsync(connection, $"DELETE FROM {Schema}.decision_not_to_convene", cancellationToken);
        var decisions = await ReplayDecisionsAsync(connection, cancellationToken);
        // The swap (names, index names, grants) and fresh statistics, as the schema's owner (migration 0004).
        await ExecuteAsync(connection, $"SELECT {Schema}.rebuild_switch_shadows()", cancellationToken);

        await ExecuteAsync(connection, $"UPDATE {Schema}.rebuild_state SET in_progress = false; DELETE FROM {Schema}.rebuild_touched", cancellationToken);
        var events = await ScalarAsync(connection, $"SELECT count(*) FROM {Schema}.event_log", cancellationToken);
        var meetings = await ScalarAsync(connection, $"SELECT count(*) FROM {Schema}.meeting_fact", cancellationToken);
        var dayCells = touched.Length == 0 ? snapshotDayCells : await ScalarAsync(connection, $"SELECT count(*) FROM {Schema}.rollup_day", cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return new RebuildResult(events, meetings, decisions, dayCells, stopwatch.Elapsed);
    }

    private static MeetingFacts Fold(Guid meetingId, IEnumerable<(Guid MessageId, string Type, string Body)> events)
    {
        var meeting = new MeetingFacts { MeetingId = meetingId };
        foreach (var (messageId, type, body) in events)
        {
            meeting.Apply(ProjectedEvents.Read(type, body), messageId);
        }

        return meeting;
    }

    private static async Task<List<(Guid MeetingId, Guid MessageId, string Type, string Body)>> ReadMeetingsAsync(NpgsqlConnection connection, Guid[] meetingIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT meeting_id, message_id, message_type, body::text FROM {Schema}.event_log WHERE meeting_id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = meetingIds });
        var rows = new List<(Guid, Guid, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

    private static async Task<Guid[]> ReadGuidsAsync(NpgsqlConnection connection, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The events of the next meetings (by id) after <paramref name="after"/>, grouped by meeting.</summary>
    private static async Task<List<(Guid MeetingId, Guid MessageId, string Type, string Body)>> ReadChunkAsync(NpgsqlConnection connection, Guid? after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH ids AS (SELECT DISTINCT meeting_id FROM {Schema}.event_log WHERE meeting_id > $1 ORDER BY meeting_id LIMIT {MeetingsPerChunk})
            SELECT e.meeting_id, e.message_id, e.message_type, e.body::text FROM {Schema}.event_log e JOIN ids USING (meeting_id) ORDER BY e.meeting_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = after ?? Guid.Empty });
        var rows = new List<(Guid, Guid, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

    private async Task<long> ReplayDecisionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Latest per decision by (occurred_at, message_id), exactly as the incremental upsert keeps it.
        var latest = new Dictionary<Guid, (DecisionNotToConveneRecorded Decision, Guid MessageId)>();
        long count = 0;
        await using (var command = new NpgsqlCommand($"SELECT message_id, message_type, body::text FROM {Schema}.event_log WHERE meeting_id IS NULL", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (ProjectedEvents.Read(reader.GetString(1), reader.GetString(2)) is not DecisionNotToConveneRecorded decision)
                {
                    continue;
                }

                count++;
                var messageId = reader.GetGuid(0);
                if (!latest.TryGetValue(decision.DecisionId, out var current)
                    || (decision.OccurredAt, messageId).CompareTo((current.Decision.OccurredAt, current.MessageId)) > 0)
                {
                    latest[decision.DecisionId] = (decision, messageId);
                }
            }
        }

        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {Schema}.decision_not_to_convene (decision_id, team_code, concern_category, reason_code, decided_at, decided_on, occurred_at, message_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (decision, messageId) in latest.Values)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(decision.DecisionId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(decision.TeamCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(decision.ConcernCategory, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(decision.ReasonCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(decision.DecidedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(rules.LocalDate(decision.DecidedAt), NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync(decision.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(messageId, NpgsqlDbType.Uuid, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        return count;
    }

    internal static async Task CopyFactsAsync(NpgsqlConnection connection, IReadOnlyList<MeetingFacts> facts, ProjectionRules rules, CancellationToken cancellationToken, string table = "meeting_fact")
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {Schema}.{table} (meeting_id, team_code, meeting_date, held, decision_to_meeting_min, incident_to_meeting_min, circulation_deadline_date, overdue_open, facts) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var meeting in facts)
        {
            var s = Contributions.Summarize(meeting, rules);
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(meeting.MeetingId, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(writer, s.TeamCode, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(writer, s.MeetingDate, NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync(s.CountedAsHeld, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(writer, s.DecisionToMeetingMinutes, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, s.IncidentToMeetingMinutes, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, s.CirculationDeadlineDate, NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync(s.OverdueOpen, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(JsonSerializer.Serialize(meeting, ProjectedEvents.Json), NpgsqlDbType.Jsonb, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    internal static async Task CopyRollupAsync(NpgsqlConnection connection, string table, string column, IEnumerable<(RollupKey Key, (long N, long D) Value)> cells, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {Schema}.{table} ({column}, metric, agency_code, team_code, numerator, denominator) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (key, (n, d)) in cells)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(key.Day, NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync(key.Metric, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(key.AgencyCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(key.TeamCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(n, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(d, NpgsqlDbType.Bigint, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? writer.WriteAsync(v, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? writer.WriteAsync(value, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
