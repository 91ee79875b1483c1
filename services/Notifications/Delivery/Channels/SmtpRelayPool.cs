using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>
/// A small pool of connected (and, when configured, authenticated) MailKit <see cref="SmtpClient"/>s to the relay:
/// at most <see cref="SmtpOptions.PoolSize"/> sends at once, each connection reused for up to
/// <see cref="SmtpOptions.MaxMessagesPerConnection"/> messages and then closed. Connecting, TLS and AUTH are paid once per
/// connection instead of once per e-mail. A connection that failed in any way is closed, never returned: after an I/O
/// or protocol error its state is unknown, and after a refusal a fresh session is cheaper than reasoning about RSET.
/// Thread-safe; dispose to close every idle connection.
/// </summary>
public sealed class SmtpRelayPool : IMailRelay, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(2);

    private readonly SmtpOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<PooledConnection> _idle = new();
    private readonly RemoteCertificateValidationCallback? _certificateValidation;
    private int _disposed;

    public SmtpRelayPool(SmtpOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _slots = new SemaphoreSlim(options.PoolSize, options.PoolSize);
        _certificateValidation = options.ServerCertificateValidation
            ?? (options.PinnedCertificateSha256 is { } pin ? Pinned(SmtpOptions.PinBytes(pin)) : null);
    }

    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _slots.WaitAsync(cancellationToken);
        PooledConnection? connection = null;
        var reusable = false;
        try
        {
            connection = await TakeAsync(cancellationToken);
            var reply = await connection.Client.SendAsync(message, cancellationToken);
            connection.MessagesSent++;
            connection.LastUsed = _clock.GetUtcNow();
            reusable = connection.MessagesSent < _options.MaxMessagesPerConnection;
            return reply;
        }
        finally
        {
            if (connection is not null)
            {
                if (reusable && Volatile.Read(ref _disposed) == 0)
                {
                    _idle.Push(connection);
                }
                else
                {
                    await CloseAsync(connection);
                }
            }

            _slots.Release();
        }
    }

    /// <summary>An idle connection that still answers, or a new one.</summary>
    private async Task<PooledConnection> TakeAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryPop(out var connection))
        {
            if (!connection.Client.IsConnected)
            {
                await CloseAsync(connection);
                continue;
            }

            if (_clock.GetUtcNow() - connection.LastUsed >= _options.IdleCheckAfter)
            {
                try
                {
                    // Relays drop idle sessions; a NOOP finds out before a message is at stake.
                    await connection.Client.NoOpAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await CloseAsync(connection);
                    continue;
                }
            }

            return connection;
        }

        return await OpenAsync(cancellationToken);
    }

    private async Task<PooledConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient
        {
            Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds),
            ServerCertificateValidationCallback = _certificateValidation,
        };
        if (!string.IsNullOrWhiteSpace(_options.ClientDomain))
        {
            client.LocalDomain = _options.ClientDomain.Trim();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var security = _options.EffectiveSecurity switch
            {
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.Auto => SecureSocketOptions.Auto,
                _ => SecureSocketOptions.None,
            };
            // The pool opens the socket itself so that Nagle's algorithm is off: MailKit writes a message's last bytes
            // ("\r\n.\r\n") apart from the rest, and with Nagle on they waited for the relay's delayed ACK, ~40 ms of
            // every e-mail (issue 18: the load benchmark's claimed → sent hop never went below 43 ms).
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(_options.Host, _options.Port, timeout.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            // With TlsTargetHost the certificate is checked against the name the relay's certificate carries, not Host.
            var host = string.IsNullOrWhiteSpace(_options.TlsTargetHost) ? _options.Host : _options.TlsTargetHost.Trim();
            await client.ConnectAsync(socket, host, _options.Port, security, timeout.Token);

            if (!string.IsNullOrEmpty(_options.Username))
            {
                if (!client.IsSecure && !_options.AllowAuthenticationWithoutTls)
                {
                    throw new SmtpRelayUnusableException(
                        "SMTP credentials are configured but the connection is not encrypted: set Smtp:Security to StartTls or SslOnConnect " +
                        "(or AllowAuthenticationWithoutTls for a trusted local relay). No credentials were sent.");
                }

                await client.AuthenticateAsync(new NetworkCredential(_options.Username, _options.Password ?? string.Empty), timeout.Token);
            }

            return new PooledConnection(client) { LastUsed = _clock.GetUtcNow() };
        }
        catch
        {
            await CloseAsync(client);
            throw;
        }
    }

    private static RemoteCertificateValidationCallback Pinned(byte[] fingerprint) =>
        (_, certificate, _, _) => certificate is not null
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), fingerprint);

    private static Task CloseAsync(PooledConnection connection) => CloseAsync(connection.Client);

    private static async Task CloseAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var cts = new CancellationTokenSource(QuitTimeout);
                await client.DisconnectAsync(quit: true, cts.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or SmtpProtocolException or SmtpCommandException)
        {
            // QUIT is a courtesy; the connection is gone either way.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryPop(out var connection))
        {
            await CloseAsync(connection);
        }
    }

    /// <summary>For containers disposed synchronously: closes the idle connections all the same.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class PooledConnection(SmtpClient client)
    {
        public SmtpClient Client { get; } = client;

        public int MessagesSent { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }
}
