using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Contracts.Metrics;
using Jtai.Strategy.Metrics.Domain;
using Jtai.Strategy.Metrics.Infrastructure;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jtai.Strategy.Metrics.Tests;

/// <summary>The metrics service on its own database and virtual host of the real servers, with the test's rules.</summary>
public static class MetricsHost
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The rules the tests expect breaches of (independent of appsettings.json).</summary>
    public static List<ExceptionRule> TestRules() =>
    [
        new() { Key = "agency-attendance-below-80", MetricKey = MetricKeys.Attended, Scope = ExceptionRule.PerAgency, Comparison = "lt", Threshold = 0.8 },
        new() { Key = "circulation-on-time-below-95", MetricKey = MetricKeys.CirculatedOnTime, Scope = ExceptionRule.Overall, Comparison = "lt", Threshold = 0.95 },
        new() { Key = "decision-to-meeting-median-over-24h", MetricKey = MetricKeys.DecisionToMeeting, Statistic = "median", Scope = ExceptionRule.Overall, Comparison = "gt", Threshold = 1440 },
    ];

    public static async Task<ServiceHost<MetricsService>> StartAsync(
        PostgresDatabase database, RabbitMqVirtualHost broker, TimeProvider? clock = null, Action<MetricsOptions>? configure = null)
    {
        var host = new ServiceHost<MetricsService>(
            database,
            broker,
            new Dictionary<string, string?> { ["Deadlines:PollInterval"] = "00:00:00.100", ["Logging:LogLevel:Default"] = "Warning" },
            services =>
            {
                if (clock is not null)
                {
                    services.AddSingleton(clock);
                }

                services.PostConfigure<MetricsOptions>(o =>
                {
                    o.ExceptionRules = TestRules();
                    o.Publishing.PeriodKinds = [];
                    configure?.Invoke(o);
                });
            });
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Publishes events onto the real broker exactly as the producing services' outbox relays do: one message id each.</summary>
    public static async Task PublishAsync(this ServiceHost<MetricsService> host, IEnumerable<ScriptedEvent> events)
    {
        var bus = host.Services.GetRequiredService<IBus>();
        foreach (var chunk in events.Chunk(32))
        {
            await Task.WhenAll(chunk.Select(e => bus.Publish(e.Message, e.Message.GetType(), context => context.MessageId = e.MessageId)));
        }
    }

    public static async Task<MetricsReport> FiguresAsync(this ServiceHost<MetricsService> host, string query)
    {
        using var client = host.ClientAs(JtaiRoles.Masdg);
        var response = await client.GetAsync("/api/metrics/figures?" + query);
        Assert.True(response.IsSuccessStatusCode, $"GET figures?{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<MetricsReport>(Json))!;
    }

    public static Task<long> LoggedEventsAsync(this PostgresDatabase database) =>
        database.ScalarAsync<long>("SELECT count(*) FROM metrics.event_log")!;

    /// <summary>Every projected row as text, zero cells left out: two projections are equal when their snapshots are.</summary>
    public static async Task<string> ProjectionSnapshotAsync(this PostgresDatabase database)
    {
        var snapshot = new StringBuilder();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "SELECT day, metric, agency_code, team_code, numerator, denominator FROM metrics.rollup_day WHERE (numerator, denominator) <> (0, 0) ORDER BY 1, 2, 3, 4",
            "SELECT month, metric, agency_code, team_code, numerator, denominator FROM metrics.rollup_month WHERE (numerator, denominator) <> (0, 0) ORDER BY 1, 2, 3, 4",
            "SELECT meeting_id, team_code, meeting_date, held, decision_to_meeting_min, incident_to_meeting_min, circulation_deadline_date, overdue_open FROM metrics.meeting_fact ORDER BY 1",
            "SELECT decision_id, team_code, reason_code, decided_on FROM metrics.decision_not_to_convene ORDER BY 1",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    snapshot.Append(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                snapshot.AppendLine();
            }

            snapshot.AppendLine("--");
        }

        return snapshot.ToString();
    }
}

/// <summary>Counts every message the bus's consumers finished, duplicates included, and any faults.</summary>
public sealed class ConsumeCounter : IConsumeObserver
{
    private int consumed;
    private int faulted;

    public int Consumed => Volatile.Read(ref consumed);

    public int Faulted => Volatile.Read(ref faulted);

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        Interlocked.Increment(ref consumed);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class
    {
        Interlocked.Increment(ref faulted);
        return Task.CompletedTask;
    }
}

/// <summary>Receives what the service publishes, on a temporary queue of the test's virtual host.</summary>
public sealed class PublishedMessages<T>
    where T : class
{
    private readonly List<T> received = [];

    public IReadOnlyList<T> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    public static async Task<PublishedMessages<T>> ListenAsync(IServiceProvider services, string queue)
    {
        var listener = new PublishedMessages<T>();
        var bus = services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint(queue, e => e.Handler<T>(context =>
        {
            lock (listener.received)
            {
                listener.received.Add(context.Message);
            }

            return Task.CompletedTask;
        }));
        await handle.Ready;
        return listener;
    }
}
