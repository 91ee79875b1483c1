using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Jtai.Strategy.Benchmarks.Load;

/// <summary>One e-mail as the sink received it: the headers the benchmark matches on and when the sink received it.</summary>
public sealed record ReceivedEmail(string Subject, string Recipient, string MessageId, DateTimeOffset ReceivedAt);

/// <summary>
/// The load benchmark's own SMTP sink: an SMTP server (the SmtpServer library) on a free loopback port inside the
/// benchmark's process, keeping what it receives in memory. Each e-mail is stamped when its DATA is complete, before
/// the server answers 250, so the measured latency ends at the sink. (Until 2026-12-04 the sink was Debian's aiosmtpd
/// writing a maildir; on the same two cores as everything else it cost 1.4–2.5 ms of CPU per e-mail, a tenth of the
/// machine, which this one does not.)
/// </summary>
public sealed class LoadSmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedEmail> received = new();
    private readonly CancellationTokenSource stop = new();
    private SmtpServer.SmtpServer server = null!;
    private Task running = Task.CompletedTask;

    private LoadSmtpSink(int port) => Port = port;

    public int Port { get; }

    public static async Task<LoadSmtpSink> StartAsync()
    {
        var sink = new LoadSmtpSink(FreePort());
        var options = new SmtpServerOptionsBuilder()
            .ServerName("load-sink.localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, sink.Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(sink.received));
        sink.server = new SmtpServer.SmtpServer(options, services);
        sink.running = sink.server.StartAsync(sink.stop.Token);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!await sink.AnswersAsync())
        {
            if (sink.running.IsCompleted || stopwatch.Elapsed > TimeSpan.FromSeconds(15))
            {
                await sink.running; // its failure, if it failed
                throw new InvalidOperationException($"the SMTP sink did not answer on port {sink.Port}");
            }

            await Task.Delay(50);
        }

        return sink;
    }

    /// <summary>Every e-mail received so far.</summary>
    public IReadOnlyList<ReceivedEmail> Emails() => [.. received];

    public async ValueTask DisposeAsync()
    {
        server.Shutdown();
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        stop.Dispose();
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
            return count >= 3 && System.Text.Encoding.ASCII.GetString(buffer, 0, 3) == "220";
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

    /// <summary>Stamps, parses the headers the benchmark matches on, and keeps one entry per envelope recipient.</summary>
    private sealed class Store(ConcurrentQueue<ReceivedEmail> received) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var receivedAt = DateTimeOffset.UtcNow;
            using var stream = new MemoryStream(buffer.ToArray(), writable: false);
            var headers = HeaderList.Load(stream, cancellationToken);
            foreach (var recipient in transaction.To)
            {
                received.Enqueue(new ReceivedEmail(
                    headers[HeaderId.Subject] ?? string.Empty,
                    $"{recipient.User}@{recipient.Host}",
                    headers[HeaderId.MessageId]?.Trim() ?? string.Empty,
                    receivedAt));
            }

            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
