using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Jtai.Strategy.Notifications.Delivery.Smtp;

/// <summary>The server broke the SMTP protocol (malformed reply, data where none may be). Always transient.</summary>
internal sealed class SmtpProtocolException(string message) : Exception(message);

/// <summary>One TCP (optionally TLS) connection: writes command lines, reads (multi-line) replies.</summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    private const int MaxReplyLineLength = 8192;
    private const int MaxReplyLines = 200;

    private readonly TcpClient _tcp;
    private readonly byte[] _buffer = new byte[16384];
    private Stream _stream;
    private int _start;
    private int _end;

    private SmtpConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public bool IsTls { get; private set; }

    public static async Task<SmtpConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken);
            return new SmtpConnection(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Starts TLS on the open connection (after a 220 to STARTTLS, or at once for implicit TLS).</summary>
    public async Task UpgradeToTlsAsync(string targetHost, RemoteCertificateValidationCallback? validation, CancellationToken cancellationToken)
    {
        if (_end > _start)
        {
            // RFC 3207 §5 / CVE-2011-0411 class: anything the server sent before the handshake must not be trusted.
            throw new SmtpProtocolException("The server sent data before the TLS handshake; refusing to continue.");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    RemoteCertificateValidationCallback = validation,
                },
                cancellationToken);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        _stream = ssl;
        _start = _end = 0;
        IsTls = true;
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        if (line.Contains('\r') || line.Contains('\n'))
        {
            throw new ArgumentException("An SMTP command must not contain CR or LF.", nameof(line));
        }

        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        await _stream.WriteAsync(bytes, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(data, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var code = -1;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || (line.Length > 3 && line[3] != ' ' && line[3] != '-'))
            {
                throw new SmtpProtocolException($"Malformed SMTP reply line: '{Truncate(line)}'.");
            }

            var lineCode = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            if (lineCode < 200 || lineCode > 599)
            {
                throw new SmtpProtocolException($"Unexpected SMTP reply code {lineCode}.");
            }

            if (code != -1 && lineCode != code)
            {
                throw new SmtpProtocolException($"Multi-line SMTP reply changed its code from {code} to {lineCode}.");
            }

            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }

            if (lines.Count >= MaxReplyLines)
            {
                throw new SmtpProtocolException("SMTP reply has too many lines.");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_end - _start >= MaxReplyLineLength)
            {
                throw new SmtpProtocolException("SMTP reply line too long.");
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            scanFrom = _end;
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                throw new IOException("The SMTP server closed the connection.");
            }

            _end += read;
        }
    }

    private static string Truncate(string value) => value.Length <= 120 ? value : value[..120] + "…";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
            // The peer may already have gone.
        }

        _tcp.Dispose();
    }
}
