using System.Diagnostics;
using System.Globalization;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Metrics.Benchmark;

/// <summary>
/// <c>--web</c>: the MASDG's dashboard page (<c>/masdg</c>) timed through the web service, on the history the bulk path
/// loaded. The metrics service runs as its own process on that database, the directory and meetings services (whose
/// lists fill the page's filters) on fresh databases, the web service on <c>JTAI_WEB_TEST_URL</c> (the address the
/// development OIDC provider knows for it); the MASDG signs in through that provider over HTTP, and each run is one GET
/// of the whole page, read to its last byte, as a browser's request would be answered. Not a timed test: it reports.
/// </summary>
internal static class WebDashboard
{
    public static async Task RunAsync(PostgresDatabase metricsDatabase, RabbitMqVirtualHost broker, int runs)
    {
        var authority = Environment.GetEnvironmentVariable("JTAI_OIDC_AUTHORITY") ?? "http://127.0.0.1:27443/";
        var webAddress = new Uri(Environment.GetEnvironmentVariable("JTAI_WEB_TEST_URL") ?? "http://127.0.0.1:27444/");
        await using var directoryDatabase = await PostgresDatabase.CreateAsync();
        await using var meetingsDatabase = await PostgresDatabase.CreateAsync();
        Dictionary<string, string?> Settings(PostgresDatabase database) => new()
        {
            // The test server's superuser owns these databases' schemas: each service migrates at start-up.
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Auth:Authority"] = authority,
            ["Logging:LogLevel:Default"] = "Warning",
        };

        var meetings = Settings(meetingsDatabase);
        meetings["Meetings:PublicBaseUrl"] = meetings["Meetings:AnswerPageBaseUrl"] = meetings["Meetings:WebBaseUrl"] = webAddress.ToString();
        var ready = TimeSpan.FromSeconds(180);
        await using var metrics = await ServiceProcess.StartAsync("Metrics", "Jtai.Strategy.Metrics", Settings(metricsDatabase), ready);
        await using var directory = await ServiceProcess.StartAsync("SpocDirectory", "Jtai.Strategy.SpocDirectory", Settings(directoryDatabase), ready);
        await using var meetingsService = await ServiceProcess.StartAsync("Meetings", "Jtai.Strategy.Meetings", meetings, ready);
        await using var web = await ServiceProcess.StartAsync("Web", "Jtai.Strategy.Web", new Dictionary<string, string?>
        {
            ["Web:Oidc:Authority"] = authority,
            ["Web:Oidc:ClientSecret"] = "DEVELOPMENT-ONLY-jtai-web-client-secret",
            ["Web:Apis:Meetings"] = meetingsService.Address.ToString(),
            ["Web:Apis:Directory"] = directory.Address.ToString(),
            ["Web:Apis:Metrics"] = metrics.Address.ToString(),
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            ["Web:DataProtectionKeysDirectory"] = Path.Combine(Path.GetTempPath(), "jtai-web-benchmark-keys-" + Guid.NewGuid().ToString("N")[..8]),
            ["Logging:LogLevel:Default"] = "Warning",
        }, webAddress, ready);

        using var masdg = await WebSignIn.OverHttpAsync(webAddress, "masdg", "dev-password");
        Console.WriteLine($"web dashboard: signed in as the MASDG; load average before: {LoadAverage()}");

        // The last year of the history: four months and two quarters, each overall, for the busiest agency and for a team.
        string[] periods = ["2025-03", "2025-06", "2025-09", "2025-12", "2025-Q2", "2025-Q4"];
        (string Name, string Query)[] scopes = [("overall", ""), ("agency DURHAM-POLICE", "&agency=DURHAM-POLICE"), ("team FF-EASINGTON", "&team=FF-EASINGTON")];
        var all = new List<double>();
        foreach (var (name, query) in scopes)
        {
            var timings = new List<double>();
            foreach (var period in periods)
            {
                var path = $"masdg?period={period}{query}";
                await GetPageAsync(masdg, path); // warm: the first request of each view
                for (var i = 0; i < runs; i++)
                {
                    var stopwatch = Stopwatch.StartNew();
                    await GetPageAsync(masdg, path);
                    timings.Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }

            Timings.Report($"web dashboard /masdg, 6 periods, {name}", timings);
            all.AddRange(timings);
        }

        Timings.Report("web dashboard /masdg, all of the above", all);
        Console.WriteLine($"web dashboard: load average after: {LoadAverage()}");
    }

    private static async Task GetPageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !body.Contains("id=\"figures\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"/{path} answered {(int)response.StatusCode} without the figures:\n{body[..Math.Min(body.Length, 2000)]}");
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}

/// <summary>The benchmark's one way of stating timings: the runs' p50, p90, p99 and maximum.</summary>
internal static class Timings
{
    public static void Report(string name, List<double> timings)
    {
        timings.Sort();
        double P(double p) => timings[Math.Min(timings.Count - 1, (int)Math.Ceiling(p * timings.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: runs {timings.Count}, p50 {P(0.5):0.00} ms, p90 {P(0.9):0.00} ms, p99 {P(0.99):0.00} ms, max {timings[^1]:0.00} ms"));
    }
}
