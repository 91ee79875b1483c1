using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Projection;
using Npgsql;
using NpgsqlTypes;

namespace Jtai.Strategy.Metrics.Infrastructure;

/// <summary>The figures of one period: ratios (numerator/denominator), durations, reasons, and the rules they break.</summary>
public sealed record MetricsReport(
    string PeriodKind,
    string PeriodLabel,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    IReadOnlyList<MetricFigure> Figures,
    IReadOnlyList<DurationFigure> Durations,
    IReadOnlyList<ReasonCount> ReasonCounts,
    IReadOnlyList<MetricBreach> Breaches);

/// <summary>Which scopes a report holds besides the overall figures.</summary>
[Flags]
public enum Breakdown
{
    Overall = 0,
    Agency = 1,
    Team = 2,
    All = Agency | Team,
}

/// <summary>What to report: a period, the scopes, and optional filters to one agency and/or one team.</summary>
public sealed record ReportQuery(Period Period, Breakdown Breakdown = Breakdown.All, string? AgencyCode = null, string? TeamCode = null);

/// <summary>
/// Reads the rollups. A period is cut into whole months (read from <c>rollup_month</c>) and the days
/// at either end (from <c>rollup_day</c>), so a quarter sums three rows per cell however long the
/// history. Four statements, one round trip per period.
/// </summary>
public sealed class MetricsQueries(NpgsqlDataSource dataSource)
{
    private const string Schema = MetricsProjection.Schema;

    // Only the grouping sets a report needs, and one sort per duration (both percentiles from one array aggregate).
    private static string RatioSql(Breakdown breakdown) =>
        $"""
        SELECT metric, {Grouped(breakdown.HasFlag(Breakdown.Agency), "agency_code")}, {Grouped(breakdown.HasFlag(Breakdown.Team), "team_code")}, sum(numerator)::bigint, sum(denominator)::bigint
        FROM (
            SELECT metric, agency_code, team_code, numerator, denominator FROM {Schema}.rollup_month WHERE month >= $1 AND month < $2
            UNION ALL
            SELECT metric, agency_code, team_code, numerator, denominator FROM {Schema}.rollup_day WHERE (day >= $3 AND day < $4) OR (day >= $5 AND day < $6)
        ) cells
        WHERE ($7::text IS NULL OR agency_code = $7) AND ($8::text IS NULL OR team_code = $8)
        GROUP BY GROUPING SETS ((metric){(breakdown.HasFlag(Breakdown.Agency) ? ", (metric, agency_code)" : string.Empty)}{(breakdown.HasFlag(Breakdown.Team) ? ", (metric, team_code)" : string.Empty)})
        """;

    // A column outside every grouping set may not be selected: stand in for it as "not grouped".
    private static string Grouped(bool used, string column) => used ? $"{column}, grouping({column})" : $"NULL::text, 1";

    private static string DurationSql(Breakdown breakdown) =>
        $"""
        SELECT {Grouped(breakdown.HasFlag(Breakdown.Team), "team_code")},
            count(decision_to_meeting_min), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY decision_to_meeting_min),
            count(incident_to_meeting_min), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY incident_to_meeting_min)
        FROM {Schema}.meeting_fact
        WHERE held AND meeting_date >= $1 AND meeting_date < $2 AND ($3::text IS NULL OR team_code = $3)
        GROUP BY GROUPING SETS ((){(breakdown.HasFlag(Breakdown.Team) ? ", (team_code)" : string.Empty)})
        """;

    private const string ReasonSql =
        $"""
        SELECT reason_code, team_code, grouping(team_code), count(*)
        FROM {Schema}.decision_not_to_convene
        WHERE decided_on >= $1 AND decided_on < $2 AND ($3::text IS NULL OR team_code = $3)
        GROUP BY GROUPING SETS ((reason_code), (reason_code, team_code))
        """;

    // A gauge, not a period sum: circulations that fell due before the period's end and are still open now.
    private const string OverdueSql =
        $"""
        SELECT team_code, grouping(team_code), count(*)
        FROM {Schema}.meeting_fact
        WHERE overdue_open AND circulation_deadline_date < $1 AND ($2::text IS NULL OR team_code = $2)
        GROUP BY GROUPING SETS ((), (team_code))
        """;

    public async Task<MetricsReport> ReportAsync(ReportQuery query, CancellationToken cancellationToken) =>
        (await ReportsAsync([query], cancellationToken))[0];

    /// <summary>
    /// Several periods (a trend). The ratios and the rest (durations, reasons, overdue) run as two
    /// prepared batches on two connections at once, so a report costs the slower of the two.
    /// </summary>
    public async Task<IReadOnlyList<MetricsReport>> ReportsAsync(IReadOnlyList<ReportQuery> queries, CancellationToken cancellationToken)
    {
        var ratios = RunAsync(queries, AddRatioCommand, ReadFiguresAsync, cancellationToken);
        var rest = RunAsync(queries, AddOtherCommands, ReadRestAsync, cancellationToken);
        var figures = await ratios;
        var others = await rest;
        return [.. queries.Select((query, i) => new MetricsReport(
            query.Period.Kind,
            query.Period.Label,
            query.Period.Start,
            query.Period.End,
            [.. figures[i].Concat(others[i].Overdue).OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.AgencyCode, StringComparer.Ordinal).ThenBy(f => f.TeamCode, StringComparer.Ordinal)],
            [.. others[i].Durations.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.TeamCode, StringComparer.Ordinal)],
            [.. others[i].Reasons.OrderBy(r => r.ReasonCode, StringComparer.Ordinal).ThenBy(r => r.TeamCode, StringComparer.Ordinal)],
            []))];
    }

    private async Task<List<T>> RunAsync<T>(
        IReadOnlyList<ReportQuery> queries,
        Action<NpgsqlBatch, ReportQuery> add,
        Func<NpgsqlDataReader, ReportQuery, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var query in queries)
        {
            add(batch, query);
        }

        // Prepared once per pooled connection (a no-op afterwards): no planning on the hot path.
        await batch.PrepareAsync(cancellationToken);
        var results = new List<T>(queries.Count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < queries.Count; i++)
        {
            if (i > 0)
            {
                await reader.NextResultAsync(cancellationToken);
            }

            results.Add(await read(reader, queries[i], cancellationToken));
        }

        return results;
    }

    private static void AddRatioCommand(NpgsqlBatch batch, ReportQuery query)
    {
        var (start, end) = (query.Period.Start, query.Period.End);
        var firstMonth = start.Day == 1 ? start : new DateOnly(start.Year, start.Month, 1).AddMonths(1);
        var endMonth = new DateOnly(end.Year, end.Month, 1);
        if (firstMonth >= endMonth)
        {
            // No whole month inside: days only.
            (firstMonth, endMonth) = (end, end);
        }

        object agency = (object?)query.AgencyCode ?? DBNull.Value;
        object team = (object?)query.TeamCode ?? DBNull.Value;
        batch.BatchCommands.Add(Command(RatioSql(query.Breakdown), Date(firstMonth), Date(endMonth), Date(start), Date(firstMonth), Date(endMonth), Date(end), Text(agency), Text(team)));
    }

    private static void AddOtherCommands(NpgsqlBatch batch, ReportQuery query)
    {
        var (start, end) = (query.Period.Start, query.Period.End);
        object team = (object?)query.TeamCode ?? DBNull.Value;
        batch.BatchCommands.Add(Command(DurationSql(query.Breakdown), Date(start), Date(end), Text(team)));
        batch.BatchCommands.Add(Command(ReasonSql, Date(start), Date(end), Text(team)));
        batch.BatchCommands.Add(Command(OverdueSql, Date(end), Text(team)));
    }

    private static async Task<List<MetricFigure>> ReadFiguresAsync(NpgsqlDataReader reader, ReportQuery query, CancellationToken cancellationToken)
    {
        var byAgency = query.Breakdown.HasFlag(Breakdown.Agency);
        var byTeam = query.Breakdown.HasFlag(Breakdown.Team);
        var figures = new List<MetricFigure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var metric = reader.GetString(0);
            // metric, agency_code, grouping(agency_code), team_code, grouping(team_code), numerator, denominator
            var agencyGrouped = reader.GetInt32(2) == 0;
            var teamGrouped = reader.GetInt32(4) == 0;
            var (n, d) = (reader.GetInt64(5), reader.GetInt64(6));
            if (agencyGrouped)
            {
                // Meeting-level figures have no agency ('') and are not agency figures.
                var agency = reader.GetString(1);
                if (byAgency && agency.Length > 0)
                {
                    figures.Add(new(metric, n, d, agency, query.TeamCode));
                }
            }
            else if (teamGrouped)
            {
                if (byTeam)
                {
                    figures.Add(new(metric, n, d, query.AgencyCode, reader.GetString(3)));
                }
            }
            else
            {
                figures.Add(new(metric, n, d, query.AgencyCode, query.TeamCode));
            }
        }

        return figures;
    }

    private static async Task<(List<DurationFigure> Durations, List<ReasonCount> Reasons, List<MetricFigure> Overdue)> ReadRestAsync(NpgsqlDataReader reader, ReportQuery query, CancellationToken cancellationToken)
    {
        var byTeam = query.Breakdown.HasFlag(Breakdown.Team);
        var figures = new List<MetricFigure>();
        var durations = new List<DurationFigure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var grouped = reader.GetInt32(1) == 0;
            if (grouped && (!byTeam || reader.IsDBNull(0)))
            {
                continue;
            }

            var team = grouped ? reader.GetString(0) : query.TeamCode;
            var decision = Percentiles(reader, 3);
            var incident = Percentiles(reader, 5);
            durations.Add(new(MetricKeys.DecisionToMeeting, reader.GetInt64(2), decision.Median, decision.P90, null, team));
            durations.Add(new(MetricKeys.IncidentToMeeting, reader.GetInt64(4), incident.Median, incident.P90, null, team));
        }

        await reader.NextResultAsync(cancellationToken);
        var reasons = new List<ReasonCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var grouped = reader.GetInt32(2) == 0;
            if (!grouped || byTeam)
            {
                reasons.Add(new(MetricKeys.DecisionsNotToConvene, reader.GetString(0), reader.GetInt64(3), grouped ? reader.GetString(1) : query.TeamCode));
            }
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var grouped = reader.GetInt32(1) == 0;
            if (!grouped || byTeam)
            {
                // Circulating the agreed actions is the chair's (the team's) duty, not an invited agency's: the gauge
                // counts every agency's meetings, so it never carries the agency filter as its label (docs/metrics.md).
                var count = reader.GetInt64(2);
                figures.Add(new(MetricKeys.OverdueCirculationsOpen, count, count, null, grouped ? reader.GetString(0) : query.TeamCode));
            }
        }

        return (durations, reasons, figures);
    }

    private static (double? Median, double? P90) Percentiles(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return (null, null);
        }

        var values = reader.GetFieldValue<double[]>(ordinal);
        return (values[0], values[1]);
    }

    private static NpgsqlParameter Date(DateOnly value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Date };

    private static NpgsqlParameter Text(object value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
