using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Jtai.Strategy.Testing;

/// <summary>
/// A TCP proxy on loopback in front of a real server that can stop forwarding without closing anything: the peer
/// of a frozen link neither answers nor fails, as a node that went silent (a half-open socket, a paused process).
/// <see cref="Freeze"/> holds every link, open and new, until <see cref="Resume"/>, which forwards what waited;
/// <see cref="FreezeOpenLinks"/> holds the links open now for good while new ones flow, as a dead node whose
/// clients must notice by themselves and connect again.
/// </summary>
public sealed class FreezingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly CancellationTokenSource closing = new();
    private readonly ConcurrentDictionary<Link, byte> links = new();
    private readonly Gate newLinks = new();
    private readonly Task accepting;

    private FreezingTcpProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>The loopback port to connect to instead of the server's.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Links accepted so far (a client's reconnection shows as a new one).</summary>
    public int LinksAccepted { get; private set; }

    public static FreezingTcpProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>Stops forwarding on every link, open and new, without closing any.</summary>
    public void Freeze()
    {
        newLinks.Close();
        foreach (var link in links.Keys)
        {
            link.Gate.Close();
        }
    }

    /// <summary>Forwards again, on every link, what waited and what comes.</summary>
    public void Resume()
    {
        newLinks.Open();
        foreach (var link in links.Keys)
        {
            link.Gate.Open();
        }
    }

    /// <summary>Stops forwarding on the links open now, for good; links made after this flow.</summary>
    public void FreezeOpenLinks()
    {
        foreach (var link in links.Keys)
        {
            link.Gate.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync();
        listener.Stop();
        foreach (var link in links.Keys)
        {
            link.Dispose();
        }

        try
        {
            await accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        closing.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!closing.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(closing.Token);
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(targetHost, targetPort, closing.Token);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            LinksAccepted++;
            var link = new Link(client, server, newLinks.IsOpen);
            links.TryAdd(link, 0);
            _ = link.RunAsync(closing.Token).ContinueWith(_ => links.TryRemove(link, out byte _), TaskScheduler.Default);
        }
    }

    /// <summary>Open or closed; a pump waits at a closed gate with the bytes it read.</summary>
    private sealed class Gate
    {
        private volatile TaskCompletionSource opened;

        public Gate(bool open = true) => opened = NewOpened(open);

        public bool IsOpen => opened.Task.IsCompleted;

        public Task WaitAsync(CancellationToken cancellationToken) => opened.Task.WaitAsync(cancellationToken);

        public void Close()
        {
            if (opened.Task.IsCompleted)
            {
                opened = NewOpened(open: false);
            }
        }

        public void Open() => opened.TrySetResult();

        private static TaskCompletionSource NewOpened(bool open)
        {
            var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open)
            {
                source.SetResult();
            }

            return source;
        }
    }

    private sealed class Link(TcpClient client, TcpClient server, bool open) : IDisposable
    {
        public Gate Gate { get; } = new(open);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var _ = this;
            var toServer = PumpAsync(client.GetStream(), server.GetStream(), cancellationToken);
            var toClient = PumpAsync(server.GetStream(), client.GetStream(), cancellationToken);
            await Task.WhenAny(toServer, toClient);
        }

        public void Dispose()
        {
            client.Dispose();
            server.Dispose();
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReadAsync(buffer, cancellationToken);
                    // A frozen link closes nothing either: the other side must find out by itself.
                    await Gate.WaitAsync(cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
            {
            }
        }
    }
}
