using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Notifications.Tests.Support;
using Jtai.Strategy.Testing.Telemetry;

namespace Jtai.Strategy.Notifications.Tests;

/// <summary>
/// The meetings and notifications services as deployed (one process each, on one broker), exporting by OTLP to a
/// local receiver with a batch delay far longer than the test: one convene request's spans from both services
/// arrive in one trace, and the spans ended just before SIGTERM arrive too, because the hosting package flushes
/// the tracer provider when the host stops.
/// </summary>
public sealed class TraceAcrossServicesTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string MeetingsService = "Jtai.Strategy.Meetings";
    private const string NotificationsService = "Jtai.Strategy.Notifications";

    private PostgresDatabase meetingsDatabase = null!;
    private PostgresDatabase notificationsDatabase = null!;
    private RabbitMqVirtualHost broker = null!;
    private SmtpSink smtp = null!;
    private MeetingsSide directory = null!;
    private OtlpReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        meetingsDatabase = await PostgresDatabase.CreateAsync();
        notificationsDatabase = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
        smtp = await SmtpSink.StartAsync();
        directory = await MeetingsSide.StartAsync(broker);
        receiver = await OtlpReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await directory.DisposeAsync();
        await smtp.DisposeAsync();
        await broker.DisposeAsync();
        await notificationsDatabase.DisposeAsync();
        await meetingsDatabase.DisposeAsync();
    }

    [Fact]
    public async Task One_convene_request_is_one_trace_across_both_services_and_the_last_spans_are_flushed_at_shutdown()
    {
        await using var notifications = await ServiceProcess.StartAsync("Notifications", NotificationsService, Settings(notificationsDatabase, NotificationsHost.Settings(smtp)));
        await using var meetings = await ServiceProcess.StartAsync("Meetings", MeetingsService, Settings(meetingsDatabase, new Dictionary<string, string?>
        {
            ["Deadlines:PollInterval"] = "00:00:00.100",
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:ResponseLinkKey"] = "TEST-ONLY-meetings-response-link-key-0123456789abcdef",
        }));

        // The directory, announced on the broker as the directory service would.
        var police = TestMeeting.Address("police");
        foreach (var agency in new AgencySnapshot[]
        {
            new("DCC-CSC", "Durham County Council Children's Services", AgencyKind.SocialCare, true, 1),
            new("CDDFT", "County Durham & Darlington NHS FT", AgencyKind.Health, true, 1),
            new("DURHAM-POLICE", "Durham Constabulary", AgencyKind.Police, true, 1),
        })
        {
            await directory.PublishAsync(new AgencyRegistered(agency, DateTimeOffset.UtcNow));
        }

        foreach (var spoc in new SpocSnapshot[]
        {
            new(Guid.NewGuid(), "DCC-CSC", null, "Casey Social", 0, TestMeeting.Address("csc", "durham.example"), null, true, [], 1),
            new(Guid.NewGuid(), "CDDFT", null, "Harper Health", 0, TestMeeting.Address("health", "nhs.example"), null, true, [], 1),
            new(Guid.NewGuid(), "DURHAM-POLICE", null, "Robin Police", 0, police, null, true, [], 1),
        })
        {
            await directory.PublishAsync(new SpocAssigned(spoc, DateTimeOffset.UtcNow));
        }

        await Eventually.TrueAsync(async () => await meetingsDatabase.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica") == 3, Timeout);

        var team = "FF-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var admin = Client(meetings, JtaiRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/teams", new TeamRequest(team, $"Families First {team}", null, false, null), Json)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/teams/{team}/bridges", new BridgeRequest("Bridge 1", "0191 555 0001", "4455661"), Json)).EnsureSuccessStatusCode();
        var now = DateTimeOffset.UtcNow;
        var convene = await Client(meetings, JtaiRoles.TeamManager, team).PostAsJsonAsync("/api/meetings", new ConveneRequest(
            null, "LL-2026-5001", ConcernCategory.DomesticAbuse, now.AddHours(-6), now.AddMinutes(-30), ThresholdReason.RepeatIncidentsCumulativeRisk,
            "Third police call-out to the household in four weeks.", now.AddHours(3), 60, null, null,
            new CaseFactsRequest(ChildAgeBand.FiveToTen, false, false, false, null, null), null, null), Json);
        Assert.True(convene.IsSuccessStatusCode, await convene.Content.ReadAsStringAsync());
        var meeting = (await convene.Content.ReadFromJsonAsync<MeetingResponse>(Json))!;

        await Eventually.TrueAsync(() => Task.FromResult(smtp.MessagesTo(police).Count == 1), Timeout, "the police SPOC's invitation arrives");

        // The last span before shutdown: a read of the notifications service's delivery board.
        var board = await Client(notifications, JtaiRoles.TeamManager, team).GetAsync($"/api/meetings/{meeting.Id}/deliveries");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);

        // Nothing has been exported yet: with a 10-minute batch delay and room for every span, only a flush can send them.
        Assert.Equal(0, receiver.TraceRequests);

        Assert.Equal(0, await meetings.StopAsync());
        Assert.Equal(0, await notifications.StopAsync());
        var spans = receiver.Spans;
        Assert.True(receiver.TraceRequests > 0, "no trace export arrived after shutdown\n" + meetings.Output + notifications.Output);

        // The convene request as the meetings service served it, named by its route (the group's "/api/meetings"
        // and the endpoint's "/") and with its status code.
        var conveneSpan = Assert.Single(spans, s => s.ServiceName == MeetingsService && s.Kind == SpanKindServer
            && s.Attribute("http.request.method") == "POST" && s.Attribute("http.route") == "/api/meetings/");
        Assert.Equal("POST /api/meetings/", conveneSpan.Name);
        Assert.Equal("201", conveneSpan.Attribute("http.response.status_code"));

        // The same trace continues through the outbox and the broker into the notifications service.
        var trace = spans.Where(s => s.TraceId == conveneSpan.TraceId).ToList();
        Assert.Contains(trace, s => s.ServiceName == MeetingsService && s.Scope == "Npgsql");
        Assert.Contains(trace, s => s.ServiceName == MeetingsService && s.Kind == SpanKindProducer && s.Scope == "MassTransit"
            && s.Name == "jtai-strategy.meetings.invitation-issued.v2 send");
        Assert.Contains(trace, s => s.ServiceName == NotificationsService && s.Kind == SpanKindConsumer && s.Scope == "MassTransit"
            && s.Name == "notifications-invitation-issued process");
        // Each service exports only its own spans (one process each): no span id arrives twice.
        Assert.Equal(spans.Count, spans.Select(s => s.SpanId).Distinct().Count());

        // The board read, ended moments before SIGTERM, was flushed on the way down.
        var last = Assert.Single(spans, s => s.ServiceName == NotificationsService && s.Kind == SpanKindServer
            && s.Attribute("http.route") == "/api/meetings/{meetingId:guid}/deliveries");
        Assert.Equal("200", last.Attribute("http.response.status_code"));
        Assert.True(last.EndUnixNano >= conveneSpan.EndUnixNano, "the board read ended after the convene request");
    }

    private const int SpanKindServer = 2;
    private const int SpanKindProducer = 4;
    private const int SpanKindConsumer = 5;

    private Dictionary<string, string?> Settings(PostgresDatabase database, IReadOnlyDictionary<string, string?> service)
    {
        var settings = new Dictionary<string, string?>(service)
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export only at shutdown: a batch delay of 10 minutes, and a queue and batch that hold every span.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "600000",
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = "200000",
            ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "200000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "600000",
        };
        return settings;
    }

    private static HttpClient Client(ServiceProcess service, string role, string? team = null)
    {
        var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Mint("trace-test", [role], team: team));
        return client;
    }
}
