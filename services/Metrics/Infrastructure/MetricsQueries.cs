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

    private const string RatioSql =
        $"""
        SELECT metric, agency_code, team_code, grouping(agency_code), grouping(team_code), sum(numerator)::bigint, sum(denominator)::bigint
        FROM (
            SELECT metric, agency_code, team_code, numerator, denominator FROM {Schema}.rollup_month WHERE month >= $1 AND month < $2
            UNION ALL
            SELECT metric, agency_code, team_code, numerator, denominator FROM {Schema}.rollup_day WHERE (day >= $3 AND day < $4) OR (day >= $5 AND day < $6)
        ) cells
        WHERE ($7::text IS NULL OR agency_code = $7) AND ($8::text IS NULL OR team_code = $8)
        GROUP BY GROUPING SETS ((metric), (metric, agency_code), (metric, team_code))
        """;

    private const string DurationSql =
        $"""
        SELECT team_code, grouping(team_code),
            count(decision_to_meeting_min), percentile_cont(0.5) WITHIN GROUP (ORDER BY decision_to_meeting_min), percentile_cont(0.9) WITHIN GROUP (ORDER BY decision_to_meeting_min),
            count(incident_to_meeting_min), percentile_cont(0.5) WITHIN GROUP (ORDER BY incident_to_meeting_min), percentile_cont(0.9) WITHIN GROUP (ORDER BY incident_to_meeting_min)
        FROM {Schema}.meeting_fact
        WHERE held AND meeting_date >= $1 AND meeting_date < $2 AND ($3::text IS NULL OR team_code = $3)
        GROUP BY GROUPING SETS ((), (team_code))
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

    /// <summary>Several periods (a trend) in one round trip.</summary>
    public async Task<IReadOnlyList<MetricsReport>> ReportsAsync(IReadOnlyList<ReportQuery> queries, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var query in queries)
        {
            AddCommands(batch, query);
        }

        var reports = new List<MetricsReport>(queries.Count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < queries.Count; i++)
        {
            if (i > 0)
            {
                await reader.NextResultAsync(cancellationToken);
            }

            reports.Add(await ReadReportAsync(reader, queries[i], cancellationToken));
        }

        return reports;
    }

    private static void AddCommands(NpgsqlBatch batch, ReportQuery query)
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
        batch.BatchCommands.Add(Command(RatioSql, Date(firstMonth), Date(endMonth), Date(start), Date(firstMonth), Date(endMonth), Date(end), Text(agency), Text(team)));
        batch.BatchCommands.Add(Command(DurationSql, Date(start), Date(end), Text(team)));
        batch.BatchCommands.Add(Command(ReasonSql, Date(start), Date(end), Text(team)));
        batch.BatchCommands.Add(Command(OverdueSql, Date(end), Text(team)));
    }

    private static async Task<MetricsReport> ReadReportAsync(NpgsqlDataReader reader, ReportQuery query, CancellationToken cancellationToken)
    {
        var byAgency = query.Breakdown.HasFlag(Breakdown.Agency);
        var byTeam = query.Breakdown.HasFlag(Breakdown.Team);
        var figures = new List<MetricFigure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var metric = reader.GetString(0);
            var agencyGrouped = reader.GetInt32(3) == 0;
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
                    figures.Add(new(metric, n, d, query.AgencyCode, reader.GetString(2)));
                }
            }
            else
            {
                figures.Add(new(metric, n, d, query.AgencyCode, query.TeamCode));
            }
        }

        await reader.NextResultAsync(cancellationToken);
        var durations = new List<DurationFigure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var grouped = reader.GetInt32(1) == 0;
            if (grouped && (!byTeam || reader.IsDBNull(0)))
            {
                continue;
            }

            var team = grouped ? reader.GetString(0) : query.TeamCode;
            durations.Add(new(MetricKeys.DecisionToMeeting, reader.GetInt64(2), NullableDouble(reader, 3), NullableDouble(reader, 4), null, team));
            durations.Add(new(MetricKeys.IncidentToMeeting, reader.GetInt64(5), NullableDouble(reader, 6), NullableDouble(reader, 7), null, team));
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
                var count = reader.GetInt64(2);
                figures.Add(new(MetricKeys.OverdueCirculationsOpen, count, count, query.AgencyCode, grouped ? reader.GetString(0) : query.TeamCode));
            }
        }

        return new MetricsReport(
            query.Period.Kind,
            query.Period.Label,
            query.Period.Start,
            query.Period.End,
            [.. figures.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.AgencyCode, StringComparer.Ordinal).ThenBy(f => f.TeamCode, StringComparer.Ordinal)],
            [.. durations.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.TeamCode, StringComparer.Ordinal)],
            [.. reasons.OrderBy(r => r.ReasonCode, StringComparer.Ordinal).ThenBy(r => r.TeamCode, StringComparer.Ordinal)],
            []);
    }

    private static double? NullableDouble(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static NpgsqlParameter Date(DateOnly value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Date };

    private static NpgsqlParameter Text(object value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
