using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// What every test across services starts from: a virtual host of its own on the real broker, the SMTP sink, an
/// observer of the events on the bus, and fresh databases on request. Everything the test owns (those, and the hosts
/// it hands to <see cref="Own{T}"/>) is disposed after it in the reverse order it was made, so a host stops before
/// the database and broker it uses go.
/// </summary>
public abstract class ServicesOnOneBroker : IAsyncLifetime
{
    private readonly Stack<IAsyncDisposable> owned = new();

    protected RabbitMqVirtualHost Broker { get; private set; } = null!;

    protected SmtpSink Smtp { get; private set; } = null!;

    /// <summary>Hears what the services publish (deliveries, failures, notices) as the meetings service would.</summary>
    protected MeetingsSide Observer { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Broker = Own(await RabbitMqVirtualHost.CreateAsync());
        Smtp = Own(await SmtpSink.StartAsync());
        Observer = Own(await MeetingsSide.StartAsync(Broker));
    }

    /// <summary>A fresh database (on <paramref name="server"/>, or the suite's PostgreSQL), dropped after the test.</summary>
    protected async Task<PostgresDatabase> NewDatabaseAsync(string? server = null) =>
        Own(server is null ? await PostgresDatabase.CreateAsync() : await PostgresDatabase.CreateAsync(server));

    /// <summary>Disposes <paramref name="resource"/> after the test, before anything made earlier.</summary>
    protected T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        owned.Push(resource);
        return resource;
    }

    public async Task DisposeAsync()
    {
        while (owned.TryPop(out var resource))
        {
            await resource.DisposeAsync();
        }
    }
}
