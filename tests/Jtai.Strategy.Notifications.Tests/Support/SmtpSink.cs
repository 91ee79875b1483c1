using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jtai.Strategy.Notifications.Tests.Support;

/// <summary>
/// A private aiosmtpd (Debian's python3-aiosmtpd) on a free loopback port, with the delivery library's test handler
/// (maildir storage; 550 for reject*@, 451 for tempfail*@). It can be stopped and started again on the same port and
/// maildir, to play a relay outage. Independent of the shared development server on 27025.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private readonly string root;
    private Process? process;

    private SmtpSink(string root, int port)
    {
        this.root = root;
        Port = port;
        MailDir = Path.Combine(root, "mailbox");
    }

    public int Port { get; }

    /// <summary>The maildir; delivered messages are files under <c>new/</c>.</summary>
    public string MailDir { get; }

    public bool IsRunning => process is { HasExited: false };

    public static async Task<SmtpSink> StartAsync()
    {
        if (!File.Exists(TestPaths.Aiosmtpd))
        {
            throw new InvalidOperationException($"{TestPaths.Aiosmtpd} is missing: scripts/infra.sh up installs python3-aiosmtpd.");
        }

        var root = Path.Combine(Path.GetTempPath(), $"jtai-notifications-smtp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var sink = new SmtpSink(root, FreeTcpPort());
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>Starts the server (again) on the same port and maildir.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var psi = new ProcessStartInfo(TestPaths.SystemPython)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var arg in new[] { TestPaths.Aiosmtpd, "-n", "-l", $"127.0.0.1:{Port}", "-c", "jtai_test_smtp.RejectingMailbox", MailDir })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["PYTHONPATH"] = TestPaths.PythonDirectory;
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment.Remove("PYTHONHOME");
        process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start aiosmtpd.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilAsync(ready: true, TimeSpan.FromSeconds(15));
    }

    /// <summary>Kills the server: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        process?.Dispose();
        process = null;
        await WaitUntilAsync(ready: false, TimeSpan.FromSeconds(10));
    }

    public IReadOnlyList<string> MessageFiles()
    {
        var dir = Path.Combine(MailDir, "new");
        return Directory.Exists(dir) ? Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToList() : [];
    }

    /// <summary>Delivered messages whose Message-ID is <c>&lt;{id}@jtai-strategy&gt;</c>.</summary>
    public IReadOnlyList<string> MessagesWithId(string notificationId) =>
        MessageFiles().Where(f => HeaderSection(f).Contains($"\nMessage-ID: <{notificationId}@jtai-strategy>\n", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Delivered messages addressed (RCPT TO) to <paramref name="address"/>.</summary>
    public IReadOnlyList<string> MessagesTo(string address) =>
        MessageFiles().Where(f => HeaderSection(f).Contains($"\nX-RcptTo: {address}\n", StringComparison.OrdinalIgnoreCase)).ToList();

    public string ServerOutput
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string HeaderSection(string file)
    {
        var text = "\n" + File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]) + "\n";
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilAsync(bool ready, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            if (ready && process!.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {process.ExitCode}: {ServerOutput}");
            }

            if (await AnswersAsync() == ready)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"aiosmtpd on port {Port} did not become {(ready ? "ready" : "unreachable")} within {limit}: {ServerOutput}");
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
            var buffer = new byte[512];
            var read = await client.GetStream().ReadAsync(buffer, cts.Token);
            return read >= 3 && Encoding.ASCII.GetString(buffer, 0, 3) == "220";
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
