using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Support;

/// <summary>
/// An in-process fake SMTP server for protocol unit tests: accepts one connection on a loopback port and runs a script
/// that sends exact bytes and asserts what the client sends (edge cases a real server will not produce on demand).
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(20));

    private ScriptedSmtpServer(Func<ScriptedSmtpSession, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Completion = RunAsync(script);
    }

    public int Port { get; }

    /// <summary>Completes when the script has finished; faults with the script's assertion failures.</summary>
    public Task Completion { get; }

    public List<string> Received { get; } = [];

    public static ScriptedSmtpServer Start(Func<ScriptedSmtpSession, Task> script) => new(script);

    private async Task RunAsync(Func<ScriptedSmtpSession, Task> script)
    {
        using var client = await _listener.AcceptTcpClientAsync(_cts.Token);
        client.NoDelay = true;
        await using var stream = client.GetStream();
        var session = new ScriptedSmtpSession(stream, Received, _cts.Token);
        await script(session);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _cts.CancelAsync();
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch
        {
            // Failures are observed by the tests that await Completion.
        }

        _cts.Dispose();
    }
}

internal sealed class ScriptedSmtpSession(Stream stream, List<string> received, CancellationToken cancellationToken)
{
    private readonly List<byte> _pending = [];

    public Stream Stream { get; private set; } = stream;

    public CancellationToken CancellationToken => cancellationToken;

    public async Task SendRawAsync(string text)
    {
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        await Stream.FlushAsync(cancellationToken);
    }

    public Task ReplyAsync(params string[] lines) => SendRawAsync(string.Concat(lines.Select(l => l + "\r\n")));

    public async Task<string?> ReadLineAsync()
    {
        var buffer = new byte[1];
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, newline).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, newline + 1);
                lock (received)
                {
                    received.Add(line);
                }

                return line;
            }

            var read = await Stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _pending.Add(buffer[0]);
        }
    }

    public async Task<string> ExpectAsync(string prefix)
    {
        var line = await ReadLineAsync();
        Assert.NotNull(line);
        Assert.StartsWith(prefix, line, StringComparison.OrdinalIgnoreCase);
        return line;
    }

    /// <summary>Reads DATA content up to the terminating "." line; returns the lines as sent (still dot-stuffed).</summary>
    public async Task<List<string>> ReadDataAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            Assert.NotNull(line);
            if (line == ".")
            {
                return lines;
            }

            lines.Add(line);
        }
    }

    /// <summary>Greeting, EHLO with the given extension lines.</summary>
    public async Task GreetAndEhloAsync(params string[] extensions)
    {
        await ReplyAsync("220 fake.example ESMTP ready");
        await ExpectAsync("EHLO ");
        await ReplyEhloAsync(extensions);
    }

    public Task ReplyEhloAsync(params string[] extensions)
    {
        var lines = new List<string> { "fake.example greets you" };
        lines.AddRange(extensions);
        return ReplyAsync(lines.Select((l, i) => (i == lines.Count - 1 ? "250 " : "250-") + l).ToArray());
    }

    /// <summary>MAIL, one RCPT, DATA, 250, QUIT — returns the data lines.</summary>
    public async Task<List<string>> AcceptOneMessageAsync()
    {
        await ExpectAsync("MAIL FROM:<");
        await ReplyAsync("250 2.1.0 OK");
        await ExpectAsync("RCPT TO:<");
        await ReplyAsync("250 2.1.5 OK");
        await ExpectAsync("DATA");
        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>");
        var data = await ReadDataAsync();
        await ReplyAsync("250 2.0.0 OK queued as FAKE123");
        await ExpectAsync("QUIT");
        await ReplyAsync("221 2.0.0 Bye");
        return data;
    }
}
