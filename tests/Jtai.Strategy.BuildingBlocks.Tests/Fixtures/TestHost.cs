using Jtai.Strategy.BuildingBlocks.Deadlines;
using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Outbox;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jtai.Strategy.BuildingBlocks.Tests.Fixtures;

/// <summary>A worker host wired exactly as a service is: TestDbContext with outbox relay, inbox consumers, the real bus.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string EndpointPrefix = "bb-test";

    private readonly IHost host;

    private TestHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public static async Task<TestHost> StartAsync(PostgresDatabase database, RabbitMqVirtualHost broker, Action<IServiceCollection>? configure = null, TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = broker.ConnectionString,
            // This generic host runs as Production: its broker user is the fixture's (see PublisherIdentity).
            [$"Messaging:BrokerUsers:{EndpointPrefix}"] = BrokerAddress.Parse(broker.ConnectionString).Username,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:RetryDelay"] = "00:00:00.200",
            ["Deadlines:PollInterval"] = "00:00:00.100",
            ["Deadlines:RetryDelay"] = "00:00:00.200",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.AddServiceDatabase<TestDbContext>(TestDbContext.Migrations);
        builder.AddMessaging(EndpointPrefix, typeof(WidgetMade).Assembly, x =>
        {
            x.AddConsumer<WidgetMadeConsumer>();
            x.AddConsumer<PoisonConsumer>();
            x.AddConsumer<WidgetCheckedConsumer>();
            x.AddConsumer<FlakyConsumer>();
            x.AddConsumer<WidgetAuditedConsumer>();
        });
        builder.AddDeadlines<TestDbContext>(d => d.Handle<WidgetDeadlineHandler>());
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return new TestHost(host);
    }

    /// <summary>Runs a unit of work in its own scope, as a request or consumer would.</summary>
    public async Task InScopeAsync(Func<TestDbContext, Task> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}

/// <summary>Counts every delivery of a message type to a consumer, duplicates included.</summary>
public sealed class DeliveryCounter<T> : IConsumeMessageObserver<T>
    where T : class
{
    private int delivered;

    public int Delivered => Volatile.Read(ref delivered);

    public Task PreConsume(ConsumeContext<T> context) => Task.CompletedTask;

    public Task PostConsume(ConsumeContext<T> context)
    {
        Interlocked.Increment(ref delivered);
        return Task.CompletedTask;
    }

    public Task ConsumeFault(ConsumeContext<T> context, Exception exception) => Task.CompletedTask;
}

/// <summary>
/// Simulates the relay process dying after the broker confirmed a batch but before the batch was
/// marked dispatched: the exception aborts the relay's transaction exactly as a killed process would.
/// </summary>
public sealed class CrashAfterPublishOnce : IOutboxRelayObserver
{
    private int crashed;

    public bool Crashed => Volatile.Read(ref crashed) == 1;

    public Task PublishedAsync(IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count > 0 && Interlocked.Exchange(ref crashed, 1) == 0)
        {
            throw new InvalidOperationException("Simulated crash between publish and mark-dispatched");
        }

        return Task.CompletedTask;
    }
}
