using System.Net.Http.Json;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Meetings.Tests.Fixtures;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static Jtai.Strategy.Meetings.Tests.Fixtures.MeetingsFixture;

namespace Jtai.Strategy.Meetings.Tests.Recording;

/// <summary>
/// The meetings service as <see cref="MeetingsHost"/> runs it, with small deadline batches: when many
/// deadlines fall due together, two instances then claim them in turns rather than one taking all.
/// </summary>
public sealed class RecordingHost(PostgresDatabase database, RabbitMqVirtualHost broker, ManualClock clock, IReadOnlyDictionary<string, string?>? settings = null)
    : ServiceHost<MeetingsService>(
        database,
        broker,
        new Dictionary<string, string?>
        {
            ["Deadlines:PollInterval"] = "00:00:00.100",
            ["Deadlines:BatchSize"] = "2",
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:ResponseLinkKey"] = LinkKey,
        }.Concat(settings ?? new Dictionary<string, string?>()).ToDictionary(),
        services => services.AddSingleton<TimeProvider>(clock))
{
    public async Task<RecordingHost> StartedAsync()
    {
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return this;
    }

    public Task PublishAsync<T>(T message)
        where T : class => Services.GetRequiredService<IBus>().Publish(message);
}

/// <summary>
/// The meetings service on its own database and virtual host, with a clock the tests move and a
/// <see cref="MessageProbe"/> on the real broker that outlives service hosts: a test can stop the
/// host, move time, start another (or a second one beside it) and still see everything published.
/// </summary>
public sealed class RecordingFixture : IAsyncLifetime
{
    public static readonly string[] Invitees = TestDirectory.SchoolAgeDomesticAbuseInvitees;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public PostgresDatabase Database { get; private set; } = null!;

    public RabbitMqVirtualHost Broker { get; private set; } = null!;

    public MessageProbe Probe { get; private set; } = null!;

    /// <summary>The running host; tests that restart the service replace it.</summary>
    public RecordingHost? Host { get; set; }

    public RecordingHost RunningHost => Host ?? throw new InvalidOperationException("No service host is running.");

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        Broker = await RabbitMqVirtualHost.CreateAsync();
        Probe = await MessageProbe.StartAsync(Broker, p => p
            .Collect<MeetingHeld>()
            .Collect<AttendanceRecorded>()
            .Collect<AgreedActionsCirculated>()
            .Collect<ActionCirculationWarning>()
            .Collect<ActionCirculationOverdue>()
            .Collect<SectionFortySevenStarted>());
        Host = await StartHostAsync();
        await AnnounceDirectoryAsync(Host);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Probe.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Another incarnation of the service on the same database and virtual host.</summary>
    public Task<RecordingHost> StartHostAsync(IReadOnlyDictionary<string, string?>? settings = null) => new RecordingHost(Database, Broker, Clock, settings).StartedAsync();

    /// <summary>Moves the clock forward to <paramref name="at"/> (never back: other tests' meetings share it).</summary>
    public void MoveTo(DateTimeOffset at)
    {
        if (at > Clock.GetUtcNow())
        {
            Clock.Set(at);
        }
    }

    public async Task AnnounceDirectoryAsync(RecordingHost host)
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

    public async Task<string> CreateTeamAsync()
    {
        var code = "FF-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var admin = RunningHost.ClientAs(JtaiRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/teams", new TeamRequest(code, $"Families First {code}", null, false, null), Json)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/teams/{code}/bridges", new BridgeRequest("Bridge 1", "0191 555 0001", "40001"), Json)).EnsureSuccessStatusCode();
        return code;
    }

    public HttpClient Manager(string team, RecordingHost? host = null) => (host ?? RunningHost).ClientAs(JtaiRoles.TeamManager, team: team, subject: "manager-" + team);

    public HttpClient Spoc(string agency) => RunningHost.ClientAs(JtaiRoles.Spoc, agency: agency, subject: "spoc-" + agency);

    /// <summary>Convenes a meeting for a school-age child two hours ahead, then moves the clock past its end.</summary>
    public async Task<MeetingResponse> HeldMeetingAsync(string team, IReadOnlyList<string>? addAgencies = null)
    {
        var meeting = await ConveneAsync(team, addAgencies);
        MoveTo(meeting.ScheduledEnd.AddMinutes(15));
        return meeting;
    }

    /// <summary>Convenes a meeting for a school-age child two hours ahead.</summary>
    public async Task<MeetingResponse> ConveneAsync(string team, IReadOnlyList<string>? addAgencies = null)
    {
        var now = Clock.GetUtcNow();
        var request = new ConveneRequest(
            TeamCode: null,
            CaseReference: "LL-2026-4471",
            ConcernCategory: ConcernCategory.DomesticAbuse,
            IncidentAt: now.AddHours(-6),
            DecisionAt: now.AddMinutes(-30),
            ThresholdReason: ThresholdReason.RepeatIncidentsCumulativeRisk,
            ThresholdReasonText: "Third police call-out to the household in four weeks.",
            ScheduledStart: now.AddHours(2),
            LengthMinutes: 60,
            DelayReason: null,
            DelayReasonText: null,
            CaseFacts: new CaseFactsRequest(ChildAgeBand.FiveToTen, false, false, false, null, null),
            AddAgencies: addAgencies,
            RemoveAgencies: null);
        return await ReadAsync<MeetingResponse>(await Manager(team).PostAsJsonAsync("/api/meetings", request, Json));
    }

    /// <summary>A complete record: every invited agency in the room unless told otherwise, chaired by social care.</summary>
    public static RecordMeetingRequest RecordRequest(
        MeetingResponse meeting,
        IReadOnlyDictionary<string, AttendanceMode>? modes = null,
        bool sectionFortySeven = false,
        BelowMinimumReason? belowMinimumReason = null,
        ChildViews childViews = ChildViews.Recorded,
        string? childViewsText = "Said she is frightened when her stepfather shouts; wants to stay at her school.") => new(
        ActualStart: meeting.ScheduledStart.AddMinutes(2),
        ActualEnd: meeting.ScheduledStart.AddMinutes(50),
        ChairName: "Alex Chair",
        ChairAgencyCode: "DCC-CSC",
        Attendance: meeting.Agencies.Where(a => a.Invited)
            .Select(a => new AttendanceRequest(a.AgencyCode, modes?.GetValueOrDefault(a.AgencyCode) ?? AttendanceMode.AttendedInPerson, null))
            .ToList(),
        BelowMinimumReason: belowMinimumReason,
        BelowMinimumReasonText: null,
        SectionFortySevenEnquiry: sectionFortySeven,
        Investigation: sectionFortySeven ? InvestigationKind.JointWithPolice : null,
        ImmediateSafetyActions: "Mother and child to stay with maternal grandmother tonight.",
        FamilyTold: "Mother told of the enquiry by the social worker at 15:00.",
        ChildViews: childViews,
        ChildViewsText: childViewsText);

    public async Task<MeetingRecordResponse> RecordAsync(string team, MeetingResponse meeting, RecordMeetingRequest? request = null) =>
        await ReadAsync<MeetingRecordResponse>(await Manager(team).PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", request ?? RecordRequest(meeting), Json));

    /// <summary>Lets the pollers (100 ms apart) run long enough that a second firing, if there were one, would have shown.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(1.5));

    public Task<long> CountAsync(string sql, Guid meetingId) => Database.ScalarAsync<long>(sql, ("id", meetingId));

    public static AgreedActionsRequest Actions(params (string Owner, string Description)[] actions) =>
        new(actions.Select(a => new AgreedActionRequest(a.Description, a.Owner, new DateOnly(2026, 12, 1), null)).ToList());

    public async Task<CirculationResponse> CirculateAsync(string team, Guid meetingId) =>
        await ReadAsync<CirculationResponse>(await Manager(team).PostAsync($"/api/meetings/{meetingId}/record/circulations", null));
}
