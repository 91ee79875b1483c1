using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Jtai.Strategy.Testing;

/// <summary>
/// A service as deployed: its built assembly run by <c>dotnet</c> in a process of its own, configured by
/// environment variables, listening on a free loopback port, and stopped by SIGTERM (the host's graceful
/// shutdown). Use it where one process per service matters, e.g. each with its own telemetry providers.
/// It can also be killed outright (SIGKILL, a crash) and started again on the same address, as the load
/// benchmark's chaos mode does.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo startInfo;
    private readonly string assembly;
    private readonly StringBuilder output = new();
    private Process process;

    private ServiceProcess(ProcessStartInfo startInfo, string assembly)
    {
        this.startInfo = startInfo;
        this.assembly = assembly;
        Address = new Uri(startInfo.Environment["ASPNETCORE_URLS"]!);
        process = Launch();
    }

    public Uri Address { get; }

    /// <summary>The operating system's id of the current process (a new one after <see cref="StartAgainAsync"/>).</summary>
    public int ProcessId => process.Id;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>
    /// Starts <c>services/{folder}/bin/{configuration}/net10.0/{assembly}.dll</c> of this checkout (built with
    /// the test project that references it) and waits until <c>/health/ready</c> answers 200.
    /// </summary>
    public static Task<ServiceProcess> StartAsync(string folder, string assembly, IReadOnlyDictionary<string, string?> settings, TimeSpan? readyWithin = null) =>
        StartAsync(folder, assembly, settings, FreeAddress(), readyWithin);

    /// <summary>As above, on a given address: for a service whose own settings (or another's) must name it before it starts.</summary>
    public static async Task<ServiceProcess> StartAsync(string folder, string assembly, IReadOnlyDictionary<string, string?> settings, Uri address, TimeSpan? readyWithin = null)
    {
        var service = new ServiceProcess(StartInfo(folder, assembly, settings, address, []), assembly);
        await service.WaitUntilReadyAsync(readyWithin);
        return service;
    }

    /// <summary>A free loopback address (http://127.0.0.1:PORT) to start a service on.</summary>
    public static Uri FreeAddress() => new($"http://127.0.0.1:{FreePort()}");

    /// <summary>
    /// Runs the service's deployment step <c>dotnet {assembly}.dll migrate</c> (migrations and broker topology) to its
    /// end; returns its exit code and output.
    /// </summary>
    public static Task<(int ExitCode, string Output)> MigrateAsync(string folder, string assembly, IReadOnlyDictionary<string, string?> settings, TimeSpan? within = null) =>
        RunCommandAsync(folder, assembly, settings, "migrate", within);

    /// <summary>Runs one of the service's commands (<c>dotnet {assembly}.dll {command}</c>, e.g. <c>verify-audit</c>) to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string folder, string assembly, IReadOnlyDictionary<string, string?> settings, string command, TimeSpan? within = null)
    {
        await using var step = new ServiceProcess(StartInfo(folder, assembly, settings, address: new Uri($"http://127.0.0.1:{FreePort()}"), [command]), assembly);
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(120));
        await step.process.WaitForExitAsync(timeout.Token);
        return (step.process.ExitCode, step.Output);
    }

    private static ProcessStartInfo StartInfo(string folder, string assembly, IReadOnlyDictionary<string, string?> settings, Uri address, string[] arguments)
    {
        var dll = Path.Combine(RepositoryRoot, "services", folder, "bin", Configuration, "net10.0", assembly + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built: build the test project that references it.");
        var psi = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        psi.Environment["ASPNETCORE_URLS"] = address.ToString();
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            // Configuration keys as environment variables: "Section:Key" is "Section__Key".
            psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return psi;
    }

    /// <summary>Kills the process with SIGKILL, as a crash or an out-of-memory kill would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the service again (after it stopped or was killed), same program, settings and address; waits until ready.</summary>
    public async Task StartAgainAsync(TimeSpan? readyWithin = null)
    {
        if (!process.HasExited)
        {
            throw new InvalidOperationException($"{assembly} is still running (pid {process.Id}).");
        }

        process.Dispose();
        process = Launch();
        await WaitUntilReadyAsync(readyWithin);
    }

    private Process Launch()
    {
        var started = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {assembly}");
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private async Task WaitUntilReadyAsync(TimeSpan? readyWithin)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(process.HasExited, $"{assembly} exited with {ExitCode}:\n{Output}");
            return (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
        }, readyWithin ?? TimeSpan.FromSeconds(60), $"{assembly} is ready");
    }

    /// <summary>Sends SIGTERM, as an orchestrator does, and waits for the host to stop; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? within = null)
    {
        if (!process.HasExited)
        {
            var kill = await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.Equal(0, kill.ExitCode);
        }

        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The checkout this test runs from (the folder with the solution file).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Jtai.Strategy.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No Jtai.Strategy.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Debug or Release: the test's own output is tests/{project}/bin/{configuration}/net10.0/.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
