using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.BuildingBlocks.Security;
using Jtai.Strategy.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Jtai.Strategy.ActionPlan.Tests;

/// <summary>
/// The ActionPlan service on its own database and virtual host of the real servers, with a clock the test moves,
/// and the Durham sample plan opted in (as scripts/run.sh does).
/// </summary>
public sealed class ActionPlanHost : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The setting scripts/run.sh gives the service: seed the Durham sample plan.</summary>
    public static readonly IReadOnlyDictionary<string, string?> SampleOptIn = new Dictionary<string, string?> { ["ActionPlan:SeedDurhamSamplePlan"] = "true" };

    private ServiceHost<ActionPlanService> host = null!;

    /// <summary>Durham's plan went to the executive in February 2019; the tests live in spring 2019.</summary>
    public ManualClock Clock { get; } = new(new DateTimeOffset(2019, 4, 10, 9, 0, 0, TimeSpan.Zero));

    public PostgresDatabase Database { get; private set; } = null!;

    public RabbitMqVirtualHost Broker { get; private set; } = null!;

    public IServiceProvider Services => host.Services;

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        Broker = await RabbitMqVirtualHost.CreateAsync();
        host = new ServiceHost<ActionPlanService>(Database, Broker, SampleOptIn, s => s.AddSingleton<TimeProvider>(Clock));
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }

    public HttpClient As(string role, string subject = "test-user", string? name = null)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Mint(subject, [role], name: name, now: DateTimeOffset.UtcNow));
        return client;
    }

    public HttpClient Masdg(string subject = "masdg-chair", string name = "MASDG Chair") => As(JtaiRoles.Masdg, subject, name);

    public HttpClient Administrator() => As(JtaiRoles.Administrator, "plan-admin", "Plan Administrator");

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync<T>(HttpClient client, string url, T body) => client.PostAsJsonAsync(url, body, Json);
}

[CollectionDefinition(nameof(ActionPlanHostCollection))]
public sealed class ActionPlanHostCollection;
