using System.Net;
using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Metrics.Projection;
using Jtai.Strategy.Testing;
using static Jtai.Strategy.Metrics.Tests.ScriptedMonth;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>
/// The event log keeps every event as it arrived, and a rebuild re-reads all of it: rows of an older message version
/// (InvitationIssued v1, its parts flat) must rebuild to the same facts as the current version.
/// </summary>
public sealed class StoredVersionTests
{
    // InvitationIssued v1 as the log stored it: the same fields, flat (camelCase, enums by name).
    private const string ToV1 =
        "WITH changed AS (UPDATE metrics.event_log SET message_type = @v1, body = (body - 'recipient' - 'slot' - 'dialIn' - 'links') || jsonb_build_object(" +
        "'recipientSpocId', body->'recipient'->'spocId', 'recipientName', body->'recipient'->'name', 'recipientEmail', body->'recipient'->'email', " +
        "'recipientRole', body->'recipient'->'role', 'scheduledStart', body->'slot'->'start', 'scheduledEnd', body->'slot'->'end', " +
        "'dialInNumber', body->'dialIn'->'number', 'conferenceCode', body->'dialIn'->'conferenceCode', 'pin', body->'dialIn'->'pin', " +
        "'responseLink', body->'links'->'response', 'signInLink', body->'links'->'signIn', 'respondBy', body->'links'->'respondBy') " +
        "WHERE message_type = @v2 RETURNING 1) SELECT count(*) FROM changed";

    [Fact]
    public async Task Stored_v1_InvitationIssued_rows_rebuild_to_the_same_facts()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var broker = await RabbitMqVirtualHost.CreateAsync();
        await using var host = await MetricsHost.StartAsync(database, broker);
        await host.PublishAsync(Events);
        await Eventually.TrueAsync(async () => await database.LoggedEventsAsync() == Events.Count, TimeSpan.FromSeconds(60), "every event is logged");
        var incremental = await database.ProjectionSnapshotAsync();
        var figures = await host.FiguresAsync("period=2026-Q1");

        var issued = Events.Count(e => e.Message is Contracts.Meetings.InvitationIssued);
        Assert.Equal(issued, await database.ScalarAsync<long>(ToV1, ("v1", StoredVersions.InvitationIssuedV1), ("v2", MessageTypeRegistry.Known.UrnOf(typeof(Contracts.Meetings.InvitationIssued)))));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM metrics.event_log WHERE body ? 'recipient'"));
        await database.ExecuteAsync("DELETE FROM metrics.rollup_day; DELETE FROM metrics.rollup_month; DELETE FROM metrics.meeting_fact; DELETE FROM metrics.decision_not_to_convene");

        using var administrator = host.ClientAs(JtaiRoles.Administrator);
        var response = await administrator.PostAsync("/api/metrics/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Events.Count, (await response.Content.ReadFromJsonAsync<RebuildResult>(MetricsHost.Json))!.Events);

        Assert.Equal(incremental, await database.ProjectionSnapshotAsync());
        Assert.Equivalent(figures, await host.FiguresAsync("period=2026-Q1"), strict: true);
    }
}
