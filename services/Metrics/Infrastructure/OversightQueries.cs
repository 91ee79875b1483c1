using System.Text.Json;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Projection;
using Npgsql;
using NpgsqlTypes;

namespace Jtai.Strategy.Metrics.Infrastructure;

/// <summary>
/// The MASDG's lists of individual meetings, read from the projection's facts: the open overdue circulations (a
/// gauge: reported overdue, not circulated, not cancelled) and the meetings held below the national minimum on a day.
/// </summary>
public sealed class OversightQueries(NpgsqlDataSource dataSource)
{
    private const string Schema = MetricsProjection.Schema;

    // The partial index ix_meeting_fact_overdue holds exactly these rows. Only the four fields the list shows are read
    // out of each facts document (web-cased JSON, as MeetingFacts is stored): at the 1M-invitation volume there are
    // many open overdue meetings, and reading and deserializing each whole document (its invitations and all) made
    // the MASDG's dashboard page take over a second (docs/web.md, "The dashboard at the 1M-invitation volume").
    private const string OverdueSql = $"""
        SELECT meeting_id, facts->'reference'->>'value', facts->'team'->>'value', facts->'overdueDeadline'->>'value', (facts->>'circulationNoticesSent')::int
        FROM {Schema}.meeting_fact
        WHERE overdue_open AND facts->'overdueDeadline' IS NOT NULL AND ($1::text IS NULL OR team_code = $1)
        """;

    // "held" is the counted flag (held, not cancelled, with a team): ix_meeting_fact_held_date serves the day.
    private const string HeldOnSql = $"SELECT facts::text FROM {Schema}.meeting_fact WHERE held AND meeting_date = $1";

    /// <summary>
    /// Every open overdue circulation as of <paramref name="now"/>, longest overdue first, then by reference: the
    /// deadline is the one the overdue notice named (the notified one), so the order does not change as time passes.
    /// </summary>
    public async Task<IReadOnlyList<OverdueCirculation>> OverdueCirculationsAsync(DateTimeOffset now, string? teamCode, CancellationToken cancellationToken)
    {
        var list = new List<OverdueCirculation>();
        await using var command = dataSource.CreateCommand(OverdueSql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)teamCode ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Facts folded before references were kept have none until a rebuild: the meeting id stands in (ReferenceOf).
            var reference = reader.IsDBNull(1) ? reader.GetGuid(0).ToString() : reader.GetString(1);
            var deadline = DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
            list.Add(new OverdueCirculation(
                reference, reader.IsDBNull(2) ? string.Empty : reader.GetString(2), deadline, Math.Round((now - deadline).TotalHours, 1), reader.IsDBNull(4) ? 0 : reader.GetInt32(4)));
        }

        return [.. list.OrderBy(o => o.Deadline).ThenBy(o => o.MeetingReference, StringComparer.Ordinal)];
    }

    /// <summary>Meetings held (not cancelled) below the national minimum on a local day, by start then reference.</summary>
    public async Task<IReadOnlyList<BelowMinimumMeeting>> HeldBelowMinimumAsync(DateOnly day, CancellationToken cancellationToken) =>
        [.. (await FactsAsync(HeldOnSql, new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Date, Value = day }, cancellationToken))
            .Where(f => f.Held?.Value.BelowNationalMinimum == true)
            .Select(f => new BelowMinimumMeeting(ReferenceOf(f), f.Team?.Value ?? string.Empty, f.Held!.Value.ActualStart, f.Held.Value.ActualEnd))
            .OrderBy(m => m.ActualStart).ThenBy(m => m.MeetingReference, StringComparer.Ordinal)];

    // Facts folded before references were kept have none until a rebuild: the meeting id stands in, never a blank.
    private static string ReferenceOf(MeetingFacts facts) => facts.Reference?.Value ?? facts.MeetingId.ToString();

    private async Task<List<MeetingFacts>> FactsAsync(string sql, NpgsqlParameter parameter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<MeetingFacts>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(JsonSerializer.Deserialize<MeetingFacts>(reader.GetString(0), ProjectedEvents.Json)!);
        }

        return result;
    }
}
