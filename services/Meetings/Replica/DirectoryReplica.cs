using System.Text.Json;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Jtai.Strategy.Meetings.Replica;

/// <summary>An agency as last announced by the SPOC directory.</summary>
public sealed class AgencyReplica
{
    public required string Code { get; init; }

    public required string Name { get; init; }

    public AgencyKind Kind { get; init; }

    public bool Active { get; init; }

    public long Version { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public AgencyEntry ToEntry() => new(Code, Name, Kind, Active);
}

/// <summary>A SPOC assignment as last announced by the SPOC directory; covers kept as the snapshot's JSON.</summary>
public sealed class SpocReplica
{
    public Guid Id { get; init; }

    public required string AgencyCode { get; init; }

    public string? Area { get; init; }

    public required string FullName { get; init; }

    public int Rank { get; init; }

    public required string SecureEmail { get; init; }

    public string? Phone { get; init; }

    public bool Active { get; init; }

    public required string CoversJson { get; init; }

    public long Version { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public SpocSnapshot ToSnapshot() => new(
        Id, AgencyCode, Area, FullName, Rank, SecureEmail, Phone, Active,
        JsonSerializer.Deserialize<List<CoverPeriod>>(CoversJson, DirectoryReplica.Json) ?? [],
        Version);
}

/// <summary>
/// The local copy of the SPOC directory, built from its events, so convening and chasing work while
/// the directory service is down. Routing uses the directory's own published rule
/// (<see cref="RecipientRouting"/>), so replica and directory answer alike.
/// </summary>
public static partial class DirectoryReplica
{
    private const string UpsertAgencySql = $$"""
        INSERT INTO {{MeetingsDbContext.SchemaName}}.agency_replica (code, name, kind, active, version, updated_at)
        VALUES ({0}, {1}, {2}, {3}, {4}, {5})
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, active = EXCLUDED.active,
            version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
        WHERE agency_replica.version < EXCLUDED.version
        """;

    private const string UpsertSpocSql = $$"""
        INSERT INTO {{MeetingsDbContext.SchemaName}}.spoc_replica (id, agency_code, area, full_name, rank, secure_email, phone, active, covers_json, version, updated_at)
        VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}::jsonb, {9}, {10})
        ON CONFLICT (id) DO UPDATE SET agency_code = EXCLUDED.agency_code, area = EXCLUDED.area, full_name = EXCLUDED.full_name,
            rank = EXCLUDED.rank, secure_email = EXCLUDED.secure_email, phone = EXCLUDED.phone, active = EXCLUDED.active,
            covers_json = EXCLUDED.covers_json, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
        WHERE spoc_replica.version < EXCLUDED.version
        """;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<List<AgencyEntry>> AgenciesAsync(this MeetingsDbContext db, CancellationToken cancellationToken) =>
        (await db.AgencyReplicas.AsNoTracking().ToListAsync(cancellationToken)).Select(a => a.ToEntry()).ToList();

    public static async Task<List<SpocSnapshot>> SpocsOfAsync(this MeetingsDbContext db, string agencyCode, CancellationToken cancellationToken) =>
        (await db.SpocReplicas.AsNoTracking().Where(s => s.AgencyCode == agencyCode && s.Active).ToListAsync(cancellationToken))
            .Select(s => s.ToSnapshot()).ToList();

    /// <summary>Applies an agency snapshot unless the replica already holds this or a newer version.</summary>
    public static Task<int> UpsertAsync(this MeetingsDbContext db, AgencySnapshot agency, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            UpsertAgencySql,
            [agency.Code, agency.Name, agency.Kind.ToString(), agency.Active, agency.Version, at.ToUniversalTime()],
            cancellationToken);

    /// <summary>Applies a SPOC snapshot unless the replica already holds this or a newer version.</summary>
    public static Task<int> UpsertAsync(this MeetingsDbContext db, SpocSnapshot spoc, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            UpsertSpocSql,
            [spoc.SpocId, spoc.AgencyCode, NullableText(spoc.Area), spoc.FullName, spoc.Rank, spoc.SecureEmail, NullableText(spoc.Phone),
                spoc.Active, JsonSerializer.Serialize(spoc.Covers, Json), spoc.Version, at.ToUniversalTime()],
            cancellationToken);

    // Codes, ids and versions only: the snapshots' names, e-mail addresses and phone numbers stay out of the log.

    /// <summary>Applies a directory event's agency and logs, once committed, whether it was newer than the replica's.</summary>
    public static async Task ApplyAsync(this MeetingsDbContext db, string kind, AgencySnapshot agency, DateTimeOffset at, ILogger logger, CancellationToken cancellationToken)
    {
        if (await db.UpsertAsync(agency, at, cancellationToken) > 0)
        {
            db.LogWhenCommitted(() => LogAgencyApplied(logger, kind, agency.Code, agency.Version));
        }
        else
        {
            db.LogWhenCommitted(() => LogAgencyStale(logger, kind, agency.Code, agency.Version));
        }
    }

    /// <summary>Applies a directory event's SPOC and logs, once committed, whether it was newer than the replica's.</summary>
    public static async Task ApplyAsync(this MeetingsDbContext db, string kind, SpocSnapshot spoc, DateTimeOffset at, ILogger logger, CancellationToken cancellationToken)
    {
        if (await db.UpsertAsync(spoc, at, cancellationToken) > 0)
        {
            db.LogWhenCommitted(() => LogSpocApplied(logger, kind, spoc.AgencyCode, spoc.SpocId, spoc.Version));
        }
        else
        {
            db.LogWhenCommitted(() => LogSpocStale(logger, kind, spoc.AgencyCode, spoc.SpocId, spoc.Version));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} applied to the replica for agency {AgencyCode}, version {Version}")]
    private static partial void LogAgencyApplied(ILogger logger, string kind, string agencyCode, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} for agency {AgencyCode}, version {Version} ignored as stale: the replica holds this or a newer version")]
    private static partial void LogAgencyStale(ILogger logger, string kind, string agencyCode, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} applied to the replica for SPOC {SpocId} of agency {AgencyCode}, version {Version}")]
    private static partial void LogSpocApplied(ILogger logger, string kind, string agencyCode, Guid spocId, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} for SPOC {SpocId} of agency {AgencyCode}, version {Version} ignored as stale: the replica holds this or a newer version")]
    private static partial void LogSpocStale(ILogger logger, string kind, string agencyCode, Guid spocId, long version);

    private static NpgsqlParameter NullableText(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
