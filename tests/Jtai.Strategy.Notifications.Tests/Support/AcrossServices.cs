using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Meetings;
using Jtai.Strategy.Contracts.SpocDirectory;
using Jtai.Strategy.Meetings;
using Jtai.Strategy.Meetings.Convening;
using Jtai.Strategy.Meetings.Domain;
using Jtai.Strategy.Meetings.Recording;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// The scene every test across the meetings and notifications services sets: the real meetings service on the test's
/// broker, the directory announced there as the directory service announces it, a team with a bridge, and a convene
/// request. One place, so the tests differ only in what they try.
/// </summary>
internal static class AcrossServices
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly TimeSpan ReplicaTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The three agencies of the national minimum: social care, health and police.</summary>
    public static readonly AgencySnapshot[] Agencies =
    [
        new("DCC-CSC", "Durham County Council Children's Services", AgencyKind.SocialCare, true, 1),
        new("CDDFT", "County Durham & Darlington NHS FT", AgencyKind.Health, true, 1),
        new("DURHAM-POLICE", "Durham Constabulary", AgencyKind.Police, true, 1),
    ];

    /// <summary>A SPOC as the directory publishes one: agency-wide, active, first version.</summary>
    public static SpocSnapshot Spoc(string agencyCode, string fullName, int rank, string email) =>
        new(Guid.NewGuid(), agencyCode, null, fullName, rank, email, null, true, [], 1);

    /// <summary>One primary SPOC per agency; the police one at <paramref name="policeEmail"/> when given.</summary>
    public static List<SpocSnapshot> OneSpocPerAgency(string? policeEmail = null) =>
    [
        Spoc("DCC-CSC", "Casey Social", 0, TestMeeting.Address("csc", "durham.example")),
        Spoc("CDDFT", "Harper Health", 0, TestMeeting.Address("health", "nhs.example")),
        Spoc("DURHAM-POLICE", "Robin Primary", 0, policeEmail ?? TestMeeting.Address("police-primary")),
    ];

    /// <summary>
    /// The meetings service with its test settings (fast deadlines, a test link key) plus <paramref name="settings"/>,
    /// on <paramref name="clock"/> when given, once its bus is connected.
    /// </summary>
    public static async Task<ServiceHost<MeetingsService>> StartMeetingsAsync(
        PostgresDatabase database, RabbitMqVirtualHost broker, TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Deadlines:PollInterval"] = "00:00:00.100",
            ["Meetings:PublicBaseUrl"] = "https://meetings.test/",
            ["Meetings:ResponseLinkKey"] = "TEST-ONLY-meetings-response-link-key-0123456789abcdef",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var meetings = new ServiceHost<MeetingsService>(database, broker, all, clock is null ? null : services => services.AddSingleton(clock));
        await meetings.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return meetings;
    }

    /// <summary>
    /// The agencies and <paramref name="spocs"/> published as the directory service publishes them, then waits until
    /// the meetings service's replica holds every SPOC.
    /// </summary>
    public static async Task AnnounceDirectoryAsync(IPublishEndpoint directory, PostgresDatabase meetingsDatabase, IReadOnlyCollection<SpocSnapshot> spocs)
    {
        foreach (var agency in Agencies)
        {
            await directory.Publish(new AgencyRegistered(agency, DateTimeOffset.UtcNow));
        }

        foreach (var spoc in spocs)
        {
            await directory.Publish(new SpocAssigned(spoc, DateTimeOffset.UtcNow));
        }

        await Eventually.TrueAsync(
            async () => await meetingsDatabase.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica") == spocs.Count,
            ReplicaTimeout,
            "the meetings service's replica holds every SPOC announced");
    }

    /// <summary>A new team with one bridge, made by an administrator; returns its code.</summary>
    public static async Task<string> CreateTeamAsync(ServiceHost<MeetingsService> meetings)
    {
        var team = "FF-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var admin = meetings.ClientAs(JtaiRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/teams", new TeamRequest(team, $"Families First {team}", null, false, null), Json)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/teams/{team}/bridges", new BridgeRequest("Bridge 1", "0191 555 0001", "4455661"), Json)).EnsureSuccessStatusCode();
        return team;
    }

    /// <summary>
    /// A domestic-abuse convene for a meeting 3 hours after <paramref name="now"/>, each <paramref name="slot"/> two
    /// hours later than the last so the team's one bridge is free for the next.
    /// </summary>
    public static ConveneRequest Convene(
        DateTimeOffset now, int slot = 0, string caseReference = "LL-2026-0001", string thresholdText = "Third police call-out to the household in four weeks.") =>
        new(null, caseReference, ConcernCategory.DomesticAbuse, now.AddHours(-6), now.AddMinutes(-30), ThresholdReason.RepeatIncidentsCumulativeRisk, thresholdText,
            now.AddHours(3 + (2 * slot)), 60, null, null, new CaseFactsRequest(ChildAgeBand.FiveToTen, false, false, false, null, null), null, null);

    /// <summary>Convenes <paramref name="request"/> as <paramref name="manager"/>; the test fails with the problem if refused.</summary>
    public static async Task<MeetingResponse> ConveneAsync(HttpClient manager, ConveneRequest request)
    {
        var response = await manager.PostAsJsonAsync("/api/meetings", request, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<MeetingResponse>(Json))!;
    }

    /// <summary>
    /// Records <paramref name="meeting"/> as held in its slot with every invited agency attending in person, as its
    /// manager would after it (the meetings service's clock must be past its scheduled end).
    /// </summary>
    public static async Task RecordAsHeldAsync(HttpClient manager, MeetingResponse meeting)
    {
        var record = await manager.PutAsJsonAsync($"/api/meetings/{meeting.Id}/record", new RecordMeetingRequest(
            meeting.ScheduledStart.AddMinutes(2), meeting.ScheduledStart.AddMinutes(50), "Alex Chair", "DCC-CSC",
            meeting.Agencies.Where(a => a.Invited).Select(a => new AttendanceRequest(a.AgencyCode, AttendanceMode.AttendedInPerson, null)).ToList(),
            null, null, false, null, "Mother and child to stay with maternal grandmother tonight.", "Mother told by the social worker.",
            ChildViews.Recorded, "Wants to stay at her school."), Json);
        Assert.True(record.IsSuccessStatusCode, await record.Content.ReadAsStringAsync());
    }

    /// <summary>Circulates the agreed actions of a recorded meeting; the test fails with the problem if refused.</summary>
    public static async Task CirculateAsync(HttpClient manager, MeetingResponse meeting)
    {
        var circulate = await manager.PostAsync($"/api/meetings/{meeting.Id}/record/circulations", null);
        Assert.True(circulate.IsSuccessStatusCode, await circulate.Content.ReadAsStringAsync());
    }

    /// <summary>Every e-mail in the sink whose subject names <paramref name="meeting"/>.</summary>
    public static async Task<List<ReceivedMail>> MailsOfAsync(SmtpSink smtp, MeetingResponse meeting)
    {
        var mails = await Task.WhenAll(smtp.MessageFiles().Select(ReceivedMail.ReadAsync));
        return [.. mails.Where(m => m.Header("Subject")?.Contains(meeting.Reference, StringComparison.Ordinal) == true)];
    }
}
