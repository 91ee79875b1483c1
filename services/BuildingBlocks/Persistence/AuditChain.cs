using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// A service's audit trail kept as a hash chain (one chain per service): each row holds its position, the previous
/// row's hash and its own. The database computes the chain as rows are inserted (the service's migration adds the
/// trigger); the <c>verify-audit</c> command recomputes it here, independently, and names the first broken link.
/// </summary>
/// <param name="Schema">The service's schema.</param>
/// <param name="Table">The audit table, with columns <c>chain_position</c>, <c>previous_hash</c> and <c>hash</c>.</param>
/// <param name="Key">The expression identifying a row in a report (its id).</param>
/// <param name="Fields">
/// The SQL expressions, in order, whose text the hash covers: the same as the migration's <c>…_fields</c> function.
/// </param>
public sealed record AuditTrail(string Schema, string Table, string Key, IReadOnlyList<string> Fields)
{
    public string Name => $"{Schema}.{Table}";
}

/// <summary>The chain's digest, byte for byte as the migrations' <c>audit_chain_digest</c> function computes it.</summary>
public static class AuditChainHash
{
    /// <summary>The "previous hash" of the first row.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[32];

    /// <summary>SHA-256 of previous ‖ position (8 bytes big-endian) ‖ each field as its UTF-8 length (4 bytes big-endian, -1 for null) and bytes.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> previous, long position, IReadOnlyList<string?> fields)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(previous);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, position);
        hash.AppendData(number);
        foreach (var field in fields)
        {
            var bytes = field is null ? null : Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(number[..4], bytes?.Length ?? -1);
            hash.AppendData(number[..4]);
            if (bytes is not null)
            {
                hash.AppendData(bytes);
            }
        }

        return hash.GetHashAndReset();
    }
}

/// <summary>What <see cref="AuditChainVerifier"/> found: the rows it checked, the head, and the first broken link if any.</summary>
public sealed record AuditChainReport(string Trail, long Rows, long HeadPosition, string HeadHash, AuditChainBreak? Break)
{
    public bool Intact => Break is null;

    public override string ToString() => Break is null
        ? string.Create(CultureInfo.InvariantCulture, $"{Trail}: intact, {Rows} rows; head at position {HeadPosition}, hash {HeadHash} (record it elsewhere: a rewrite of the whole chain is caught only against a head kept outside the database)")
        : string.Create(CultureInfo.InvariantCulture, $"{Trail}: BROKEN at position {Break.Position} (row {Break.RowKey}): {Break.Reason}; {Rows} rows checked");
}

/// <param name="Position">Where the chain breaks: the position the row holds, or the one expected where a row is missing.</param>
public sealed record AuditChainBreak(long Position, string RowKey, string Reason);

public sealed class AuditChainVerifier(NpgsqlDataSource dataSource)
{
    /// <summary>Walks the chain in order and stops at the first row that does not follow from the one before it.</summary>
    public async Task<AuditChainReport> VerifyAsync(AuditTrail trail, CancellationToken cancellationToken)
    {
        SchemaMigrator.ValidateIdentifier(trail.Schema);
        SchemaMigrator.ValidateIdentifier(trail.Table);
        var sql = $"SELECT chain_position, previous_hash, hash, ({trail.Key})::text, {string.Join(", ", trail.Fields)} FROM {trail.Name} ORDER BY chain_position";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the whole walk, so appends made meanwhile are not half seen.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        var previous = AuditChainHash.Genesis.ToArray();
        long expected = 1, rows = 0;
        var fields = new string?[trail.Fields.Count];
        while (await reader.ReadAsync(cancellationToken))
        {
            rows++;
            var position = reader.GetInt64(0);
            var storedPrevious = (byte[])reader.GetValue(1);
            var stored = (byte[])reader.GetValue(2);
            var key = reader.GetString(3);
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.IsDBNull(4 + i) ? null : reader.GetString(4 + i);
            }

            AuditChainBreak? broken = null;
            if (position != expected)
            {
                broken = new AuditChainBreak(expected, key, $"position {expected} is missing (the next row holds {position}): a row was removed");
            }
            else if (!CryptographicOperations.FixedTimeEquals(storedPrevious, previous))
            {
                broken = new AuditChainBreak(position, key, "its previous hash is not the hash of the row before it: a row was removed, replaced or reordered");
            }
            else if (!CryptographicOperations.FixedTimeEquals(stored, AuditChainHash.Compute(previous, position, fields)))
            {
                broken = new AuditChainBreak(position, key, "its content does not match its hash: the row was edited");
            }

            if (broken is not null)
            {
                return new AuditChainReport(trail.Name, rows, expected - 1, Convert.ToHexStringLower(previous), broken);
            }

            previous = stored;
            expected++;
        }

        return new AuditChainReport(trail.Name, rows, expected - 1, Convert.ToHexStringLower(previous), null);
    }
}
