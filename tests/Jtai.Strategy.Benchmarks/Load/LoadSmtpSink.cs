using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Jtai.Strategy.Benchmarks.Load;

/// <summary>One e-mail as the sink stored it: the headers the benchmark matches on and when the sink received it.</summary>
public sealed record ReceivedEmail(string Subject, string Recipient, string MessageId, DateTimeOffset ReceivedAt);

/// <summary>
/// The load benchmark's own SMTP sink: Debian's aiosmtpd on a free loopback port with the Mailbox handler plus an
/// <c>X-Received-At</c> stamp (python/load_smtp_sink.py) into a temporary maildir. The stamp is taken when the
/// message's DATA is complete, so the measured latency ends at the sink, not when the benchmark reads the file.
/// </summary>
public sealed class LoadSmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Aiosmtpd = "/usr/bin/aiosmtpd";

    private readonly string root;
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Dictionary<string, ReceivedEmail> read = new(StringComparer.Ordinal);

    private LoadSmtpSink(string root, int port, Process process)
    {
        this.root = root;
        Port = port;
        this.process = process;
    }

    public int Port { get; }

    /// <summary>The sink's process, for its CPU seconds in the report.</summary>
    public int ProcessId => process.Id;

    private string NewMail => Path.Combine(root, "mailbox", "new");

    public static async Task<LoadSmtpSink> StartAsync()
    {
        if (!File.Exists(Aiosmtpd))
        {
            throw new InvalidOperationException($"{Aiosmtpd} is missing: apt-get install -y python3-aiosmtpd.");
        }

        var root = Path.Combine(Path.GetTempPath(), $"jtai-load-smtp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var port = FreePort();
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var arg in new[] { Aiosmtpd, "-n", "-l", $"127.0.0.1:{port}", "-c", "load_smtp_sink.StampingMailbox", Path.Combine(root, "mailbox") })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "python");
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment.Remove("PYTHONHOME");
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start aiosmtpd");
        var sink = new LoadSmtpSink(root, port, process);
        process.OutputDataReceived += (_, e) => sink.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sink.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var stopwatch = Stopwatch.StartNew();
        while (!await sink.AnswersAsync())
        {
            if (process.HasExited || stopwatch.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new InvalidOperationException($"aiosmtpd did not start on port {port}: {sink.output}");
            }

            await Task.Delay(100);
        }

        return sink;
    }

    /// <summary>Every e-mail stored so far (files already parsed are not read again).</summary>
    public IReadOnlyList<ReceivedEmail> Emails()
    {
        if (Directory.Exists(NewMail))
        {
            foreach (var file in Directory.EnumerateFiles(NewMail))
            {
                var name = Path.GetFileName(file);
                if (!read.ContainsKey(name) && Parse(file) is { } email)
                {
                    read[name] = email;
                }
            }
        }

        return [.. read.Values];
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ReceivedEmail? Parse(string file)
    {
        HeaderList headers;
        try
        {
            headers = HeaderList.Load(file);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return null; // still being written
        }

        if (headers["X-Received-At"] is not { } stamp)
        {
            return null;
        }

        var seconds = double.Parse(stamp.Trim(), CultureInfo.InvariantCulture);
        return new ReceivedEmail(
            headers[HeaderId.Subject] ?? string.Empty,
            headers["X-RcptTo"]?.Trim() ?? string.Empty,
            headers[HeaderId.MessageId]?.Trim() ?? string.Empty,
            DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)));
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

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
            var buffer = new byte[512];
            var count = await client.GetStream().ReadAsync(buffer, cts.Token);
            return count >= 3 && Encoding.ASCII.GetString(buffer, 0, 3) == "220";
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
