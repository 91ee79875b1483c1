using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Jtai.Strategy.Testing;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb into a temporary directory, its own loopback port), so an outage
/// test can stop and start it without disturbing test assemblies that share the common server. Run as the
/// <c>postgres</c> OS user when the tests run as root, as scripts/infra.sh does.
/// </summary>
public sealed class PrivatePostgresServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string Password = "jtai-dev";

    private readonly string directory;

    private PrivatePostgresServer(string directory, int port)
    {
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's maintenance database, as <see cref="PostgresDatabase.CreateAsync(string)"/> expects.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=jtai;Password={Password};Database=postgres;Timeout=3";

    private string Data => Path.Combine(directory, "data");

    public static async Task<PrivatePostgresServer> StartAsync()
    {
        var directory = Path.Combine("/var/tmp", "jtai-test-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new PrivatePostgresServer(directory, FreePort());
        var passwordFile = Path.Combine(directory, "pw");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (IsRoot)
        {
            await Run("chown", ["-R", "postgres:", directory], asPostgres: false);
        }

        await Run(Bin + "/initdb", ["-D", server.Data, "-U", "jtai", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C.UTF-8", "--auth-host=scram-sha-256", "--auth-local=trust"]);
        await File.AppendAllTextAsync(Path.Combine(server.Data, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {server.Port}\nunix_socket_directories = ''\nmax_connections = 200\nfsync = off\n");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Stops the server the way a failover or restart does: clients are disconnected, new connections refused.</summary>
    public Task StopAsync() => Run(Bin + "/pg_ctl", ["stop", "-D", Data, "-m", "fast", "-w", "-t", "60"]);

    public async Task StartAgainAsync()
    {
        await Run(Bin + "/pg_ctl", ["start", "-D", Data, "-l", Path.Combine(directory, "postgres.log"), "-w", "-t", "60"]);
        // The test's own pooled connections died with the old server; the next query would get one (57P01). The
        // services' data sources keep their own pools, which they must recover themselves: that is under test.
        NpgsqlConnection.ClearAllPools();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync();
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the private PostgreSQL accepts connections");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await Run(Bin + "/pg_ctl", ["stop", "-D", Data, "-m", "immediate", "-w", "-t", "60"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(directory, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Run(string file, string[] arguments, bool asPostgres = true)
    {
        var result = asPostgres && IsRoot
            ? await ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments], workingDirectory: "/", timeout: TimeSpan.FromSeconds(90))
            : await ProcessRunner.RunAsync(file, arguments, workingDirectory: "/", timeout: TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        }
    }
}
