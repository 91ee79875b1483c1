using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Jtai.Strategy.Cluster.Tests;

/// <summary>
/// The servers of <c>scripts/infra.sh up --cluster</c>, as its <c>env</c> names them, and its commands that stop, start
/// and promote them (the script knows each node's ports, data and cookie; the test only says which).
/// </summary>
public static class ClusterServers
{
    private static string Script => Path.Combine(ServiceProcess.RepositoryRoot, "scripts", "infra.sh");

    /// <summary>Every node's management API (JTAI_RABBITMQ_CLUSTER_MANAGEMENT, comma-separated); absent without a cluster.</summary>
    public static IReadOnlyList<Uri> Management =>
        Environment.GetEnvironmentVariable("JTAI_RABBITMQ_CLUSTER_MANAGEMENT") is { Length: > 0 } urls
            ? [.. urls.Split(',').Select(u => new Uri(u))]
            : throw new InvalidOperationException(
                "JTAI_RABBITMQ_CLUSTER_MANAGEMENT is not set: run this suite under `scripts/infra.sh up --cluster` (eval \"$(scripts/infra.sh env)\"), as scripts/test.sh does.");

    /// <summary>The mailbox of the SMTP sink (aiosmtpd's Maildir) that the notifications service sends to.</summary>
    public static string Mailbox => Environment.GetEnvironmentVariable("JTAI_SMTP_MAILBOX") is { Length: > 0 } m
        ? m
        : throw new InvalidOperationException("JTAI_SMTP_MAILBOX is not set (scripts/infra.sh env).");

    public static string SmtpPort => Environment.GetEnvironmentVariable("Smtp__Port") ?? throw new InvalidOperationException("Smtp__Port is not set (scripts/infra.sh env).");

    /// <summary>Kills the node's Erlang VM (SIGKILL): the node is gone at once, as when its machine is lost.</summary>
    public static Task KillBrokerNodeAsync(int node) => RunAsync("cluster-node", "kill", node.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Task StartBrokerNodeAsync(int node) => RunAsync("cluster-node", "start", node.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Task StopPostgresPrimaryAsync() => RunAsync("cluster-postgres", "stop-primary");

    public static Task PromotePostgresStandbyAsync() => RunAsync("cluster-postgres", "promote");

    public static async Task<string> PostgresStatusAsync() => await RunAsync("cluster-postgres", "status");

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("bash", [Script, .. arguments], ServiceProcess.RepositoryRoot, timeout: TimeSpan.FromSeconds(150));
        Assert.True(result.ExitCode == 0, $"scripts/infra.sh {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>The node number (1..3) of a node name such as <c>jtai-c2@localhost</c>.</summary>
    public static int NodeNumber(string nodeName) =>
        nodeName.StartsWith("jtai-c", StringComparison.Ordinal) && int.TryParse(nodeName.AsSpan(6, nodeName.IndexOf('@', StringComparison.Ordinal) - 6), out var k)
            ? k
            : throw new FormatException($"'{nodeName}' is not a node of scripts/infra.sh's cluster");

    /// <summary>GET on the management API of the first node that answers (one may be stopped).</summary>
    public static async Task<JsonDocument> ManagementGetAsync(string path)
    {
        Exception? last = null;
        foreach (var node in Management)
        {
            using var client = new HttpClient { BaseAddress = new Uri(node.GetLeftPart(UriPartial.Authority) + "/"), Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(node.UserInfo))));
            try
            {
                return JsonDocument.Parse(await client.GetStringAsync(path));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex;
            }
        }

        throw new InvalidOperationException($"no management API of the cluster answered GET {path}", last);
    }

    /// <summary>The quorum queues of a virtual host: name, leader node, member nodes, messages published to it so far.</summary>
    public static async Task<IReadOnlyList<QuorumQueue>> QuorumQueuesAsync(string virtualHost)
    {
        using var document = await ManagementGetAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}");
        return [.. document.RootElement.EnumerateArray()
            .Where(q => q.TryGetProperty("type", out var type) && type.GetString() == "quorum")
            .Select(q => new QuorumQueue(
                q.GetProperty("name").GetString()!,
                q.TryGetProperty("leader", out var leader) ? leader.GetString() ?? string.Empty : string.Empty,
                q.TryGetProperty("members", out var members) ? [.. members.EnumerateArray().Select(m => m.GetString()!)] : [],
                q.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("publish", out var published) ? published.GetInt64() : 0))];
    }
}

public sealed record QuorumQueue(string Name, string Leader, IReadOnlyList<string> Members, long Published);
