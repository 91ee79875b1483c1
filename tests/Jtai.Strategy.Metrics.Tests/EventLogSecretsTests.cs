using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Metrics.Projection;
using Jtai.Strategy.Testing;
using Npgsql;
using static Jtai.Strategy.Metrics.Tests.ScriptedMonth;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// The event log keeps what it holds for good, so it keeps only what the figures need: no response or sign-in link, no
/// dial-in details or PIN, no recipient's name or address. Rows logged before are stripped by migration 0002, and the
/// stripped history (v1 rows too) still rebuilds to the same facts.
/// </summary>
public sealed class EventLogSecretsTests
{
    // Any of these in a stored body is a link, a dial-in detail or a recipient's contact.
    private const string Leaks =
        "SELECT count(*) FROM metrics.event_log WHERE body ?| array['dialIn', 'signInLink', 'recipients', 'dialInNumber', 'conferenceCode', 'pin', 'responseLink', 'recipientName', 'recipientEmail'] " +
        "OR body->'links' ?| array['response', 'signIn'] OR body->'recipient' ?| array['name', 'email'] " +
        "OR body::text LIKE '%jtai.example/%' OR body::text LIKE '%spoc@example.org%'";

    // InvitationIssued v1 as an older release logged it, from a full v2 body: the same fields, flat.
    private const string ToV1 =
        "UPDATE metrics.event_log SET message_type = @v1, body = (body - 'recipient' - 'slot' - 'dialIn' - 'links') || jsonb_build_object(" +
        "'recipientSpocId', body->'recipient'->'spocId', 'recipientName', body->'recipient'->'name', 'recipientEmail', body->'recipient'->'email', " +
        "'recipientRole', body->'recipient'->'role', 'scheduledStart', body->'slot'->'start', 'scheduledEnd', body->'slot'->'end', " +
        "'dialInNumber', body->'dialIn'->'number', 'conferenceCode', body->'dialIn'->'conferenceCode', 'pin', body->'dialIn'->'pin', " +
        "'responseLink', body->'links'->'response', 'signInLink', body->'links'->'signIn', 'respondBy', body->'links'->'respondBy') " +
        "WHERE message_type = @v2 AND sequence % 2 = 0";

    [Fact]
    public async Task Events_are_logged_without_links_pins_or_contacts_and_stored_history_is_stripped_by_migration_and_still_rebuilds()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        var host = await MetricsHost.StartAsync(database, broker);
        await host.PublishAsync(Events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == Events.Count, TimeSpan.FromSeconds(60), "every event is logged");
        Assert.True(Events.Any(e => e.Message is InvitationIssued) && Events.Any(e => e.Message is AgreedActionsCirculated));
        Assert.Equal(0L, await database.ScalarAsync<long>(Leaks));
        var incremental = await database.ProjectionSnapshotAsync();
        var figures = await host.FiguresAsync("period=2026-Q1");
        await host.DisposeAsync();

        // The history an older release logged: every event whole, half of the invitations as v1.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var e in Events)
            {
                await using var update = new NpgsqlCommand("UPDATE metrics.event_log SET body = @body::jsonb WHERE message_id = @id", connection);
                update.Parameters.AddWithValue("body", JsonSerializer.Serialize(e.Message, e.Message.GetType(), ProjectedEvents.Json));
                update.Parameters.AddWithValue("id", e.MessageId);
                Assert.Equal(1, await update.ExecuteNonQueryAsync());
            }
        }

        await database.ScalarAsync<long>(
            ToV1 + " RETURNING 1", ("v1", StoredVersions.InvitationIssuedV1), ("v2", MessageTypeRegistry.Known.UrnOf(typeof(InvitationIssued))));
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM metrics.event_log WHERE message_type = @v1", ("v1", StoredVersions.InvitationIssuedV1)) > 0);
        var leaking = await database.ScalarAsync<long>(Leaks);
        Assert.Equal(Events.Count(e => e.Message is InvitationIssued or AgreedActionsCirculated), leaking);

        // The release with migration 0002 starts: the stored history is stripped.
        await database.ExecuteAsync("DELETE FROM metrics.schema_migrations WHERE id = '0002_event_log_only_what_metrics_needs'");
        host = await MetricsHost.StartAsync(database, broker);
        await using var _ = host;
        Assert.Equal(0L, await database.ScalarAsync<long>(Leaks));

        await database.ExecuteAsync("DELETE FROM metrics.rollup_day; DELETE FROM metrics.rollup_month; DELETE FROM metrics.meeting_fact; DELETE FROM metrics.decision_not_to_convene");
        using var administrator = host.ClientAs(JtaiRoles.Administrator);
        var response = await administrator.PostAsync("/api/metrics/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Events.Count, (await response.Content.ReadFromJsonAsync<RebuildResult>(MetricsHost.Json))!.Events);
        Assert.Equal(incremental, await database.ProjectionSnapshotAsync());
        Assert.Equivalent(figures, await host.FiguresAsync("period=2026-Q1"), strict: true);
    }
}
