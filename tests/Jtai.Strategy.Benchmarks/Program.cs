using System.Diagnostics;
using Jtai.Strategy.Benchmarks;
using Jtai.Strategy.Benchmarks.Fuzz;
using Jtai.Strategy.Benchmarks.Load;
using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: dotnet run -c Release --project tests/Jtai.Strategy.Benchmarks -- deadlines [count] [instances]
//        dotnet run -c Release --project tests/Jtai.Strategy.Benchmarks -- outbox [count]
//        dotnet run -c Release --project tests/Jtai.Strategy.Benchmarks -- load [--rate 5] [--duration 60] [--instances 1|2] [--chaos] [--warmup S] [--no-reminders]
//        dotnet run -c Release --project tests/Jtai.Strategy.Benchmarks -- fuzz [--count 5000] [--seed 1]
// Needs the real servers (scripts/infra.sh up). Each run uses a fresh database and virtual host; the load
// command uses one for the services and another for the raw reference it runs at the end.
var what = args.ElementAtOrDefault(0) ?? "deadlines";
MessageTypeRegistry.Known.Include(typeof(Tick).Assembly);
await using var database = await PostgresDatabase.CreateAsync();
await using var broker = await RabbitMqVirtualHost.CreateAsync();

switch (what)
{
    case "deadlines":
        await DeadlineLateness(int.Parse(args.ElementAtOrDefault(1) ?? "10000"), int.Parse(args.ElementAtOrDefault(2) ?? "1"));
        break;
    case "outbox":
        await OutboxThroughput(int.Parse(args.ElementAtOrDefault(1) ?? "20000"));
        break;
    case "load":
        var load = LoadSettings.Parse(args.Skip(1).ToList());
        var delivered = await new LoadBenchmark(load, Console.Out).RunAsync();
        // The raw reference in the same run: the minimal state + outbox → relay → publish → consume loop on the same
        // servers, no business logic. At a fixed arrival rate delivered/s follows the offered rate, so the ratio says
        // how much of the raw pipeline's capacity the system needed for it, not the system's own capacity.
        var raw = await RawReference(TimeSpan.FromSeconds(10));
        Console.WriteLine($"| raw reference (state + outbox → publish → consume, 8 writers, 10 s) | {raw:F1} events/s |");
        Console.WriteLine($"| delivered/s ÷ raw | {delivered:F1} ÷ {raw:F1} = {delivered / raw:F3} |");
        break;
    case "fuzz":
        var (count, seed) = FuzzRun.Parse(args.Skip(1).ToList());
        return await new FuzzRun(database, broker, Console.Out).RunAsync(count, seed);
    default:
        Console.Error.WriteLine("deadlines [count] [instances] | outbox [count] | load [--rate R] [--duration S] [--instances N] [--chaos] [--warmup S] [--no-reminders] | fuzz [--count N] [--seed S]");
        return 2;
}

return 0;

async Task<IHost> StartHost()
{
    // Development: the reference connects as the virtual host's own user, not as a per-service broker user.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = database.ConnectionString,
        ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
    });
    builder.Services.AddSingleton(TimeProvider.System);
    builder.AddServiceDatabase<BenchDbContext>(BenchDbContext.Migrations);
    builder.AddDeadlines<BenchDbContext>(d => d.Handle<TickDeadlineHandler>());
    builder.AddMessaging("bench", typeof(Tick).Assembly, x => x.AddConsumer<TickConsumer>());
    var host = builder.Build();
    await host.StartAsync();
    await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    return host;
}

// All deadlines fall due within one minute that starts 20 s from now; lateness = fired_at - due_at,
// both on the real clock. The handler writes an outbox message, as the circulation handlers do.
async Task DeadlineLateness(int count, int instances)
{
    var hosts = new List<IHost>();
    for (var i = 0; i < instances; i++)
    {
        hosts.Add(await StartHost());
    }

    var minuteStart = DateTimeOffset.UtcNow.AddSeconds(20);
    await using (var scope = hosts[0].Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        for (var i = 0; i < count; i++)
        {
            db.ScheduleDeadline(TickDeadlineHandler.DeadlineKind, Guid.NewGuid(), minuteStart.AddMilliseconds(60_000.0 * i / count));
        }

        await db.SaveChangesAsync();
    }

    Console.WriteLine($"{count} deadlines due between {minuteStart:HH:mm:ss} and {minuteStart.AddMinutes(1):HH:mm:ss} UTC; {instances} instance(s) polling");
    await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM bench.deadline WHERE fired_at IS NOT NULL") == count, TimeSpan.FromMinutes(5));
    await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM bench.received") == count, TimeSpan.FromMinutes(5), "every fired deadline's message is consumed");

    Report("lateness (fired_at - due_at)", "SELECT extract(epoch FROM fired_at - due_at) * 1000 FROM bench.deadline");
    Report("due → consumed downstream", "SELECT extract(epoch FROM r.received_at - d.due_at) * 1000 FROM bench.received r JOIN bench.deadline d ON d.subject_id = r.subject_id");
    foreach (var host in hosts)
    {
        await host.StopAsync();
        host.Dispose();
    }
}

// Writes `count` state-change transactions each with one outbox row from 8 writers, and measures
// write → relay → publish (confirmed) → consume (inbox) throughput and latency.
async Task OutboxThroughput(int count)
{
    using var host = await StartHost();
    var writers = 8;
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        for (var i = w; i < count; i += writers)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
            db.AddOutboxMessage(new Tick(Guid.NewGuid(), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }
    }));
    var written = stopwatch.Elapsed;
    await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM bench.received") == count, TimeSpan.FromMinutes(10));
    var total = stopwatch.Elapsed;
    var rate = count / total.TotalSeconds;
    Console.WriteLine($"{count} events: written in {written.TotalSeconds:F1} s ({count / written.TotalSeconds:F0} tx/s), consumed by {total.TotalSeconds:F1} s");
    Console.WriteLine($"end-to-end throughput {rate:F0} events/s = {rate / 1400:F2} × this machine's measured EF Core outbox pipeline (~1,400 events/s)");
    Report("write → dispatched (relay, confirmed)", "SELECT extract(epoch FROM dispatched_at - created_at) * 1000 FROM bench.outbox_message");
    Report("write → consumed", "SELECT extract(epoch FROM received_at - created_at) * 1000 FROM bench.received");
    var relaySeconds = await database.ScalarAsync<double>("SELECT extract(epoch FROM max(dispatched_at) - min(dispatched_at)) FROM bench.outbox_message");
    Console.WriteLine($"relay alone: {count / relaySeconds:F0} events/s published and confirmed");
    await host.StopAsync();
}

// Writes state + outbox rows from 8 writers for `duration`, then waits until all are consumed: events per second end to end.
async Task<double> RawReference(TimeSpan duration)
{
    using var host = await StartHost();
    var stopwatch = Stopwatch.StartNew();
    var written = 0;
    await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
    {
        while (stopwatch.Elapsed < duration)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
            db.AddOutboxMessage(new Tick(Guid.NewGuid(), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            Interlocked.Increment(ref written);
        }
    }));
    await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM bench.received") == written, TimeSpan.FromMinutes(5));
    var rate = written / stopwatch.Elapsed.TotalSeconds;
    await host.StopAsync();
    return rate;
}

void Report(string label, string sql)
{
    var values = new List<double>();
    using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
    {
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(Convert.ToDouble(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    values.Sort();
    double P(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    Console.WriteLine($"{label}: n={values.Count} p50={P(0.50):F0} ms p90={P(0.90):F0} ms p99={P(0.99):F0} ms max={values[^1]:F0} ms");
}
