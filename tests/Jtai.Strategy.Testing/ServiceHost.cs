using System.Net.Http.Headers;
using Jtai.Strategy.BuildingBlocks.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.Testing;

/// <summary>
/// One service, in process, on its own database and virtual host of the real servers. Pass the same
/// database/vhost to a second host to simulate a restart or a second instance.
/// </summary>
public class ServiceHost<TMarker>(PostgresDatabase database, RabbitMqVirtualHost broker, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<TMarker>
    where TMarker : class
{
    public PostgresDatabase Database { get; } = database;

    public RabbitMqVirtualHost Broker { get; } = broker;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", Database.ConnectionString);
        builder.UseSetting("ConnectionStrings:RabbitMq", Broker.ConnectionString);
        builder.UseSetting("Auth:DevelopmentSigningKey", DevelopmentTokens.DevelopmentSigningKey);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>An HTTP client signed in with a development token for the given role(s).</summary>
    public HttpClient ClientAs(string role, string? agency = null, string? team = null, string subject = "test-user", string? email = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Mint(subject, [role], agency, team, email: email));
        return client;
    }

    public HttpClient AnonymousClient() => CreateClient();
}
