using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jtai.Strategy.Testing;

/// <summary>
/// A RabbitMQ node of the test's own (own node name, ports, data directory and epmd, as scripts/infra.sh starts
/// one), so an outage test can kill it and start it again without disturbing tests on the shared broker.
/// </summary>
public sealed class PrivateRabbitMqServer : IAsyncDisposable
{
    private readonly string directory;
    private readonly string node;
    private readonly int distPort;
    private readonly int epmdPort;
    private Process? epmd;
    private Process? server;

    private PrivateRabbitMqServer(string directory)
    {
        this.directory = directory;
        node = "jtai-" + Path.GetFileName(directory) + "@localhost";
        AmqpPort = FreePort();
        ManagementPort = FreePort();
        distPort = FreePort();
        epmdPort = FreePort();
    }

    public int AmqpPort { get; }

    public int ManagementPort { get; }

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{AmqpPort}/";

    public Uri Management => new($"http://guest:guest@127.0.0.1:{ManagementPort}");

    public static async Task<PrivateRabbitMqServer> StartAsync()
    {
        var directory = Path.Combine("/var/tmp", "jtai-test-rmq-" + Guid.NewGuid().ToString("N")[..10]);
        var server = new PrivateRabbitMqServer(directory);
        Directory.CreateDirectory(Path.Combine(directory, "home"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(directory, "home", ".erlang.cookie"), Guid.NewGuid().ToString("N"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(directory, "home", ".erlang.cookie"), UnixFileMode.UserRead); // Erlang refuses a readable cookie
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[rabbitmq_management].\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"),
            $"listeners.tcp.default = 127.0.0.1:{server.AmqpPort}\nmanagement.tcp.port = {server.ManagementPort}\nmanagement.tcp.ip = 127.0.0.1\nloopback_users.guest = true\n");
        server.epmd = Process.Start(server.Start("epmd", "-address", "127.0.0.1", "-port", server.epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Kills the node, as a crash or a lost network does: connections drop, nothing answers.</summary>
    public async Task KillAsync()
    {
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    public async Task StartAgainAsync()
    {
        server = Process.Start(Start("/usr/lib/rabbitmq/bin/rabbitmq-server"))!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{ManagementPort}/api/overview")).IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(120), "the private RabbitMQ node answers");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (epmd is { HasExited: false })
        {
            epmd.Kill(entireProcessTree: true);
            await epmd.WaitForExitAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    private ProcessStartInfo Start(string file, params string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = false, RedirectStandardError = false, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        psi.Environment["HOME"] = Path.Combine(directory, "home");
        psi.Environment["RABBITMQ_NODENAME"] = node;
        psi.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        psi.Environment["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(inv);
        psi.Environment["RABBITMQ_DIST_PORT"] = distPort.ToString(inv);
        psi.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
        psi.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
        psi.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins");
        psi.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf");
        psi.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf");
        psi.Environment["RABBITMQ_PID_FILE"] = Path.Combine(directory, "beam.pid");
        psi.Environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
        psi.Environment["ERL_EPMD_PORT"] = epmdPort.ToString(inv);
        psi.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        return psi;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
