using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jtai.Strategy.BuildingBlocks.Messaging;

namespace Jtai.Strategy.Testing;

/// <summary>
/// A private virtual host on the real RabbitMQ broker, so tests running in parallel never see each
/// other's exchanges and queues. Deleted (with everything in it) afterwards.
/// </summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    private readonly HttpClient management;

    private RabbitMqVirtualHost(string name, HttpClient management, string server)
    {
        Name = name;
        this.management = management;
        var broker = BrokerAddress.Parse(server);
        ConnectionString = (broker with { VirtualHost = name }).ToConnectionString();
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static Task<RabbitMqVirtualHost> CreateAsync() => CreateAsync(TestServers.RabbitMq, TestServers.RabbitMqManagement);

    /// <summary>A virtual host on another broker, e.g. a <see cref="PrivateRabbitMqServer"/>.</summary>
    public static async Task<RabbitMqVirtualHost> CreateAsync(string server, Uri managementUri)
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..16];
        var client = CreateManagementClient(managementUri);
        (await client.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var user = BrokerAddress.Parse(server).Username;
        (await client.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new RabbitMqVirtualHost(name, client, server);
    }

    /// <summary>
    /// Grants every service's own broker user (created with its development password when missing) the permissions
    /// of <c>deploy/rabbitmq/permissions.tsv</c> on this virtual host, as <c>scripts/infra.sh up</c> does on the
    /// default one; then <see cref="ConnectionStringAs"/> connects as one of them.
    /// </summary>
    public async Task GrantServiceUsersAsync()
    {
        using var users = JsonDocument.Parse(await management.GetStringAsync("api/users"));
        var existing = users.RootElement.EnumerateArray().Select(u => u.GetProperty("name").GetString()).ToHashSet();
        foreach (var user in BrokerUserPermissions.All)
        {
            if (!existing.Contains(user.User))
            {
                (await management.PutAsJsonAsync($"api/users/{Uri.EscapeDataString(user.User)}", new { password = user.DevelopmentPassword, tags = "" })).EnsureSuccessStatusCode();
            }

            (await management.PutAsJsonAsync($"api/permissions/{Name}/{Uri.EscapeDataString(user.User)}",
                new { configure = user.Configure, write = user.Write, read = user.Read })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>This virtual host's address as a service's own broker user (see <see cref="GrantServiceUsersAsync"/>).</summary>
    public string ConnectionStringAs(string user) =>
        (BrokerAddress.Parse(ConnectionString) with { Username = user, Password = BrokerUserPermissions.Of(user).DevelopmentPassword }).ToConnectionString();

    /// <summary>
    /// Messages ready in <paramref name="queue"/> now, as the broker itself answers a passive declare: exact at once,
    /// unlike the management API's figures, which are sampled every few seconds.
    /// </summary>
    public async Task<uint> ReadyNowAsync(string queue)
    {
        await using var connection = await BrokerAddress.Parse(ConnectionString).ConnectAsync("test-queue-probe");
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Messages ready in a queue of this virtual host (0 when the queue does not exist).</summary>
    public async Task<int> ReadyCountAsync(string queue)
    {
        var response = await management.GetAsync($"api/queues/{Name}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.TryGetProperty("messages_ready", out var ready) ? ready.GetInt32() : 0;
    }

    /// <summary>Peeks at up to <paramref name="count"/> messages of a queue (requeued), with their headers.</summary>
    public async Task<IReadOnlyList<JsonElement>> PeekAsync(string queue, int count = 10)
    {
        var response = await management.PostAsJsonAsync($"api/queues/{Name}/{queue}/get", new { count, ackmode = "ack_requeue_true", encoding = "auto" });
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public async Task<IReadOnlyList<string>> QueueNamesAsync()
    {
        using var document = JsonDocument.Parse(await management.GetStringAsync($"api/queues/{Name}"));
        return document.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>Every binding of this virtual host as (source exchange, destination), the default exchange's left out.</summary>
    public async Task<IReadOnlyList<(string Source, string Destination)>> BindingsAsync()
    {
        using var document = JsonDocument.Parse(await management.GetStringAsync($"api/bindings/{Name}"));
        return document.RootElement.EnumerateArray()
            .Select(b => (b.GetProperty("source").GetString()!, b.GetProperty("destination").GetString()!))
            .Where(b => b.Item1.Length > 0)
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await management.DeleteAsync($"api/vhosts/{Name}");
        management.Dispose();
    }

    private static HttpClient CreateManagementClient(Uri uri)
    {
        var client = new HttpClient { BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), Timeout = TimeSpan.FromSeconds(30) };
        var userInfo = Uri.UnescapeDataString(uri.UserInfo is { Length: > 0 } info ? info : "guest:guest");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        return client;
    }
}
