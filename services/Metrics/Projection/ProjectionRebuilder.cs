using System.Diagnostics;
using System.Text.Json;
using Jtai.Strategy.Contracts.Meetings;
using Npgsql;
using NpgsqlTypes;

namespace Jtai.Strategy.Metrics.Projection;

public sealed record RebuildResult(long Events, long Meetings, long Decisions, long DayCells, TimeSpan Elapsed);

/// <summary>
/// Rebuilds every projected table from the event log, in one transaction: the same fold and the same
/// contributions as the incremental path, summed in memory and written with COPY. New events wait
/// (the log is share-locked) and are projected on top once it commits.
/// </summary>
public sealed class ProjectionRebuilder(NpgsqlDataSource dataSource, ProjectionRules rules)
{
    private const string Schema = MetricsProjection.Schema;
    private const int MeetingsPerChunk = 2000;

    public async Task<RebuildResult> RebuildAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SET LOCAL statement_timeout = 0; LOCK TABLE {Schema}.event_log IN SHARE MODE; TRUNCATE {Schema}.meeting_fact, {Schema}.rollup_day, {Schema}.rollup_month, {Schema}.decision_not_to_convene", cancellationToken);

        var days = new Dictionary<RollupKey, (long N, long D)>();
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        long events = 0, meetings = 0, decisions = 0;
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
                var meeting = new MeetingFacts { MeetingId = group.Key };
                foreach (var (_, messageId, type, body) in group)
                {
                    meeting.Apply(ProjectedEvents.Read(type, body), messageId);
                    events++;
                }

                foreach (var c in Contributions.Of(meeting, rules))
                {
                    var key = new RollupKey(c.Key.Day, Intern(c.Key.Metric), Intern(c.Key.AgencyCode), Intern(c.Key.TeamCode));
                    var s = days.GetValueOrDefault(key);
                    days[key] = (s.N + c.Numerator, s.D + c.Denominator);
                }

                facts.Add(meeting);
            }

            await CopyFactsAsync(connection, facts, rules, cancellationToken);
            meetings += facts.Count;
            after = chunk[^1].MeetingId;
        }

        decisions = await ReplayDecisionsAsync(connection, cancellationToken);
        events += decisions;
        await CopyRollupAsync(connection, "rollup_day", "day", days.Select(d => (d.Key, d.Value)), cancellationToken);
        var months = days.GroupBy(d => d.Key.ToMonth()).Select(g => (g.Key, (g.Sum(x => x.Value.N), g.Sum(x => x.Value.D))));
        await CopyRollupAsync(connection, "rollup_month", "month", months, cancellationToken);

        // Fresh statistics for the planner; autovacuum then sets the visibility map for index-only scans.
        await ExecuteAsync(connection, $"ANALYZE {Schema}.meeting_fact; ANALYZE {Schema}.rollup_day; ANALYZE {Schema}.rollup_month; ANALYZE {Schema}.decision_not_to_convene", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RebuildResult(events, meetings, decisions, days.Count, stopwatch.Elapsed);

        string Intern(string value)
        {
            if (!interned.TryGetValue(value, out var shared))
            {
                interned[value] = shared = value;
            }

            return shared;
        }
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

    internal static async Task CopyFactsAsync(NpgsqlConnection connection, IReadOnlyList<MeetingFacts> facts, ProjectionRules rules, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {Schema}.meeting_fact (meeting_id, team_code, meeting_date, held, decision_to_meeting_min, incident_to_meeting_min, circulation_deadline_date, overdue_open, facts) FROM STDIN (FORMAT BINARY)",
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
