using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Testing;
using Jtai.Strategy.Testing.Fuzzing;

namespace Jtai.Strategy.Benchmarks.Fuzz;

/// <summary>
/// The full fuzz run (SECURITY.md): the five services as deployed (processes behind Kestrel, one database and one
/// virtual host), each sent its share of <c>--count</c> malformed requests generated from its own OpenAPI document with
/// <c>--seed</c>. Prints a table per service and every finding; exits 1 if any request got a 5xx or an error that
/// is not a problem document.
/// </summary>
internal sealed class FuzzRun(PostgresDatabase database, RabbitMqVirtualHost broker, TextWriter output)
{
    private static readonly (string Folder, string Assembly)[] Services =
    [
        ("SpocDirectory", "Jtai.Strategy.SpocDirectory"),
        ("Meetings", "Jtai.Strategy.Meetings"),
        ("Notifications", "Jtai.Strategy.Notifications"),
        ("Metrics", "Jtai.Strategy.Metrics"),
        ("ActionPlan", "Jtai.Strategy.ActionPlan"),
    ];

    public async Task<int> RunAsync(int count, int seed)
    {
        var stopwatch = Stopwatch.StartNew();
        var processes = await Task.WhenAll(Services.Select(s => ServiceProcess.StartAsync(s.Folder, s.Assembly, SettingsFor(s.Folder), TimeSpan.FromSeconds(180))));
        var findings = 0;
        try
        {
            output.WriteLine($"fuzz: {count} requests, seed {seed}, {Services.Length} services started in {stopwatch.Elapsed.TotalSeconds:F0} s");
            output.WriteLine("| service | requests | 5xx | errors without a problem document | statuses |");
            output.WriteLine("| --- | --- | --- | --- | --- |");
            var total = new FuzzReport();
            for (var i = 0; i < Services.Length; i++)
            {
                var share = (count / Services.Length) + (i < count % Services.Length ? 1 : 0);
                using var http = new HttpClient { BaseAddress = processes[i].Address, Timeout = TimeSpan.FromSeconds(60) };
                var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject();
                var report = new FuzzReport();
                await new OpenApiFuzzer(Services[i].Folder, document, () => new HttpClient { BaseAddress = processes[i].Address, Timeout = TimeSpan.FromSeconds(60) }, seed + i)
                    .RunAsync(share, report);
                output.WriteLine($"| {Services[i].Folder} | {report.Requests} | {report.ServerErrors} | {report.NotProblemDocuments} | {string.Join(", ", report.ByStatus.Select(s => $"{s.Key}×{s.Value}"))} |");
                findings += report.ServerErrors + report.NotProblemDocuments;
                foreach (var finding in report.Findings)
                {
                    output.WriteLine("  " + finding);
                }

                foreach (var (status, n) in report.ByStatus)
                {
                    total.ByStatus[status] = total.ByStatus.GetValueOrDefault(status) + n;
                }
            }

            output.WriteLine($"| all | {count} | — | {findings} findings | {string.Join(", ", total.ByStatus.Select(s => $"{s.Key}×{s.Value}"))} |");
            output.WriteLine($"fuzz: done in {stopwatch.Elapsed.TotalSeconds:F0} s, {findings} findings");
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }

        return findings == 0 ? 0 : 1;
    }

    private Dictionary<string, string?> SettingsFor(string service)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DevelopmentSigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Warning",
        };
        if (service == "Meetings")
        {
            values["Meetings:PublicBaseUrl"] = "https://meetings.test/";
            values["Meetings:ResponseLinkKey"] = "FUZZ-ONLY-meetings-response-link-key-0123456789abcdef";
        }

        return values;
    }

    /// <summary><c>--count N --seed S</c>; defaults 5,000 and 1.</summary>
    public static (int Count, int Seed) Parse(IReadOnlyList<string> args)
    {
        int Value(string name, int fallback)
        {
            var at = args.ToList().IndexOf(name);
            return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return (Value("--count", 5_000), Value("--seed", 1));
    }
}
