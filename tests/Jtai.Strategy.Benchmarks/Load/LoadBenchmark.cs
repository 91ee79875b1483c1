using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Testing;
using Npgsql;

namespace Jtai.Strategy.Benchmarks.Load;

/// <summary>
/// The load command's switches: <c>--rate</c> meetings/s, <c>--duration</c> s, <c>--instances</c> per service,
/// <c>--chaos</c>, <c>--warmup</c> s of the same arrivals first (not measured), <c>--no-reminders</c> (invitations only).
/// </summary>
public sealed record LoadSettings(double Rate, int DurationSeconds, int Instances, bool Chaos, int WarmupSeconds = 0, bool Reminders = true)
{
    public static LoadSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new LoadSettings(5, 60, 1, false);
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--rate" => settings with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duration" => settings with { DurationSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--instances" => settings with { Instances = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--chaos" => settings with { Chaos = true },
                "--warmup" => settings with { WarmupSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-reminders" => settings with { Reminders = false },
                _ => throw new ArgumentException($"unknown load switch {args[i]}"),
            };
        }

        if (settings.Rate <= 0 || settings.DurationSeconds < 10 || settings.Instances is < 1 or > 9 || settings.WarmupSeconds is < 0 or > 600)
        {
            throw new ArgumentException("--rate > 0, --duration >= 10 s, --instances 1..9, --warmup 0..600 s");
        }

        return settings;
    }
}

/// <summary>
/// The whole system under an open-loop arrival of convene requests: every service as its own process (N instances
/// each on one database and broker), provisioning through the HTTP APIs, latency measured at a private SMTP sink,
/// lost and duplicated e-mails counted against what the meetings service recorded as issued, reminders (deadlines)
/// counted per invitation, the metrics API compared with the invitations issued, and optionally faults (kill -9 of
/// one instance of each service in turn, a broker stop/start) during the arrivals.
/// </summary>
public sealed partial class LoadBenchmark(LoadSettings settings, TextWriter report)
{
    /// <summary>Meetings per team: each team's bridge takes its meetings in consecutive hour slots.</summary>
    private const int MeetingsPerTeam = 10;

    /// <summary>The chase configured so that reminders fall due during the run (escalation stays beyond it).</summary>
    private static readonly TimeSpan ReminderAfter = TimeSpan.FromSeconds(30);

    /// <summary>With <c>--no-reminders</c>: no reminder falls due during the run (the issue's scenario: invitations only).</summary>
    private static readonly TimeSpan ReminderBeyondRun = TimeSpan.FromHours(2);

    /// <summary>The e-mails each issued invitation expects during the run: itself, and its reminder unless turned off.</summary>
    private int EmailsPerInvitation => settings.Reminders ? 2 : 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly (string Name, string Folder, string Assembly)[] ServiceKinds =
    [
        ("directory", "SpocDirectory", "Jtai.Strategy.SpocDirectory"),
        ("meetings", "Meetings", "Jtai.Strategy.Meetings"),
        ("notifications", "Notifications", "Jtai.Strategy.Notifications"),
        ("metrics", "Metrics", "Jtai.Strategy.Metrics"),
        ("actionplan", "ActionPlan", "Jtai.Strategy.ActionPlan"),
    ];

    private readonly Dictionary<string, List<ServiceProcess>> services = [];
    private readonly List<ConveneRecord> convenes = [];
    private readonly List<(TimeSpan At, string What)> chaosLog = [];
    private readonly Dictionary<string, string> primaries = new(StringComparer.OrdinalIgnoreCase); // agency → primary SPOC's e-mail
    private volatile bool[] meetingsDown = [];
    private PostgresDatabase database = null!;
    private RabbitMqVirtualHost broker = null!;
    private LoadSmtpSink smtp = null!;
    private DateTimeOffset arrivalsStart;
    private DateTimeOffset measuredFrom;
    private int warmSlot;

    /// <summary>Runs the benchmark, prints the report and returns the invitation e-mails delivered per second over the steady part.</summary>
    public async Task<double> RunAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        broker = await RabbitMqVirtualHost.CreateAsync();
        smtp = await LoadSmtpSink.StartAsync();
        var sampler = new ResourceSampler(() => services.SelectMany(s => s.Value.Where(p => p.ExitCode is null).Select(p => (s.Key, p.ProcessId))).ToList());
        // What the servers and the load itself spend on the same work: the rest of the machine's two cores.
        var servers = new ResourceSampler(() =>
        [
            .. ResourceSampler.ProcessesNamed("postgres", "beam.smp").Select(p => (p.Name == "postgres" ? "PostgreSQL" : "RabbitMQ", p.ProcessId)),
            ("benchmark (load, checks and the SMTP sink)", Environment.ProcessId),
        ]);
        try
        {
            await StartServicesAsync();
            sampler.Start();
            servers.Start();
            var agencies = await ProvisionAsync();
            if (settings.WarmupSeconds > 0)
            {
                await WarmUpAsync();
            }

            sampler.Mark();
            servers.Mark();
            measuredFrom = DateTimeOffset.UtcNow;
            var arrivalsEnd = await ArriveAsync(TotalMeetings, TeamCode, warmup: false);
            return await SummariseAsync(agencies, arrivalsEnd, sampler, servers);
        }
        finally
        {
            await servers.DisposeAsync();
            await sampler.DisposeAsync();
            await StopServicesAsync();
            await smtp.DisposeAsync();
            await broker.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private async Task StartServicesAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        foreach (var kind in ServiceKinds)
        {
            services[kind.Name] = [];
        }

        meetingsDown = new bool[settings.Instances];
        // Instance k of every service starts together (migrations of one schema never race); the directory is
        // among the first, and the meetings service asks for its snapshot at start-up anyway.
        for (var k = 0; k < settings.Instances; k++)
        {
            var starting = ServiceKinds.Select(kind =>
                ServiceProcess.StartAsync(kind.Folder, kind.Assembly, SettingsFor(kind.Name), TimeSpan.FromSeconds(180))).ToList();
            ServiceProcess[] started;
            try
            {
                started = await Task.WhenAll(starting);
            }
            catch
            {
                // One did not get ready: stop the ones that did, or they outlive the benchmark.
                foreach (var ready in starting.Where(t => t.IsCompletedSuccessfully))
                {
                    await ready.Result.DisposeAsync();
                }

                throw;
            }

            for (var i = 0; i < ServiceKinds.Length; i++)
            {
                services[ServiceKinds[i].Name].Add(started[i]);
            }
        }

        report.WriteLine($"started {ServiceKinds.Length} services × {settings.Instances} instance(s) in {stopwatch.Elapsed.TotalSeconds:F0} s");
    }

    private Dictionary<string, string?> SettingsFor(string service)
    {
        // Ten processes at most share PostgreSQL's 300 connections.
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 25 }.ConnectionString;
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connection,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Warning",
        };
        switch (service)
        {
            case "meetings":
                // Absolute chase times (the options there are today): reminders 30 s after issue fall due during the
                // run; escalation (2 h) never does, so each unanswered invitation expects exactly one reminder.
                values["Meetings:ReminderAfter"] = (settings.Reminders ? ReminderAfter : ReminderBeyondRun).ToString("c", CultureInfo.InvariantCulture);
                values["Meetings:EscalateAfter"] = settings.Reminders ? "02:00:00" : "04:00:00";
                // The floor (15 min by default) may not exceed the reminder time it guards.
                values["Meetings:ChaseFloor"] = "00:00:10";
                break;
            case "notifications":
                values["Smtp:Host"] = "127.0.0.1";
                values["Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
                values["Smtp:UseStartTls"] = "false";
                // A delivery left "sending" by a killed instance is taken over after the lease: 30 s, not 5 min, so the
                // benchmark sees the outcome within its bounded wait.
                values["Delivery:SendTimeout"] = "00:00:20";
                values["Delivery:SendingLease"] = "00:00:30";
                break;
        }

        return values;
    }

    private async Task StopServicesAsync()
    {
        foreach (var process in services.Values.SelectMany(p => p))
        {
            try
            {
                if (process.ExitCode is null)
                {
                    await process.StopAsync(TimeSpan.FromSeconds(30));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or Xunit.Sdk.XunitException)
            {
                report.WriteLine($"a service did not stop in time: {ex.Message}");
            }

            await process.DisposeAsync();
        }
    }

    // ---- provisioning through the APIs ----

    private static HttpClient Client(ServiceProcess service, string? token)
    {
        var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static string Admin => DevelopmentTokens.Mint("load-admin", [JtaiRoles.Administrator], name: "Load Admin");

    private static string Manager(string team) => DevelopmentTokens.Mint("load-manager", [JtaiRoles.TeamManager], team: team, name: "Load Manager");

    private static string TeamCode(int team) => $"FF-LOAD{team:D3}";

    private static string WarmUpTeamCode(int team) => $"FF-LOADW{team:D3}";

    private int WarmUpMeetings => (int)Math.Round(settings.Rate * settings.WarmupSeconds);

    private const string WarmTeam = "FF-LOADWARM";

    /// <summary>Teams, a bridge each, a primary and a deputy SPOC per suggested agency; returns the agency codes a convene invites.</summary>
    private async Task<IReadOnlyList<string>> ProvisionAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var teams = (TotalMeetings + MeetingsPerTeam - 1) / MeetingsPerTeam;
        var warmUpTeams = (WarmUpMeetings + MeetingsPerTeam - 1) / MeetingsPerTeam;
        using var admin = Client(services["meetings"][0], Admin);
        var codes = new[] { WarmTeam }.Concat(Enumerable.Range(0, teams).Select(TeamCode)).Concat(Enumerable.Range(0, warmUpTeams).Select(WarmUpTeamCode)).ToList();
        for (var t = 0; t < codes.Count; t++)
        {
            var code = codes[t];
            await Ensure(admin.PostAsJsonAsync("/api/teams", new { code, name = $"Families First {code}", gpPilot = false }, Json));
            await Ensure(admin.PostAsJsonAsync($"/api/teams/{code}/bridges", new { label = "Bridge 1", dialInNumber = $"0191 555 {t:D4}", conferenceCode = $"{4400000 + t}" }, Json));
        }

        // Which agencies the rules suggest for these case facts (once the directory's agencies reached the replica).
        using var manager = Client(services["meetings"][0], Manager(WarmTeam));
        var suggested = await Eventually.GetAsync(async () =>
        {
            using var response = await manager.PostAsJsonAsync("/api/meetings/suggestions", CaseFacts, Json);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.EnumerateArray().Select(s => s.GetProperty("agencyCode").GetString()!).Distinct().Order(StringComparer.Ordinal).ToList();
        }, codes => codes.Count >= 3, TimeSpan.FromSeconds(60), "the suggestions name the minimum agencies");

        using var directory = Client(services["directory"][0], Admin);
        foreach (var agency in suggested)
        {
            var local = agency.ToLowerInvariant();
            primaries[agency] = $"primary.{local}@load.example";
            await Ensure(directory.PostAsJsonAsync($"/api/agencies/{agency}/spocs", new { fullName = $"Primary {agency}", secureEmail = primaries[agency], rank = 0 }, Json));
            await Ensure(directory.PostAsJsonAsync($"/api/agencies/{agency}/spocs", new { fullName = $"Deputy {agency}", secureEmail = $"deputy.{local}@load.example", rank = 1 }, Json));
        }

        // The replica has them when a convene on each meetings instance invites every suggested agency's primary.
        for (var k = 0; k < settings.Instances; k++)
        {
            using var warm = Client(services["meetings"][k], Manager(WarmTeam));
            await Eventually.TrueAsync(async () =>
            {
                var slot = Interlocked.Increment(ref warmSlot);
                var start = DateTimeOffset.UtcNow.AddMinutes(40 + (30 * slot));
                var record = new ConveneRecord { Index = -1, Intended = DateTimeOffset.UtcNow, Instance = k, Warmup = true };
                await record.SendAsync(warm, ConveneAttempt.Request($"LL-LOAD-W{slot + 1:D6}", start, 30, Manager(WarmTeam), "load benchmark"));
                lock (convenes)
                {
                    convenes.Add(record);
                }

                return record.Status == 201 && record.Invited.Count == suggested.Count;
            }, TimeSpan.FromSeconds(60), $"meetings instance {k + 1} invites a SPOC of every suggested agency");
        }

        report.WriteLine($"provisioned {codes.Count} teams with a bridge each, 2 SPOCs for each of {string.Join(", ", suggested)} in {stopwatch.Elapsed.TotalSeconds:F0} s");
        return suggested;
    }

    private static object CaseFacts => ConveneAttempt.CaseFacts;

    private int TotalMeetings => (int)Math.Round(settings.Rate * settings.DurationSeconds);

    private static async Task Ensure(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    // ---- the arrivals ----

    /// <summary>
    /// The warm-up (<c>--warmup</c>): the same open-loop arrivals on teams of their own, then a wait until their
    /// invitations and reminders are sent, so the measured part starts with services that have compiled their hot paths
    /// and have no backlog, as a service that has been running for a while. Their convenes are not in the latencies, and
    /// the CPU per e-mail counts only what was spent and sent after it.
    /// </summary>
    private async Task WarmUpAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        await ArriveAsync(WarmUpMeetings, WarmUpTeamCode, warmup: true);
        var references = convenes.Where(c => c.Warmup && c.Reference is not null).Select(c => c.Reference!).ToHashSet();
        var expected = convenes.Where(c => c.Warmup && c.Reference is not null).Sum(c => c.Invited.Count) * EmailsPerInvitation;
        var done = await Eventually.GetAsync(
            () => Task.FromResult(smtp.Emails().Count(e => Classify(e) is { } c && references.Contains(c.Reference) && c.Kind is "invitation" or "reminder")),
            sent => sent >= expected, TimeSpan.FromMinutes(10), "the warm-up's invitations and reminders are sent");
        report.WriteLine($"warm-up: {references.Count} convenes over {settings.WarmupSeconds} s, their {done} invitation and reminder e-mails sent after {stopwatch.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Open loop: convene i is sent at start + i / rate whether or not earlier ones finished.</summary>
    private async Task<DateTimeOffset> ArriveAsync(int total, Func<int, string> teamCode, bool warmup)
    {
        // Each request carries its team manager's token.
        var clients = services["meetings"].Select(p => Client(p, null)).ToList();
        var firstSlot = DateTimeOffset.UtcNow.AddMinutes(40);
        firstSlot = new DateTimeOffset(firstSlot.Year, firstSlot.Month, firstSlot.Day, firstSlot.Hour, firstSlot.Minute, 0, TimeSpan.Zero);
        var start = DateTimeOffset.UtcNow.AddSeconds(1);
        if (!warmup)
        {
            arrivalsStart = start;
        }

        var chaos = settings.Chaos && !warmup ? ChaosAsync() : Task.CompletedTask;
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + TimeSpan.FromSeconds(i / settings.Rate);
            var wait = due - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var team = i / MeetingsPerTeam;
            // Slot 0 starts 40 minutes ahead (a short lead), the others an hour apart on the team's one bridge.
            var slot = firstSlot.AddHours(i % MeetingsPerTeam);
            var instance = PickInstance(i);
            // Warm-up convenes have references of their own (LL-LOAD-W1xxxxx).
            var index = warmup ? -(100_000 + i) : i;
            var record = new ConveneRecord { Index = index, Intended = due, Instance = instance, Warmup = warmup };
            lock (convenes)
            {
                convenes.Add(record);
            }

            var request = ConveneAttempt.Request($"LL-LOAD-{(index < 0 ? "W" : string.Empty)}{Math.Abs(index):D6}", slot, 60, managerTokens.GetOrAdd(teamCode(team), Manager), "load benchmark");
            inFlight.Add(record.SendAsync(clients[instance], request));
        }

        var arrivalsEnd = DateTimeOffset.UtcNow;
        await Task.WhenAll(inFlight);
        await chaos;
        foreach (var client in clients)
        {
            client.Dispose();
        }

        report.WriteLine($"{(warmup ? "warm-up: " : string.Empty)}{total} convenes sent over {(arrivalsEnd - start).TotalSeconds:F1} s (scheduled {(warmup ? settings.WarmupSeconds : settings.DurationSeconds)} s); last response after {(DateTimeOffset.UtcNow - start).TotalSeconds:F1} s");
        return arrivalsEnd;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> managerTokens = new();

    /// <summary>Round robin over the meetings instances, skipping one the chaos switch has taken out while another is up (what a load balancer's health check does).</summary>
    private int PickInstance(int i)
    {
        var n = settings.Instances;
        for (var step = 0; step < n; step++)
        {
            var k = (i + step) % n;
            if (!meetingsDown[k])
            {
                return k;
            }
        }

        return i % n;
    }

    // ---- faults ----

    /// <summary>
    /// During the arrivals: kill -9 one instance of meetings, notifications, directory and metrics in turn (each started
    /// again after 3 s), and once stop the broker's application for 5 s. Only ever on the benchmark's own servers.
    /// </summary>
    private async Task ChaosAsync()
    {
        var d = settings.DurationSeconds;
        var faults = new List<Task>
        {
            KillLater("meetings", d * 0.15),
            KillLater("notifications", d * 0.30),
            KillLater("directory", d * 0.45),
            KillLater("metrics", d * 0.60),
            BrokerRestartLater(d * 0.75),
        };
        await Task.WhenAll(faults);
    }

    private async Task KillLater(string service, double atSeconds)
    {
        await Task.Delay(arrivalsStart.AddSeconds(atSeconds) - DateTimeOffset.UtcNow);
        var k = settings.Instances - 1; // the last instance: with two, instance 1 keeps serving meanwhile
        var process = services[service][k];
        if (service == "meetings")
        {
            meetingsDown[k] = true;
        }

        var pid = process.ProcessId;
        await process.KillAsync();
        Log($"kill -9 {service} instance {k + 1} (pid {pid})");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Log($"starting {service} instance {k + 1} again");
        await process.StartAgainAsync(TimeSpan.FromSeconds(180));
        if (service == "meetings")
        {
            meetingsDown[k] = false;
        }

        Log($"{service} instance {k + 1} ready again (pid {process.ProcessId})");
    }

    private async Task BrokerRestartLater(double atSeconds)
    {
        await Task.Delay(arrivalsStart.AddSeconds(atSeconds) - DateTimeOffset.UtcNow);
        Log("rabbitmqctl stop_app");
        await InfraRabbitMqCtl("stop_app");
        // rabbitmqctl may time out on a loaded machine: say whether the broker really stopped listening.
        Log(await AmqpAnswersAsync() ? "the AMQP port still accepts connections" : "the AMQP port refuses connections (broker application stopped)");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Log("rabbitmqctl start_app");
        await InfraRabbitMqCtl("start_app");
        Log("broker application started again");
    }

    private async Task InfraRabbitMqCtl(string command)
    {
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(RepositoryRoot, "scripts", "infra.sh"), "rabbitmqctl", command], RepositoryRoot, timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0)
        {
            Log($"rabbitmqctl {command} failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }
    }

    private static async Task<bool> AmqpAnswersAsync()
    {
        // The first node of the address (a cluster's lists several: the benchmark stops the single node's application).
        var amqp = Jtai.Strategy.BuildingBlocks.Messaging.BrokerAddress.Parse(TestServers.RabbitMq);
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(amqp.Host, amqp.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Log(string what)
    {
        var at = DateTimeOffset.UtcNow - arrivalsStart;
        lock (chaosLog)
        {
            chaosLog.Add((at, what));
        }

        report.WriteLine($"  [chaos +{at.TotalSeconds:F1} s] {what}");
    }

    private static string RepositoryRoot
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

    // ---- the outcome ----

    [GeneratedRegex(@"\b(SM-\d{4}-\d+)\b")]
    private static partial Regex MeetingReference();

    /// <summary>
    /// Where an invitation's time goes, read from the services' own rows (one clock: this machine): issued (the convene's
    /// transaction) → planned by the notifications consumer (outbox relay, broker, consumer queue) → claimed by the
    /// dispatcher → recorded as sent after the relay's 250 (the SMTP conversation and the record). Measured convenes
    /// only: the provisioning's check convenes and a warm-up's were issued before the first of them.
    /// </summary>
    private async Task<List<(string Hop, List<double> Values)>> InvitationHopsAsync()
    {
        var hops = new List<(string, List<double>)> { ("issued → planned by notifications", []), ("planned → claimed for sending", []), ("claimed → sent recorded", []) };
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT extract(epoch FROM d.created_at - i.issued_at) * 1000, extract(epoch FROM d.last_attempt_at - d.created_at) * 1000, " +
            "extract(epoch FROM d.sent_at - d.last_attempt_at) * 1000 FROM notifications.delivery d " +
            "JOIN meetings.invitation i ON i.id = d.invitation_id WHERE d.kind = 'invitation' AND d.sent_at IS NOT NULL AND i.issued_at >= @from", connection);
        // The measured part's invitations only (a warm-up's were issued before it).
        command.Parameters.AddWithValue("from", measuredFrom);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var h = 0; h < hops.Count; h++)
            {
                hops[h].Item2.Add((double)reader.GetDecimal(h));
            }
        }

        return hops;
    }

    private sealed record Issued(Guid InvitationId, string Reference, string AgencyCode, string RecipientEmail, DateTimeOffset IssuedAt);

    private async Task<List<Issued>> IssuedInvitationsAsync()
    {
        var issued = new List<Issued>();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT i.id, m.reference, i.agency_code, i.recipient_email, i.issued_at FROM meetings.invitation i JOIN meetings.strategy_meeting m ON m.id = i.meeting_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            issued.Add(new Issued(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3).ToLowerInvariant(), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return issued;
    }

    private static (string Kind, string Reference)? Classify(ReceivedEmail email)
    {
        var reference = MeetingReference().Match(email.Subject);
        if (!reference.Success)
        {
            return null;
        }

        var kind = email.Subject.EndsWith("invitation", StringComparison.Ordinal) ? "invitation"
            : email.Subject.Contains("reminder", StringComparison.Ordinal) ? "reminder"
            : "other";
        return (kind, reference.Groups[1].Value);
    }

    private async Task<double> SummariseAsync(IReadOnlyList<string> agencies, DateTimeOffset arrivalsEnd, ResourceSampler sampler, ResourceSampler servers)
    {
        // Every invitation the meetings service recorded as issued (including those of a convene whose response was lost
        // to a kill) expects one invitation e-mail and, unanswered, one reminder 30 s after issue (none with --no-reminders).
        var issued = await IssuedInvitationsAsync();
        var lastDue = issued.Count == 0 ? arrivalsEnd : issued.Max(i => i.IssuedAt) + (settings.Reminders ? ReminderAfter : TimeSpan.Zero);
        int Missing(IReadOnlyList<ReceivedEmail> received, string kind)
        {
            var got = received.Select(e => (Classify(e), e.Recipient.ToLowerInvariant())).Where(x => x.Item1?.Kind == kind)
                .Select(x => (x.Item1!.Value.Reference, x.Item2)).ToHashSet();
            return issued.Count(i => !got.Contains((i.Reference, i.RecipientEmail)));
        }

        // Late is not lost: wait while the system still makes progress (a new e-mail or a fired deadline within the
        // last 60 s), up to 20 minutes after the arrivals; what is missing then is reported as lost.
        IReadOnlyList<ReceivedEmail> emails = [];
        var hardLimit = arrivalsEnd + TimeSpan.FromMinutes(20);
        var lastProgress = DateTimeOffset.UtcNow;
        var progressMark = (-1, -1L);
        var waitEnded = "every expected e-mail arrived";
        while (true)
        {
            issued = await IssuedInvitationsAsync();
            emails = smtp.Emails();
            var mark = (emails.Count, await database.ScalarAsync<long>("SELECT count(*) FROM meetings.deadline WHERE fired_at IS NOT NULL"));
            if (mark != progressMark)
            {
                progressMark = mark;
                lastProgress = DateTimeOffset.UtcNow;
            }

            if (DateTimeOffset.UtcNow > lastDue && Missing(emails, "invitation") == 0 && (!settings.Reminders || Missing(emails, "reminder") == 0))
            {
                break;
            }

            if (DateTimeOffset.UtcNow - lastProgress > TimeSpan.FromSeconds(60))
            {
                waitEnded = "no progress for 60 s";
                break;
            }

            if (DateTimeOffset.UtcNow > hardLimit)
            {
                waitEnded = "20 minutes after the arrivals";
                break;
            }

            await Task.Delay(1000);
        }

        // A resend after a crash comes when the sending lease (30 s) ran out: give it that time to show up.
        await Task.Delay(settings.Chaos ? TimeSpan.FromSeconds(40) : TimeSpan.FromSeconds(3));
        issued = await IssuedInvitationsAsync();
        emails = smtp.Emails();
        sampler.SampleOnce();
        servers.SampleOnce();
        var waitedUntil = DateTimeOffset.UtcNow;

        var byKey = emails.Select(e => (Class: Classify(e), Email: e)).Where(x => x.Class is not null)
            .GroupBy(x => (x.Class!.Value.Kind, x.Class!.Value.Reference, Recipient: x.Email.Recipient.ToLowerInvariant()))
            .ToDictionary(g => g.Key, g => g.Select(x => x.Email).OrderBy(e => e.ReceivedAt).ToList());
        var expectedKeys = issued.Select(i => (i.Reference, i.RecipientEmail)).ToHashSet();

        Outcome Count(string kind, bool expected = true)
        {
            var outcome = new Outcome();
            foreach (var invitation in expected ? issued : [])
            {
                var copies = byKey.GetValueOrDefault((kind, invitation.Reference, invitation.RecipientEmail)) ?? [];
                outcome.Expected++;
                if (copies.Count == 0)
                {
                    outcome.Lost.Add($"{invitation.Reference}/{invitation.AgencyCode}");
                }
                else
                {
                    outcome.Received++;
                    if (copies.Count > 1 && copies.Select(c => c.MessageId).Distinct().Count() == 1)
                    {
                        outcome.ResentSameId += copies.Count - 1;
                    }
                    else if (copies.Count > 1)
                    {
                        outcome.Duplicated += copies.Count - 1;
                    }
                }
            }

            outcome.Unexpected = byKey.Where(g => g.Key.Kind == kind && (!expected || !expectedKeys.Contains((g.Key.Reference, g.Key.Recipient)))).Sum(g => g.Value.Count);
            return outcome;
        }

        var invitations = Count("invitation");
        var reminders = Count("reminder", expected: settings.Reminders);
        var reminderDeadlines = await database.ScalarAsync<long>("SELECT count(*) FROM meetings.deadline WHERE kind = 'meetings.invitation-reminder' AND fired_at IS NOT NULL");
        var remindersPending = await database.ScalarAsync<long>("SELECT count(*) FROM meetings.deadline WHERE kind = 'meetings.invitation-reminder' AND fired_at IS NULL AND cancelled_at IS NULL");

        // Latencies of the measured arrivals (warm-up convenes excluded).
        var measured = convenes.Where(c => !c.Warmup).ToList();
        var http = measured.Where(c => c.Status == 201).Select(c => (c.Completed - c.Intended).TotalMilliseconds).ToList();
        var intendedByReference = measured.Where(c => c.Reference is not null).ToDictionary(c => c.Reference!, c => c.Intended);
        var toSmtp = new List<double>();
        foreach (var ((kind, reference, _), copies) in byKey)
        {
            if (kind == "invitation" && intendedByReference.TryGetValue(reference, out var intended))
            {
                toSmtp.Add((copies[0].ReceivedAt - intended).TotalMilliseconds);
            }
        }

        // Delivered/s over the steady part: the middle 60% of the invitation e-mails (20th to 80th percentile of their
        // arrival at the sink), so neither the ramp-up nor the drain of a backlog after the arrivals counts.
        var arrivals = byKey.Where(g => g.Key.Kind == "invitation" && intendedByReference.ContainsKey(g.Key.Reference)).Select(g => g.Value[0].ReceivedAt).Order().ToList();
        var invitationsPerSecond = 0.0;
        var steady = "n/a";
        if (arrivals.Count >= 10)
        {
            var (from, to) = ((int)(arrivals.Count * 0.2), (int)(arrivals.Count * 0.8));
            invitationsPerSecond = (to - from) / (arrivals[to] - arrivals[from]).TotalSeconds;
            steady = $"+{(arrivals[from] - arrivalsStart).TotalSeconds:F0}..+{(arrivals[to] - arrivalsStart).TotalSeconds:F0} s";
        }

        var span = arrivals.Count == 0 ? "none" : $"first at +{(arrivals[0] - arrivalsStart).TotalSeconds:F1} s, last at +{(arrivals[^1] - arrivalsStart).TotalSeconds:F1} s";

        var metrics = await MetricsAsync(issued);
        var replica = ReplicaCheck(agencies);

        // ---- the report ----
        var mode = $"rate {settings.Rate.ToString(CultureInfo.InvariantCulture)}/s × {settings.DurationSeconds} s, {settings.Instances} instance(s) per service{(settings.Chaos ? ", chaos" : string.Empty)}{(settings.WarmupSeconds > 0 ? $", after a {settings.WarmupSeconds} s warm-up" : string.Empty)}";
        var o = new StringBuilder();
        o.AppendLine();
        o.AppendLine($"## Load benchmark: {mode}");
        o.AppendLine();
        o.AppendLine($"{measured.Count} convenes sent open loop; {agencies.Count} agencies invited per meeting ({string.Join(", ", agencies)}); {convenes.Count(c => c.Warmup)} warm-up convene(s) not in the latencies. Waited for e-mails until +{(waitedUntil - arrivalsStart).TotalSeconds:F0} s ({waitEnded}).");
        o.AppendLine();
        o.AppendLine("| measure | value |");
        o.AppendLine("| --- | --- |");
        o.AppendLine($"| convene HTTP (from scheduled send) | {Percentiles(http)} |");
        o.AppendLine($"| HTTP responses | {string.Join(", ", measured.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no response" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count()}"))} |");
        o.AppendLine($"| convene → invitation at SMTP sink | {Percentiles(toSmtp)} |");
        foreach (var (hop, values) in await InvitationHopsAsync())
        {
            o.AppendLine($"| hop: {hop} | {Percentiles(values)} |");
        }
        o.AppendLine($"| invitation e-mails delivered/s, steady part ({steady}) | {invitationsPerSecond:F1}/s (offered {settings.Rate * agencies.Count:F1}/s); {span} |");
        o.AppendLine($"| invitation e-mails: expected (issued) / received | {invitations.Expected} / {invitations.Received} |");
        o.AppendLine($"| invitations lost · duplicated · resent with the same Message-ID · unexpected | {invitations.Lost.Count} · {invitations.Duplicated} · {invitations.ResentSameId} · {invitations.Unexpected} |");
        o.AppendLine($"| reminders (deadlines): expected / received · fired deadlines · still pending | {reminders.Expected} / {reminders.Received} · {reminderDeadlines} · {remindersPending} |");
        o.AppendLine($"| reminders lost · duplicated · resent with the same Message-ID · unexpected | {reminders.Lost.Count} · {reminders.Duplicated} · {reminders.ResentSameId} · {reminders.Unexpected} |");
        o.AppendLine($"| metrics count once | {metrics} |");
        o.AppendLine($"| directory replica | {replica} |");
        var totals = sampler.Totals();
        var sinceArrivals = sampler.CpuSinceMark();
        // The e-mails the CPU since the mark paid for: those sent from the first measured convene on (a warm-up's were
        // all sent before it).
        var emailCount = Math.Max(1, emails.Count(e => e.ReceivedAt >= measuredFrom));
        foreach (var kind in ServiceKinds)
        {
            var (rss, cpu) = totals.GetValueOrDefault(kind.Name);
            var run = sinceArrivals.GetValueOrDefault(kind.Name);
            o.AppendLine($"| {kind.Name}: peak RSS · CPU (whole life; from the first measured convene: per e-mail) | {rss:F0} MiB · {cpu:F1} s ({run:F1} s: {run * 1000 / emailCount:F1} ms) |");
        }

        var allRun = sinceArrivals.Values.Sum();
        o.AppendLine($"| all services: CPU from the first measured convene, per e-mail sent since (invitations and reminders, {emailCount}) | {allRun:F1} s: {allRun * 1000 / emailCount:F1} ms |");
        // The servers' processes are everything of that name on the machine: on the benchmark's own servers with
        // nothing else running, their CPU is the run's.
        var serversRun = servers.CpuSinceMark();
        foreach (var (name, cpu) in serversRun.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            o.AppendLine($"| {name}: CPU from the first measured convene, per e-mail | {cpu:F1} s: {cpu * 1000 / emailCount:F1} ms |");
        }

        var machine = allRun + serversRun.Values.Sum();
        o.AppendLine($"| machine (services, servers, sink, benchmark): CPU per e-mail | {machine:F1} s: {machine * 1000 / emailCount:F1} ms |");

        if (invitations.Lost.Count + reminders.Lost.Count > 0)
        {
            o.AppendLine();
            o.AppendLine($"Lost (meeting/agency): invitations {string.Join(", ", invitations.Lost.Take(20))}{(invitations.Lost.Count > 20 ? " …" : string.Empty)}; reminders {string.Join(", ", reminders.Lost.Take(20))}{(reminders.Lost.Count > 20 ? " …" : string.Empty)}");
        }

        var errors = measured.Where(c => c.Status != 201).GroupBy(c => c.Error ?? string.Empty).Take(5).ToList();
        if (errors.Count > 0)
        {
            o.AppendLine();
            o.AppendLine("HTTP errors (first kinds): " + string.Join(" | ", errors.Select(g => $"{g.Count()}× {g.Key}")));
        }

        if (chaosLog.Count > 0)
        {
            o.AppendLine();
            o.AppendLine("Faults: " + string.Join("; ", chaosLog.Select(c => $"+{c.At.TotalSeconds:F1} s {c.What}")));
            o.AppendLine("\"Resent with the same Message-ID\" is the documented window (README, \"How delivery is guaranteed\"): a crash after the relay accepted an e-mail and before \"sent\" was recorded sends it again after the sending lease, with the same Message-ID and calendar UID, so a mail client or calendar shows it once.");
        }

        report.Write(o.ToString());
        return invitationsPerSecond;
    }

    private async Task<string> MetricsAsync(List<Issued> issued)
    {
        // The unit of invitations.issued is the agency invited to a meeting (docs/metrics.md).
        var expected = issued.Select(i => (i.Reference, i.AgencyCode)).Distinct().Count();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var path = $"/api/metrics/figures?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(2):yyyy-MM-dd}&by=overall";
        using var client = Client(services["metrics"][0], DevelopmentTokens.Mint("load-masdg", [JtaiRoles.Masdg]));
        (long Issued, long Delivered) last = (-1, -1);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                using var document = JsonDocument.Parse(await client.GetStringAsync(path));
                static bool Overall(JsonElement f, string scope) => !f.TryGetProperty(scope, out var value) || value.ValueKind == JsonValueKind.Null;
                long Figure(string key) => document.RootElement.GetProperty("figures").EnumerateArray()
                    .Where(f => f.GetProperty("key").GetString() == key && Overall(f, "agencyCode") && Overall(f, "teamCode"))
                    .Select(f => f.GetProperty("numerator").GetInt64()).FirstOrDefault();
                last = (Figure("invitations.issued"), Figure("invitations.delivered"));
                if (last.Issued == expected && last.Delivered == expected)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // the instance is restarting: ask again
            }

            await Task.Delay(1000);
        }

        var verdict = last.Issued == expected && last.Delivered == expected ? "match" : "MISMATCH";
        return $"{verdict}: invitations.issued {last.Issued}, invitations.delivered {last.Delivered}, agencies invited (meetings database) {expected}";
    }

    /// <summary>With one database the meetings instances share one replica: every convene on every instance must route each agency to its provisioned primary.</summary>
    private string ReplicaCheck(IReadOnlyList<string> agencies)
    {
        var ok = convenes.Where(c => c.Status == 201).ToList();
        var names = agencies.ToDictionary(a => a, a => $"Primary {a}");
        var wrong = ok.Count(c => c.Invited.Count != agencies.Count || c.Invited.Any(i => names.GetValueOrDefault(i.Agency) != i.Recipient));
        var instances = ok.Select(c => c.Instance).Distinct().Count();
        return $"{ok.Count - wrong}/{ok.Count} successful convenes on {instances} meetings instance(s) invited the provisioned primary SPOC of all {agencies.Count} agencies{(wrong > 0 ? $"; {wrong} did not (MISMATCH)" : string.Empty)}";
    }

    private static string Percentiles(List<double> values)
    {
        if (values.Count == 0)
        {
            return "n=0";
        }

        values.Sort();
        double P(double q) => values[Math.Min(values.Count - 1, Math.Max(0, (int)Math.Ceiling(q * values.Count) - 1))];
        return $"n={values.Count} min {values[0]:F0} ms, p50 {P(0.50):F0} ms, p99 {P(0.99):F0} ms, max {values[^1]:F0} ms";
    }

    private sealed class Outcome
    {
        public int Expected { get; set; }

        public int Received { get; set; }

        public List<string> Lost { get; } = [];

        public int Duplicated { get; set; }

        public int ResentSameId { get; set; }

        public int Unexpected { get; set; }
    }

    private sealed class ConveneRecord : ConveneAttempt
    {
        public int Instance { get; init; }

        public bool Warmup { get; init; }
    }
}
