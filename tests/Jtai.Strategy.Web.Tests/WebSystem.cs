using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jtai.Strategy.Web.Tests;

[CollectionDefinition(Name)]
public sealed class WebSystemCollection : ICollectionFixture<WebSystem>
{
    public const string Name = "web system";
}

/// <summary>
/// The system as deployed, for the browser: the SPOC directory, meetings, notifications, metrics, action plan and the
/// web service, each its
/// built program in a process of its own, on one private database each (migrated by the schema's owner role, run as
/// the service's runtime role, as scripts/run.sh does) and one broker virtual host, delivering to the
/// SMTP sink of scripts/infra.sh, signing in through the development OIDC provider scripts/infra.sh runs
/// (<c>JTAI_OIDC_AUTHORITY</c>); the web service on <c>JTAI_WEB_TEST_URL</c>, the address that provider knows for it.
/// Started once for every browser test (a few seconds), with the example users' agencies given SPOCs and the
/// example manager's team a bridge.
/// </summary>
public sealed class WebSystem : IAsyncLifetime
{
    public const string ClientSecret = "DEVELOPMENT-ONLY-jtai-web-client-secret";
    public const string Password = "dev-password";
    public const string ManagerTeam = "FF-EASINGTON";

    // Six services start at once on a shared two-core machine: generous, as a deadline, not a wait.
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(180);
    private readonly List<IAsyncDisposable> owned = [];

    /// <summary>This run's mark on every e-mail address, so the shared SMTP sink's messages are told apart.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    public Uri Authority { get; } = new(Environment.GetEnvironmentVariable("JTAI_OIDC_AUTHORITY") ?? "http://127.0.0.1:27443/");

    public Uri WebAddress { get; } = new(Environment.GetEnvironmentVariable("JTAI_WEB_TEST_URL") ?? "http://127.0.0.1:27444/");

    public string MailDir { get; } = Environment.GetEnvironmentVariable("JTAI_SMTP_MAILBOX") is { Length: > 0 } dir
        ? dir
        : Path.Combine(RepositoryRoot, ".local", "smtp", "mailbox");

    public Uri MeetingsAddress { get; } = ServiceProcess.FreeAddress();

    /// <summary>The directory's address, chosen before it starts: the web service (started beside it) calls it for the administrator's pages.</summary>
    public Uri DirectoryAddress { get; } = ServiceProcess.FreeAddress();

    /// <summary>The notifications service's address, chosen before it starts (the manager's notices page calls it).</summary>
    public Uri NotificationsAddress { get; } = ServiceProcess.FreeAddress();

    /// <summary>The metrics service (the MASDG's figures) and the action plan service (its progress table), on addresses the web service is given.</summary>
    public Uri MetricsAddress { get; } = ServiceProcess.FreeAddress();

    public Uri ActionPlanAddress { get; } = ServiceProcess.FreeAddress();

    public ServiceProcess Metrics { get; private set; } = null!;

    public ServiceProcess ActionPlan { get; private set; } = null!;

    public ServiceProcess Directory { get; private set; } = null!;

    public ServiceProcess Meetings { get; private set; } = null!;

    public ServiceProcess Notifications { get; private set; } = null!;

    public ServiceProcess Web { get; private set; } = null!;

    /// <summary>The web service's settings (its broker, the APIs, the shared DataProtection keys): another instance starts with the same.</summary>
    public IReadOnlyDictionary<string, string?> WebSettings { get; private set; } = new Dictionary<string, string?>();

    public PostgresDatabase MeetingsDatabase { get; private set; } = null!;

    /// <summary>The SPOCs' addresses by agency code (each example SPOC user's agency has one SPOC here).</summary>
    public IReadOnlyDictionary<string, string> SpocEmails { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var broker = Own(await RabbitMqVirtualHost.CreateAsync());
        var directoryDatabase = Own(await PostgresDatabase.CreateAsync());
        MeetingsDatabase = Own(await PostgresDatabase.CreateAsync());
        var notificationsDatabase = Own(await PostgresDatabase.CreateAsync());
        var metricsDatabase = Own(await PostgresDatabase.CreateAsync());
        var actionPlanDatabase = Own(await PostgresDatabase.CreateAsync());
        // Least privilege as deployed: each database gets the services' roles (deploy/postgres/service-roles.sh).
        foreach (var database in new[] { directoryDatabase, MeetingsDatabase, notificationsDatabase, metricsDatabase, actionPlanDatabase })
        {
            await ServiceDatabaseRoles.ProvisionAsync(database);
        }

        // Each migrate step connects as its schema's owner role (ConnectionStrings:PostgresMigrations); each service
        // as its runtime role only (the owner's connection is removed before it starts).
        Dictionary<string, string?> Common(PostgresDatabase database, string schema)
        {
            var settings = ServiceDatabaseRoles.Settings(database, schema);
            settings["ConnectionStrings:RabbitMq"] = broker.ConnectionString;
            settings["Auth:Authority"] = Authority.ToString();
            settings["Outbox:PollInterval"] = "00:00:00.200";
            settings["Deadlines:PollInterval"] = "00:00:00.200";
            return settings;
        }

        var directory = Common(directoryDatabase, "spoc_directory");
        var meetings = Common(MeetingsDatabase, "meetings");
        meetings["Meetings:PublicBaseUrl"] = MeetingsAddress.ToString();
        meetings["Meetings:AnswerPageBaseUrl"] = WebAddress.ToString();
        meetings["Meetings:WebBaseUrl"] = WebAddress.ToString();
        var notifications = Common(notificationsDatabase, "notifications");
        notifications["Delivery:PollInterval"] = "00:00:00.200";
        var metrics = Common(metricsDatabase, "metrics");
        var actionPlan = Common(actionPlanDatabase, "action_plan");
        actionPlan["ActionPlan:SeedDurhamSamplePlan"] = "true"; // the progress page shows the sample plan, as under scripts/run.sh

        // The deployment step first (migrations, queues and bindings), so that no event waits for a queue that does
        // not exist yet; then every service at once: the directory's start-up snapshot finds the meetings queue bound.
        await Task.WhenAll(new[] { ("SpocDirectory", directory), ("Meetings", meetings), ("Notifications", notifications), ("Metrics", metrics), ("ActionPlan", actionPlan) }.Select(async s =>
        {
            var (exitCode, output) = await ServiceProcess.MigrateAsync(s.Item1, "Jtai.Strategy." + s.Item1, s.Item2);
            Assert.True(exitCode == 0, $"{s.Item1} migrate failed:\n{output}");
        }));
        foreach (var settings in new[] { directory, meetings, notifications, metrics, actionPlan })
        {
            settings.Remove("ConnectionStrings:PostgresMigrations");
        }

        var directoryStarted = ServiceProcess.StartAsync("SpocDirectory", "Jtai.Strategy.SpocDirectory", directory, DirectoryAddress, Ready);
        var meetingsStarted = ServiceProcess.StartAsync("Meetings", "Jtai.Strategy.Meetings", meetings, MeetingsAddress, Ready);
        var notificationsStarted = ServiceProcess.StartAsync("Notifications", "Jtai.Strategy.Notifications", notifications, NotificationsAddress, Ready);
        var metricsStarted = ServiceProcess.StartAsync("Metrics", "Jtai.Strategy.Metrics", metrics, MetricsAddress, Ready);
        var actionPlanStarted = ServiceProcess.StartAsync("ActionPlan", "Jtai.Strategy.ActionPlan", actionPlan, ActionPlanAddress, Ready);
        WebSettings = new Dictionary<string, string?>
        {
            ["Web:Oidc:Authority"] = Authority.ToString(),
            ["Web:Oidc:ClientSecret"] = ClientSecret,
            ["Web:Apis:Meetings"] = MeetingsAddress.ToString(),
            ["Web:Apis:Directory"] = DirectoryAddress.ToString(),
            ["Web:Apis:Notifications"] = NotificationsAddress.ToString(),
            ["Web:Apis:Metrics"] = MetricsAddress.ToString(),
            ["Web:Apis:ActionPlan"] = ActionPlanAddress.ToString(),
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Web:DataProtectionKeysDirectory"] = Path.Combine(Path.GetTempPath(), "jtai-web-tests-keys-" + Run),
        };
        var webStarted = ServiceProcess.StartAsync("Web", "Jtai.Strategy.Web", WebSettings, WebAddress, Ready);
        Task<ServiceProcess>[] starting = [directoryStarted, meetingsStarted, notificationsStarted, metricsStarted, actionPlanStarted, webStarted];
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop the services that did start, or they outlive the run.
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        Directory = Own(directoryStarted.Result);
        Metrics = Own(metricsStarted.Result);
        ActionPlan = Own(actionPlanStarted.Result);
        Meetings = Own(meetingsStarted.Result);
        Notifications = Own(notificationsStarted.Result);
        Web = Own(webStarted.Result);

        await GiveAgenciesSpocsAndTheTeamABridgeAsync();
    }

    public async Task DisposeAsync()
    {
        // Each service's output, kept for a failure's diagnosis (the pages only say "there is a problem").
        var logs = Path.Combine(RepositoryRoot, ".local", "logs", "web-tests");
        System.IO.Directory.CreateDirectory(logs);
        foreach (var (name, service) in new[] { ("directory", Directory), ("meetings", Meetings), ("notifications", Notifications), ("metrics", Metrics), ("action-plan", ActionPlan), ("web", Web) })
        {
            if (service is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(logs, name + ".log"), service.Output);
            }
        }

        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }

    /// <summary>An API client with the example user's access token from the provider (its password grant).</summary>
    public async Task<HttpClient> ApiAsAsync(string userName, Uri service)
    {
        using var provider = new HttpClient { BaseAddress = Authority };
        var response = await provider.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "jtai-web",
            ["client_secret"] = ClientSecret,
            ["username"] = userName,
            ["password"] = Password,
            ["scope"] = "openid profile email roles jtai-api",
        }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var token = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
        var client = new HttpClient { BaseAddress = service };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Convenes a meeting for the example manager's team (or <paramref name="managerUser"/>'s) through the meetings API,
    /// starting in <paramref name="startsIn"/> (more than a day after the decision, with the delay's reason), without
    /// the agencies of <paramref name="leaveOut"/> (the information already shared).
    /// </summary>
    public Task<JsonNode> ConveneAsync(TimeSpan startsIn, string caseReference, string managerUser = "manager.easington", params string[] leaveOut) =>
        ConveneCoreAsync(TimeSpan.FromMinutes(30), startsIn, caseReference, managerUser, leaveOut, addAgencies: []);

    /// <summary>As <see cref="ConveneAsync(TimeSpan, string, string, string[])"/>, the decision to convene taken <paramref name="decidedAgo"/> ago (the incident 6 hours before it).</summary>
    public Task<JsonNode> ConveneDecidedAsync(TimeSpan decidedAgo, TimeSpan startsIn, string caseReference, string managerUser = "manager.easington", params string[] leaveOut) =>
        ConveneCoreAsync(decidedAgo, startsIn, caseReference, managerUser, leaveOut, addAgencies: []);

    /// <summary>As above, inviting also the agencies of <paramref name="addAgencies"/> (added by code, as the convene form's "add an agency").</summary>
    public Task<JsonNode> ConveneAsync(TimeSpan startsIn, string caseReference, IReadOnlyList<string> addAgencies, string managerUser = "manager.easington") =>
        ConveneCoreAsync(TimeSpan.FromMinutes(30), startsIn, caseReference, managerUser, [], addAgencies);

    private async Task<JsonNode> ConveneCoreAsync(TimeSpan decidedAgo, TimeSpan startsIn, string caseReference, string managerUser, string[] leaveOut, IReadOnlyList<string> addAgencies)
    {
        using var manager = await ApiAsAsync(managerUser, MeetingsAddress);
        var now = DateTimeOffset.UtcNow;
        var response = await manager.PostAsJsonAsync("api/meetings", new
        {
            caseReference,
            concernCategory = "DomesticAbuse",
            incidentAt = now - decidedAgo - TimeSpan.FromHours(6),
            decisionAt = now - decidedAgo,
            thresholdReason = "RepeatIncidentsCumulativeRisk",
            thresholdReasonText = "Third police call-out to the household in four weeks.",
            scheduledStart = now + startsIn,
            lengthMinutes = 60,
            delayReason = decidedAgo + startsIn > TimeSpan.FromHours(24) ? "PartnerAvailability" : null,
            caseFacts = new { ageBand = "FiveToTen", unbornChild = false, adultKnownToProbation = false, knownToYos = false },
            removeAgencies = leaveOut.Select(agencyCode => new { agencyCode, reason = "InformationAlreadyShared" }).ToArray(),
            addAgencies,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>A client of the web service signed in as the example user over plain HTTP, without a browser (<see cref="WebSignIn"/>).</summary>
    public Task<HttpClient> SignInOverHttpAsync(string userName) => WebSignIn.OverHttpAsync(WebAddress, userName, Password);

    private async Task GiveAgenciesSpocsAndTheTeamABridgeAsync()
    {
        using var directoryAdmin = await ApiAsAsync("admin", Directory.Address);
        var emails = new Dictionary<string, string>
        {
            ["DCC-CSC"] = $"csc-{Run}@durham.example",
            ["CDDFT"] = $"health-{Run}@cddft.nhs.example",
            ["DURHAM-POLICE"] = $"police-{Run}@durham.police.example",
        };
        foreach (var (agency, email) in emails)
        {
            var assigned = await directoryAdmin.PostAsJsonAsync($"api/agencies/{agency}/spocs", new { fullName = "SPOC of " + agency, secureEmail = email, rank = 0 });
            Assert.True(assigned.IsSuccessStatusCode, await assigned.Content.ReadAsStringAsync());
        }

        SpocEmails = emails;
        using var meetingsAdmin = await ApiAsAsync("admin", MeetingsAddress);
        var team = await meetingsAdmin.PostAsJsonAsync("api/teams", new { code = ManagerTeam, name = "Families First Easington", gpPilot = false });
        Assert.True(team.IsSuccessStatusCode, await team.Content.ReadAsStringAsync());
        // Three bridges: the tests convene meetings that may overlap, each needs a free one.
        for (var i = 1; i <= 3; i++)
        {
            var bridge = await meetingsAdmin.PostAsJsonAsync($"api/teams/{ManagerTeam}/bridges", new { label = $"Bridge {i}", dialInNumber = $"0191 555 000{i}", conferenceCode = $"445566{i}" });
            Assert.True(bridge.IsSuccessStatusCode, await bridge.Content.ReadAsStringAsync());
        }

        // The meetings service hears the directory on the bus: wait until its replica has the three SPOCs.
        await Eventually.TrueAsync(
            async () => await MeetingsDatabase.ScalarAsync<long>("SELECT count(*) FROM meetings.spoc_replica") >= emails.Count,
            TimeSpan.FromSeconds(60), "the meetings service's replica has the SPOCs");
    }

    /// <summary>
    /// Another instance of the web service beside <see cref="Web"/>, as a deployment with several runs it: the same
    /// settings (one broker, the same DataProtection keys, so the sign-in cookie of either is read by both), on an
    /// address of its own; stopped by the caller.
    /// </summary>
    public Task<ServiceProcess> StartAnotherWebAsync() =>
        ServiceProcess.StartAsync("Web", "Jtai.Strategy.Web", WebSettings, ServiceProcess.FreeAddress(), Ready);

    private T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        owned.Add(resource);
        return resource;
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Jtai.Strategy.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No Jtai.Strategy.sln above {AppContext.BaseDirectory}.");
        }
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
