using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.Meetings.Tests.Fixtures;

/// <summary>The meetings service in process on the real PostgreSQL and RabbitMQ, with a clock tests move and its log captured.</summary>
public sealed class MeetingsHost(
    PostgresDatabase database, RabbitMqVirtualHost broker, ManualClock clock, LogCapture logs, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : ServiceHost<MeetingsService>(
        database,
        broker,
        Settings(settings),
        s =>
        {
            s.AddSingleton<TimeProvider>(clock).AddSingleton<ILoggerProvider>(logs);
            services?.Invoke(s);
        })
{
    /// <summary>The test settings, and on top of them a partnership's own (e.g. another national minimum).</summary>
    private static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? partnership)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Deadlines:PollInterval"] = "00:00:00.100",
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:AnswerPageBaseUrl"] = MeetingsFixture.AnswerPage,
            ["Meetings:ResponseLinkKey"] = MeetingsFixture.LinkKey,
        };
        foreach (var (key, value) in partnership ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public async Task<MeetingsHost> StartedAsync()
    {
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return this;
    }

    public Task PublishAsync<T>(T message)
        where T : class => Services.GetRequiredService<IBus>().Publish(message);
}

/// <summary>
/// One database, one virtual host, one service host and one broker probe for a test class. The
/// replica is filled by publishing the directory's events on the broker: no directory service runs.
/// </summary>
public sealed class MeetingsFixture : IAsyncLifetime
{
    public const string LinkKey = "TEST-ONLY-meetings-response-link-key-0123456789abcdef";

    /// <summary>The web service's answer page, where a browser opening a response link is sent.</summary>
    public const string AnswerPage = "https://web.test/";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly Type[] Contracts =
    [
        typeof(StrategyMeetingConvened), typeof(DecisionNotToConveneRecorded), typeof(InvitationIssued), typeof(InvitationNotIssued),
        typeof(InvitationReminderDue), typeof(InvitationSuperseded), typeof(InvitationAnswered), typeof(StrategyMeetingRescheduled),
        typeof(InvitationRescheduled), typeof(StrategyMeetingCancelled), typeof(InvitationCancelled),
        typeof(Contracts.SpocDirectory.DirectorySnapshotRequested),
        typeof(ManagerNoticeDue), typeof(MeetingRecordOverdue),
    ];

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>What every host of this fixture logged.</summary>
    public LogCapture Logs { get; } = new();

    public PostgresDatabase Database { get; private set; } = null!;

    public RabbitMqVirtualHost Broker { get; private set; } = null!;

    public MessageProbe Probe { get; private set; } = null!;

    public MeetingsHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        Broker = await RabbitMqVirtualHost.CreateAsync();
        Probe = await MessageProbe.StartAsync(Broker, p =>
        {
            foreach (var contract in Contracts)
            {
                p.Collect(contract);
            }
        });
        Host = await new MeetingsHost(Database, Broker, Clock, Logs).StartedAsync();
        await AnnounceDirectoryAsync(Host);
    }

    private readonly List<MeetingsHost> extraHosts = [];

    /// <summary>Stops the service host (as a crash or deployment would) and starts a new one on the same database and broker.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = await new MeetingsHost(Database, Broker, Clock, Logs).StartedAsync();
    }

    /// <summary>Another instance of the service on the same database and broker.</summary>
    public async Task<MeetingsHost> StartAnotherInstanceAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var host = await new MeetingsHost(Database, Broker, Clock, Logs, settings, services).StartedAsync();
        extraHosts.Add(host);
        return host;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in extraHosts)
        {
            await host.DisposeAsync();
        }

        await Host.DisposeAsync();
        await Probe.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Publishes the test directory as the directory service would, and waits for the replica to hold it.</summary>
    public async Task AnnounceDirectoryAsync(MeetingsHost host)
    {
        var at = Clock.GetUtcNow();
        foreach (var agency in TestDirectory.Agencies)
        {
            await host.PublishAsync(new AgencyRegistered(agency, at));
        }

        foreach (var spoc in TestDirectory.Spocs)
        {
            await host.PublishAsync(new SpocAssigned(spoc, at));
        }

        await Eventually.TrueAsync(
            async () => await Database.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica") == TestDirectory.Spocs.Count
                && await Database.ScalarAsync<long>("SELECT count(*) FROM meetings.agency_replica") == TestDirectory.Agencies.Count,
            because: "the replica consumes the directory's events");
    }

    /// <summary>A new Families First team with its own bridges, so tests never share a bridge.</summary>
    public async Task<string> CreateTeamAsync(int bridges = 1, bool gpPilot = false, MeetingsHost? host = null)
    {
        var code = "FF-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var admin = (host ?? Host).ClientAs(JtaiRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/teams", new TeamRequest(code, $"Families First {code}", null, gpPilot, null), Json)).EnsureSuccessStatusCode();
        for (var i = 1; i <= bridges; i++)
        {
            (await admin.PostAsJsonAsync($"/api/teams/{code}/bridges", new BridgeRequest($"Bridge {i}", $"0191 555 {i:0000}", $"{code.GetHashCode() & 0xFFFF:00000}{i}"), Json))
                .EnsureSuccessStatusCode();
        }

        return code;
    }

    public HttpClient Manager(string team, MeetingsHost? host = null) => (host ?? Host).ClientAs(JtaiRoles.TeamManager, team: team, subject: "manager-" + team);

    public HttpClient Spoc(string agency) => Host.ClientAs(JtaiRoles.Spoc, agency: agency, subject: "spoc-" + agency);

    /// <summary>A complete, valid convening request for a school-age child, starting in two hours.</summary>
    public ConveneRequest ConveneRequest(DateTimeOffset? start = null, int length = 60, CaseFactsRequest? facts = null) => new(
        TeamCode: null,
        CaseReference: "LL-2026-4471",
        ConcernCategory: ConcernCategory.DomesticAbuse,
        IncidentAt: Clock.GetUtcNow().AddHours(-6),
        DecisionAt: Clock.GetUtcNow().AddMinutes(-30),
        ThresholdReason: ThresholdReason.RepeatIncidentsCumulativeRisk,
        ThresholdReasonText: "Third police call-out to the household in four weeks.",
        ScheduledStart: start ?? Clock.GetUtcNow().AddHours(2),
        LengthMinutes: length,
        DelayReason: null,
        DelayReasonText: null,
        CaseFacts: facts ?? new CaseFactsRequest(ChildAgeBand.FiveToTen, false, false, false, null, null),
        AddAgencies: null,
        RemoveAgencies: null);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async Task<MeetingResponse> ConveneAsync(string team, ConveneRequest? request = null) =>
        await ReadAsync<MeetingResponse>(await Manager(team).PostAsJsonAsync("/api/meetings", request ?? ConveneRequest(), Json));
}
