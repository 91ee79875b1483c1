using System.Net;
using Jtai.Strategy.BuildingBlocks;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Meetings.Infrastructure;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// The audit trail on the real database: a hash chain that concurrent requests extend without forking, that the
/// service's connection cannot update, delete or truncate, and whose edited or removed rows the <c>verify-audit</c>
/// command finds (the first broken link, exit code 1). Each test has its own database: a tampered chain stays broken.
/// </summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task Concurrent_appends_chain_and_an_edited_row_is_reported_by_the_verify_audit_command()
    {
        await WithFixtureAsync(async fixture =>
        {
            var rows = await AppendConcurrentlyAsync(fixture, requests: 24);

            var intact = await VerifyAuditCommandAsync(fixture);
            Assert.True(intact.ExitCode == 0, intact.Output);
            Assert.Contains($"meetings.audit_entry: intact, {rows} rows; head at position {rows}", intact.Output, StringComparison.Ordinal);

            // The service's own connection may only append.
            foreach (var change in new[]
            {
                "UPDATE meetings.audit_entry SET detail = 'nothing happened' WHERE chain_position = 3",
                "DELETE FROM meetings.audit_entry WHERE chain_position = 3",
                "TRUNCATE meetings.audit_entry",
            })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => fixture.Database.ExecuteAsync(change));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }

            // A superuser switches the triggers off and rewrites one row's detail.
            var tampered = rows / 2;
            await fixture.Database.ExecuteAsync(
                $"SET session_replication_role = replica; UPDATE meetings.audit_entry SET detail = 'GET /api/teams/ 200' WHERE chain_position = {tampered}");

            var broken = await VerifyAuditCommandAsync(fixture);
            Assert.True(broken.ExitCode == 1, broken.Output);
            Assert.Contains($"meetings.audit_entry: BROKEN at position {tampered} (row ", broken.Output, StringComparison.Ordinal);
            Assert.Contains("its content does not match its hash: the row was edited", broken.Output, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_removed_row_and_a_rewritten_hash_each_break_the_chain_at_that_row()
    {
        await WithFixtureAsync(async fixture =>
        {
            var rows = await AppendConcurrentlyAsync(fixture, requests: 10);
            var verifier = fixture.Host.Services.GetRequiredService<AuditChainVerifier>();
            Assert.True((await verifier.VerifyAsync(AuditLog.Trail, CancellationToken.None)).Intact);

            // Removed: the next row's position no longer follows.
            await fixture.Database.ExecuteAsync("SET session_replication_role = replica; DELETE FROM meetings.audit_entry WHERE chain_position = 4");
            var removed = await verifier.VerifyAsync(AuditLog.Trail, CancellationToken.None);
            Assert.Equal(4, removed.Break?.Position);
            Assert.Contains("a row was removed", removed.Break!.Reason, StringComparison.Ordinal);
            Assert.Equal(3, removed.HeadPosition);

            // Edited with its own hash recomputed: the row after it no longer points at it.
            await fixture.Database.ExecuteAsync("""
                SET session_replication_role = replica;
                UPDATE meetings.audit_entry SET detail = 'rewritten',
                       hash = meetings.audit_chain_digest(previous_hash, chain_position,
                              ARRAY[id::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action, meeting_id::text, 'rewritten', trace_id])
                 WHERE chain_position = 2
                """);
            var rewritten = await verifier.VerifyAsync(AuditLog.Trail, CancellationToken.None);
            Assert.Equal(3, rewritten.Break?.Position);
            Assert.Contains("its previous hash is not the hash of the row before it", rewritten.Break!.Reason, StringComparison.Ordinal);
            Assert.True(rows >= 10);
        });
    }

    /// <summary>Anonymous reads of case data, all at once: each refusal is audited by the service (EF, its own transaction).</summary>
    private static async Task<long> AppendConcurrentlyAsync(MeetingsFixture fixture, int requests)
    {
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.audit_entry");
        var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ =>
            fixture.Host.AnonymousClient().GetAsync($"/api/meetings/{Guid.NewGuid()}")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        long rows = 0;
        await Eventually.TrueAsync(
            async () => (rows = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM meetings.audit_entry")) == before + requests,
            because: "each refusal is audited");
        Assert.Equal(rows, await fixture.Database.ScalarAsync<long>("SELECT max(chain_position) FROM meetings.audit_entry"));
        return rows;
    }

    private static Task<(int ExitCode, string Output)> VerifyAuditCommandAsync(MeetingsFixture fixture) =>
        ServiceProcess.RunCommandAsync("Meetings", "Jtai.Strategy.Meetings", new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = fixture.Database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = fixture.Broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:ResponseLinkKey"] = MeetingsFixture.LinkKey,
        }, ServiceDefaults.VerifyAuditCommand);

    private static async Task WithFixtureAsync(Func<MeetingsFixture, Task> test)
    {
        var fixture = new MeetingsFixture();
        await fixture.InitializeAsync();
        try
        {
            await test(fixture);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
