using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Security;
using Npgsql;
using Xunit.Abstractions;

namespace Jtai.Strategy.Cluster.Tests;

/// <summary>
/// Convening at a steady rate through the real services (directory, meetings, notifications, each its own process,
/// pointed at all three broker nodes and both database servers), while (a) the RabbitMQ node that leads the busiest
/// quorum queue stops, and later (b) the PostgreSQL primary stops and its synchronous standby is promoted. Nothing a
/// convene was answered 201 for may be lost (its meeting on the promoted server, an invitation e-mail to every invited
/// SPOC at the SMTP sink), nothing may be sent twice (one e-mail per Message-ID and per invitation), and convening
/// works again within each failover's window. How long convening was refused and how much it slowed is printed, and
/// written to .local/cluster-failover.md for the README's table.
/// </summary>
public sealed partial class FailoverUnderLoadTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Convenes per second (JTAI_CLUSTER_RATE), steady, open loop.</summary>
    private static readonly double Rate = double.Parse(Environment.GetEnvironmentVariable("JTAI_CLUSTER_RATE") ?? "2", CultureInfo.InvariantCulture);

    // The timeline, in seconds from the first convene: a baseline, the broker node's loss, the database primary's loss
    // and the standby's promotion after a detection delay, a calm end; then the lost node starts again and rejoins
    // (outside both windows: its start takes the machine's two cores for a while).
    private const double BrokerFaultAt = 30, BrokerNodeBackAt = ArrivalsEnd, DatabaseFaultAt = 100, ArrivalsEnd = 150, WindowLength = 45;

    /// <summary>What a failover manager would take to notice the primary is gone before promoting the standby.</summary>
    private static readonly TimeSpan PromotionDelay = TimeSpan.FromSeconds(5);

    /// <summary>Each window's last seconds, in which every convene must succeed again.</summary>
    private const double RecoveredBy = 10;

    private const int MeetingsPerTeam = 10;

    private static readonly (string Folder, string Assembly, string Schema, string BrokerUser)[] Services =
    [
        ("SpocDirectory", "Jtai.Strategy.SpocDirectory", "spoc_directory", "spoc-directory"),
        ("Meetings", "Jtai.Strategy.Meetings", "meetings", "meetings"),
        ("Notifications", "Jtai.Strategy.Notifications", "notifications", "notifications"),
    ];

    private readonly string run = "c" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<ConveneAttempt> convenes = [];
    private readonly List<string> timeline = [];
    private readonly Dictionary<string, string> primaries = new(StringComparer.Ordinal);
    private DateTimeOffset arrivalsStart;

    [Fact]
    public async Task Convening_loses_and_duplicates_nothing_through_a_broker_node_and_a_database_failover()
    {
        _ = ClusterServers.Management; // fails at once, with how to run this suite, without a cluster
        await using var database = await PostgresDatabase.CreateAsync(TestServers.Postgres);
        await ServiceDatabaseRoles.ProvisionAsync(database);
        await using var broker = await RabbitMqVirtualHost.CreateAsync(TestServers.RabbitMq, ClusterServers.Management[0]);
        await broker.GrantServiceUsersAsync();
        Assert.True(new NpgsqlConnectionStringBuilder(database.ConnectionString).Host!.Contains(',', StringComparison.Ordinal), "the database connection names both servers");
        Assert.True(Jtai.Strategy.BuildingBlocks.Messaging.BrokerAddress.Parse(broker.ConnectionString).Nodes.Count == 3, "the broker connection names the three nodes");

        var processes = new List<ServiceProcess>();
        try
        {
            var stopwatch = Stopwatch.StartNew();
            foreach (var service in Services)
            {
                processes.Add(await ServiceProcess.StartAsync(service.Folder, service.Assembly, Settings(database, broker, service), TimeSpan.FromSeconds(180)));
            }

            Log($"started directory, meetings and notifications in {stopwatch.Elapsed.TotalSeconds:F0} s");
            var (directory, meetings) = (processes[0], processes[1]);

            // Quorum queues, each with a member on all three nodes.
            var queues = await ClusterServers.QuorumQueuesAsync(broker.Name);
            Assert.NotEmpty(queues);
            Assert.All(queues, q => Assert.True(q.Members.Count == 3, $"{q.Name} has members {string.Join(", ", q.Members)}"));

            var agencies = await ProvisionAsync(directory, meetings);
            var maildir = new Maildir(ClusterServers.Mailbox, to => to.EndsWith($"@{run}.example", StringComparison.OrdinalIgnoreCase));

            arrivalsStart = DateTimeOffset.UtcNow.AddSeconds(1);
            var arrivals = ArriveAsync(meetings);
            var brokerFault = await BrokerFailoverAsync(broker.Name);
            var nodeBack = StartBrokerNodeAgainAsync(brokerFault.Node);
            var databaseFault = await DatabaseFailoverAsync();
            await arrivals;
            await nodeBack;

            var outcome = await SettleAsync(database, maildir);
            var drained = await DrainedAsync(database);
            var report = Report(agencies, brokerFault, databaseFault, outcome, drained);
            output.WriteLine(report);
            await File.WriteAllTextAsync(Path.Combine(ServiceProcess.RepositoryRoot, ".local", "cluster-failover.md"), report);

            // Nothing accepted is lost, nothing is sent twice.
            Assert.True(outcome.AcceptedMissingFromDatabase.Count == 0, $"201 convenes whose meeting the promoted server lacks: {string.Join(", ", outcome.AcceptedMissingFromDatabase.Take(20))}");
            Assert.True(outcome.Lost.Count == 0, $"invitations without an e-mail: {string.Join(", ", outcome.Lost.Take(20))}");
            Assert.True(outcome.DuplicateMessageIds == 0, $"{outcome.DuplicateMessageIds} e-mail(s) repeat a Message-ID");
            Assert.True(outcome.DuplicateInvitations == 0, $"{outcome.DuplicateInvitations} invitation(s) e-mailed more than once");
            Assert.True(convenes.Count(c => c.Status == 201) > convenes.Count / 2, "most convenes were accepted");
            // The messages after the e-mail arrive too: the meetings service knows every invitation was delivered, and no
            // outbox holds a message it never published (a publish given up for want of a confirm is retried, not dropped).
            Assert.True(drained.Undelivered == 0 && drained.Unpublished == 0,
                $"{drained.Undelivered} invitation(s) the meetings service does not know as delivered; {drained.Unpublished} outbox message(s) never published ({drained.Detail})");

            // Convening works again before each window ends.
            foreach (var fault in new[] { brokerFault, databaseFault })
            {
                var late = Window(fault.At + WindowLength - RecoveredBy, fault.At + WindowLength);
                Assert.True(late.Count > 0 && late.All(c => c.Status == 201),
                    $"{fault.Name}: convening not working again {WindowLength - RecoveredBy} s after the fault: {string.Join(", ", late.Where(c => c.Status != 201).Select(c => $"{c.Status} {c.Error}").Take(5))}");
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                try
                {
                    await process.StopAsync(TimeSpan.FromSeconds(30));
                }
                catch (Exception ex) when (ex is OperationCanceledException or Xunit.Sdk.XunitException)
                {
                    output.WriteLine($"a service did not stop in time: {ex.Message}");
                }

                // What each service logged as an error or worse (distinct first lines and exception lines), to explain a failure.
                var errors = process.Output.Split('\n')
                    .Select((line, i) => (line, i))
                    .Where(x => x.line.StartsWith("fail:", StringComparison.Ordinal) || x.line.StartsWith("crit:", StringComparison.Ordinal) || x.line.Contains("Exception:", StringComparison.Ordinal))
                    .Select(x => x.line.Trim())
                    .Distinct()
                    .Take(25)
                    .ToList();
                // Publishes the relay gave up on for want of a confirm (Outbox:PublishTimeout), retried: a sign of a broker
                // connection gone silent rather than closed.
                var confirmTimeouts = process.Output.Split('\n').Count(line => line.Contains("did not confirm its publish", StringComparison.Ordinal));
                output.WriteLine($"{Services[processes.IndexOf(process)].Folder} (exit {process.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}): {errors.Count} distinct error line(s), {confirmTimeouts} publish confirm timeout(s)");
                foreach (var line in errors)
                {
                    output.WriteLine("  " + (line.Length > 300 ? line[..300] : line));
                }

                await process.DisposeAsync();
            }

            foreach (var line in timeline)
            {
                output.WriteLine(line);
            }
        }
    }

    private Dictionary<string, string?> Settings(PostgresDatabase database, RabbitMqVirtualHost broker, (string Folder, string Assembly, string Schema, string BrokerUser) service)
    {
        // The service's own database roles and broker user, each connection naming every server of the cluster.
        var values = ServiceDatabaseRoles.Settings(database, service.Schema);
        values["ConnectionStrings:RabbitMq"] = broker.ConnectionStringAs(service.BrokerUser);
        values["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey;
        values["Logging:LogLevel:Default"] = "Warning";
        values["Logging:LogLevel:MassTransit"] = "Warning";
        // A publish given up during the failover is retried within seconds, so the drain check below need not wait minutes.
        values["Outbox:MaxRetryDelay"] = "00:00:10";
        switch (service.Folder)
        {
            case "Meetings":
                // No reminder or escalation falls due during the run: only invitations are e-mailed.
                values["Meetings:ReminderAfter"] = "01:00:00";
                values["Meetings:EscalateAfter"] = "02:00:00";
                break;
            case "Notifications":
                values["Smtp:Host"] = "127.0.0.1";
                values["Smtp:Port"] = ClusterServers.SmtpPort;
                values["Smtp:UseStartTls"] = "false";
                values["Delivery:SendTimeout"] = "00:00:20";
                values["Delivery:SendingLease"] = "00:00:30";
                break;
        }

        return values;
    }

    // ---- provisioning through the APIs ----

    private static HttpClient Client(ServiceProcess service, string? token, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = service.Address, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static string Admin => DevelopmentTokens.Mint("cluster-admin", [JtaiRoles.Administrator], name: "Cluster Admin");

    private static string Manager(string team) => DevelopmentTokens.Mint("cluster-manager", [JtaiRoles.TeamManager], team: team, name: "Cluster Manager");

    private string TeamCode(int team) => $"FF-{run.ToUpperInvariant()}{team:D3}";

    private string WarmTeam => $"FF-{run.ToUpperInvariant()}W";

    private static int TotalConvenes => (int)Math.Round(Rate * ArrivalsEnd);

    private static object CaseFacts => ConveneAttempt.CaseFacts;

    private async Task<IReadOnlyList<string>> ProvisionAsync(ServiceProcess directory, ServiceProcess meetings)
    {
        var teams = (TotalConvenes + MeetingsPerTeam - 1) / MeetingsPerTeam;
        using var admin = Client(meetings, Admin);
        for (var t = -1; t < teams; t++)
        {
            var code = t < 0 ? WarmTeam : TeamCode(t);
            await EnsureAsync(admin.PostAsJsonAsync("/api/teams", new { code, name = $"Families First {code}", gpPilot = false }, Json));
            await EnsureAsync(admin.PostAsJsonAsync($"/api/teams/{code}/bridges", new { label = "Bridge 1", dialInNumber = $"0191 555 {t + 1:D4}", conferenceCode = $"{4400000 + t + 1}" }, Json));
        }

        using var manager = Client(meetings, Manager(WarmTeam));
        var suggested = await Eventually.GetAsync(async () =>
        {
            using var response = await manager.PostAsJsonAsync("/api/meetings/suggestions", CaseFacts, Json);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.EnumerateArray().Select(s => s.GetProperty("agencyCode").GetString()!).Distinct().Order(StringComparer.Ordinal).ToList();
        }, codes => codes.Count >= 3, TimeSpan.FromSeconds(60), "the suggestions name the minimum agencies");

        using var spocs = Client(directory, Admin);
        foreach (var agency in suggested)
        {
            var local = agency.ToLowerInvariant();
            primaries[agency] = $"primary.{local}@{run}.example";
            await EnsureAsync(spocs.PostAsJsonAsync($"/api/agencies/{agency}/spocs", new { fullName = $"Primary {agency}", secureEmail = primaries[agency], rank = 0 }, Json));
            await EnsureAsync(spocs.PostAsJsonAsync($"/api/agencies/{agency}/spocs", new { fullName = $"Deputy {agency}", secureEmail = $"deputy.{local}@{run}.example", rank = 1 }, Json));
        }

        // The meetings service's replica of the directory has them once a convene invites every agency's primary.
        var warm = 0;
        await Eventually.TrueAsync(async () =>
        {
            var record = new ConveneAttempt { Index = -1, Intended = DateTimeOffset.UtcNow };
            var start = DateTimeOffset.UtcNow.AddMinutes(40 + (30 * ++warm));
            await record.SendAsync(manager, Request($"LL-{run}-W{warm}", start, Manager(WarmTeam)));
            return record.Status == 201 && record.Invited.Count == suggested.Count;
        }, TimeSpan.FromSeconds(60), "a convene invites a SPOC of every suggested agency");
        Log($"provisioned {teams} teams, 2 SPOCs for each of {string.Join(", ", suggested)}");
        return suggested;
    }

    private static async Task EnsureAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // ---- the load ----

    /// <summary>Open loop: convene i is sent at start + i / rate whether or not earlier ones were answered.</summary>
    private async Task ArriveAsync(ServiceProcess meetings)
    {
        // A convene that waits longer than this counts as refused (what a user's browser would give up after).
        using var client = Client(meetings, null, TimeSpan.FromSeconds(30));
        var firstSlot = DateTimeOffset.UtcNow.AddMinutes(40);
        firstSlot = new DateTimeOffset(firstSlot.Year, firstSlot.Month, firstSlot.Day, firstSlot.Hour, firstSlot.Minute, 0, TimeSpan.Zero);
        var tokens = new Dictionary<int, string>();
        var inFlight = new List<Task>();
        for (var i = 0; i < TotalConvenes; i++)
        {
            var due = arrivalsStart + TimeSpan.FromSeconds(i / Rate);
            if (due - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var team = i / MeetingsPerTeam;
            if (!tokens.TryGetValue(team, out var token))
            {
                tokens[team] = token = Manager(TeamCode(team));
            }

            var record = new ConveneAttempt { Index = i, Intended = due };
            lock (convenes)
            {
                convenes.Add(record);
            }

            inFlight.Add(record.SendAsync(client, Request($"LL-{run}-{i:D5}", firstSlot.AddHours(i % MeetingsPerTeam), token)));
        }

        await Task.WhenAll(inFlight);
        Log($"{TotalConvenes} convenes sent at {Rate.ToString(CultureInfo.InvariantCulture)}/s; the last answered at +{(DateTimeOffset.UtcNow - arrivalsStart).TotalSeconds:F1} s");
    }

    private static HttpRequestMessage Request(string caseReference, DateTimeOffset start, string token) =>
        ConveneAttempt.Request(caseReference, start, 60, token, "failover suite");

    // ---- the faults ----

    private sealed record Fault(string Name, double At, string What, int Node = 0);

    private async Task DelayUntil(double secondsFromStart)
    {
        if (arrivalsStart.AddSeconds(secondsFromStart) - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    /// <summary>Kills the node that leads the quorum queue with the most messages published to it so far.</summary>
    private async Task<Fault> BrokerFailoverAsync(string virtualHost)
    {
        await DelayUntil(BrokerFaultAt);
        var busiest = (await ClusterServers.QuorumQueuesAsync(virtualHost)).OrderByDescending(q => q.Published).First();
        var node = ClusterServers.NodeNumber(busiest.Leader);
        var at = Now;
        Log($"killing RabbitMQ node {node} ({busiest.Leader}), leader of the busiest quorum queue {busiest.Name} ({busiest.Published} published)");
        await ClusterServers.KillBrokerNodeAsync(node);
        Log("node gone");
        var leader = await Eventually.GetAsync(
            async () => (await ClusterServers.QuorumQueuesAsync(virtualHost)).Single(q => q.Name == busiest.Name).Leader,
            l => l.Length > 0 && l != busiest.Leader, TimeSpan.FromSeconds(30), $"{busiest.Name} elects a leader on another node");
        Log($"{busiest.Name} led by {leader} now");
        return new Fault("RabbitMQ node leading the busiest quorum queue killed", at, $"node {node} led {busiest.Name}; {leader} took over", node);
    }

    /// <summary>After the broker's window, the lost node comes back and rejoins (its quorum queue members catch up).</summary>
    private async Task StartBrokerNodeAgainAsync(int node)
    {
        await DelayUntil(BrokerNodeBackAt);
        Log($"starting RabbitMQ node {node} again");
        await ClusterServers.StartBrokerNodeAsync(node);
        Log($"node {node} back in the cluster");
    }

    /// <summary>Stops the primary at once (as a crash), waits the detection delay, promotes the standby.</summary>
    private async Task<Fault> DatabaseFailoverAsync()
    {
        await DelayUntil(DatabaseFaultAt);
        var at = Now;
        Log("stopping the PostgreSQL primary (immediate)");
        await ClusterServers.StopPostgresPrimaryAsync();
        await Task.Delay(PromotionDelay);
        Log("promoting the standby");
        await ClusterServers.PromotePostgresStandbyAsync();
        var status = await ClusterServers.PostgresStatusAsync();
        Log("promoted: " + string.Join(" | ", status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Regex.Replace(l, @"\s+", " "))));
        Assert.Matches(@"pg-standby\s+up\s+\S+\s+now primary", status);
        return new Fault("PostgreSQL primary stopped, standby promoted", at, $"standby promoted {PromotionDelay.TotalSeconds:F0} s after the primary stopped");
    }

    // ---- the outcome ----

    private sealed record Outcome(List<string> AcceptedMissingFromDatabase, List<string> Lost, int DuplicateMessageIds, int DuplicateInvitations, int Expected, int Received, string WaitEnded);

    [GeneratedRegex(@"\b(SM-\d{4}-\d+)\b")]
    private static partial Regex MeetingReference();

    /// <summary>Waits while e-mails still arrive (late is not lost), then counts what is missing and what came twice.</summary>
    private async Task<Outcome> SettleAsync(PostgresDatabase database, Maildir maildir)
    {
        var accepted = convenes.Where(c => c.Status == 201).ToList();
        var expected = new HashSet<(string Reference, string Recipient)>();
        foreach (var convene in accepted)
        {
            foreach (var (agency, _) in convene.Invited)
            {
                expected.Add((convene.Reference!, primaries[agency]));
            }
        }

        // A convene whose answer was lost to a timeout may still have been committed: its invitations are expected too.
        var issued = await IssuedAsync(database);
        expected.UnionWith(issued.Select(i => (i.Reference, i.Recipient)).Where(i => i.Recipient.EndsWith($"@{run}.example", StringComparison.Ordinal)));
        var missingFromDatabase = accepted.Select(c => c.Reference!).Except(issued.Select(i => i.Reference)).ToList();

        IReadOnlyList<SunkEmail> emails = [];
        var lastCount = -1;
        var lastProgress = DateTimeOffset.UtcNow;
        var hardLimit = DateTimeOffset.UtcNow.AddMinutes(4);
        var waitEnded = "every expected e-mail arrived";
        while (true)
        {
            emails = await maildir.EmailsAsync();
            var got = Invitations(emails).Select(e => (e.Reference, e.Email.Recipient)).ToHashSet();
            if (expected.All(got.Contains))
            {
                break;
            }

            if (emails.Count != lastCount)
            {
                (lastCount, lastProgress) = (emails.Count, DateTimeOffset.UtcNow);
            }
            else if (DateTimeOffset.UtcNow - lastProgress > TimeSpan.FromSeconds(60))
            {
                waitEnded = "no new e-mail for 60 s";
                break;
            }

            if (DateTimeOffset.UtcNow > hardLimit)
            {
                waitEnded = "4 minutes after the arrivals";
                break;
            }

            await Task.Delay(1000);
        }

        // A resend would come after the sending lease (30 s): give it the time to show.
        await Task.Delay(TimeSpan.FromSeconds(35));
        emails = await maildir.EmailsAsync();
        var invitations = Invitations(emails).ToList();
        var received = invitations.Select(e => (e.Reference, e.Email.Recipient)).ToHashSet();
        var lost = expected.Where(e => !received.Contains(e)).Select(e => $"{e.Reference}/{e.Recipient}").ToList();
        var duplicateIds = emails.GroupBy(e => e.MessageId).Sum(g => g.Count() - 1);
        var duplicateInvitations = invitations.GroupBy(e => (e.Reference, e.Email.Recipient)).Sum(g => g.Count() - 1);
        Log($"{emails.Count} e-mails at the sink; {waitEnded}");
        return new Outcome(missingFromDatabase, lost, duplicateIds, duplicateInvitations, expected.Count, received.Count(expected.Contains), waitEnded);
    }

    private sealed record Drained(int Undelivered, int Unpublished, string Detail);

    /// <summary>
    /// Waits (at most 3 minutes: the services' outbox retry delay is capped at 10 s here) until the meetings service holds
    /// every invitation e-mailed as delivered and every service's outbox is empty of unpublished messages.
    /// </summary>
    private async Task<Drained> DrainedAsync(PostgresDatabase database)
    {
        // Unroutable rows wait, by design, for a consumer's queue: the metrics and action plan services do not run here.
        var outboxes = string.Join(" UNION ALL ", Services.Select(s =>
            $"SELECT '{s.Schema}' AS schema, count(*) AS n FROM {s.Schema}.outbox_message WHERE dispatched_at IS NULL " +
            $"AND (last_error IS NULL OR last_error NOT LIKE '{OutboxFailure.UnroutablePrefix}%')"));
        var until = DateTimeOffset.UtcNow.AddMinutes(3);
        while (true)
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var undeliveredQuery = new NpgsqlCommand(
                "SELECT count(*) FROM meetings.invitation WHERE delivery_state <> 'Delivered' AND lower(recipient_email) LIKE @run", connection);
            undeliveredQuery.Parameters.AddWithValue("run", $"%@{run}.example");
            var undelivered = (int)(long)(await undeliveredQuery.ExecuteScalarAsync())!;
            var pending = new List<(string Schema, long Count)>();
            await using (var outboxQuery = new NpgsqlCommand(outboxes, connection))
            await using (var reader = await outboxQuery.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    if (reader.GetInt64(1) > 0)
                    {
                        pending.Add((reader.GetString(0), reader.GetInt64(1)));
                    }
                }
            }

            var unpublished = (int)pending.Sum(p => p.Count);
            if ((undelivered == 0 && unpublished == 0) || DateTimeOffset.UtcNow > until)
            {
                Log($"drained: {undelivered} invitation(s) not known as delivered, {unpublished} outbox message(s) unpublished");
                return new Drained(undelivered, unpublished, pending.Count == 0 ? "every outbox empty" : string.Join(", ", pending.Select(p => $"{p.Schema}: {p.Count}")));
            }

            await Task.Delay(2000);
        }
    }

    private static IEnumerable<(string Reference, SunkEmail Email)> Invitations(IEnumerable<SunkEmail> emails) =>
        emails.Where(e => e.Subject.EndsWith("invitation", StringComparison.Ordinal))
            .Select(e => (Match: MeetingReference().Match(e.Subject), Email: e))
            .Where(x => x.Match.Success)
            .Select(x => (x.Match.Groups[1].Value, x.Email));

    private static async Task<List<(string Reference, string Recipient)>> IssuedAsync(PostgresDatabase database)
    {
        var issued = new List<(string, string)>();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT m.reference, lower(i.recipient_email) FROM meetings.invitation i JOIN meetings.strategy_meeting m ON m.id = i.meeting_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            issued.Add((reader.GetString(0), reader.GetString(1)));
        }

        return issued;
    }

    private List<ConveneAttempt> Window(double from, double to)
    {
        lock (convenes)
        {
            return [.. convenes.Where(c => c.Index >= 0 && c.Intended >= arrivalsStart.AddSeconds(from) && c.Intended < arrivalsStart.AddSeconds(to))];
        }
    }

    private string Report(IReadOnlyList<string> agencies, Fault brokerFault, Fault databaseFault, Outcome outcome, Drained drained)
    {
        var baseline = Window(0, BrokerFaultAt);
        var baseP99 = Percentile(baseline.Where(c => c.Status == 201).Select(Latency), 0.99);
        var o = new StringBuilder();
        o.AppendLine(CultureInfo.InvariantCulture, $"## Failover under load ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)");
        o.AppendLine();
        o.AppendLine(CultureInfo.InvariantCulture, $"{convenes.Count(c => c.Index >= 0)} convenes at {Rate.ToString(CultureInfo.InvariantCulture)}/s over {ArrivalsEnd:F0} s, {agencies.Count} invitations each; directory, meetings and notifications one process each; 3 RabbitMQ nodes, PostgreSQL primary + synchronous standby, all on this machine. Baseline (first {BrokerFaultAt:F0} s): {baseline.Count(c => c.Status == 201)}/{baseline.Count} accepted, p99 {baseP99:F0} ms. Each failover's window: {WindowLength:F0} s from the fault.");
        o.AppendLine();
        o.AppendLine("| failover | convenes refused (non-2xx or no answer in 30 s) | convening refused for | p99 during (baseline) · slowest | lost | duplicated |");
        o.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var fault in new[] { brokerFault, databaseFault })
        {
            var window = Window(fault.At, fault.At + WindowLength);
            var refused = window.Where(c => c.Status != 201).ToList();
            var refusedFor = refused.Count == 0 ? "0 s" : $"{(refused.Max(c => c.Completed) - refused.Min(c => c.Sent)).TotalSeconds:F1} s (from +{(refused.Min(c => c.Sent) - arrivalsStart).TotalSeconds - fault.At:F1} s after the fault)";
            var ok = window.Where(c => c.Status == 201).Select(Latency).ToList();
            var p99 = Percentile(ok, 0.99);
            o.AppendLine(CultureInfo.InvariantCulture, $"| {fault.Name} ({fault.What}) | {refused.Count} of {window.Count} ({string.Join(", ", refused.GroupBy(c => c.Status == 0 ? "no answer" : c.Status.ToString(CultureInfo.InvariantCulture)).Select(g => $"{g.Key}: {g.Count()}"))}) | {refusedFor} | {p99:F0} ms ({baseP99:F0} ms) · {(ok.Count == 0 ? 0 : ok.Max()):F0} ms | see below | see below |");
        }

        o.AppendLine();
        o.AppendLine(CultureInfo.InvariantCulture, $"Whole run: invitation e-mails expected {outcome.Expected}, received {outcome.Received}; lost {outcome.Lost.Count}; e-mails repeating a Message-ID {outcome.DuplicateMessageIds}; invitations e-mailed twice {outcome.DuplicateInvitations}; 201 convenes missing on the promoted server {outcome.AcceptedMissingFromDatabase.Count} ({outcome.WaitEnded}). Afterwards: invitations the meetings service does not know as delivered {drained.Undelivered}; outbox messages never published {drained.Unpublished} ({drained.Detail}).");
        return o.ToString();
    }

    private static double Latency(ConveneAttempt c) => (c.Completed - c.Sent).TotalMilliseconds;

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private double Now => (DateTimeOffset.UtcNow - arrivalsStart).TotalSeconds;

    private void Log(string what)
    {
        lock (timeline)
        {
            timeline.Add(arrivalsStart == default ? $"[{DateTimeOffset.UtcNow:HH:mm:ss}] {what}" : $"[+{Now:F1} s] {what}");
        }
    }
}
