using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Jtai.Strategy.Notifications.Delivery.Mime;

namespace Jtai.Strategy.Notifications.Delivery.Smtp;

/// <summary>
/// A small SMTP client (RFC 5321) over <see cref="TcpClient"/> and <see cref="System.Net.Security.SslStream"/>: EHLO with
/// HELO fallback, STARTTLS (RFC 3207) then EHLO again, AUTH PLAIN/LOGIN (RFC 4954, only over TLS unless allowed),
/// MAIL FROM (with SIZE when offered), RCPT TO per recipient collecting refusals, DATA with dot-stuffing, QUIT.
/// One connection per <see cref="SendAsync"/>; stateless between calls and thread-safe.
/// </summary>
public sealed class SmtpClient : ISmtpClient
{
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(2);

    private readonly SmtpOptions _options;
    private readonly string _clientDomain;

    public SmtpClient(SmtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host, nameof(options.Host));
        if (options.Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Smtp Port must be 1-65535.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "Smtp Timeout must be positive.");
        }

        if (options.UseStartTls && options.UseImplicitTls)
        {
            throw new ArgumentException("UseStartTls and UseImplicitTls cannot both be set.", nameof(options));
        }

        _options = options;
        _clientDomain = ClientDomain(options.ClientDomain);
    }

    public async Task<SmtpSendResult> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        MimeEncoding.ValidateAddress(envelope.MailFrom);
        if (envelope.Recipients is null || envelope.Recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is required.", nameof(envelope));
        }

        foreach (var recipient in envelope.Recipients)
        {
            MimeEncoding.ValidateAddress(recipient);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken Arm()
        {
            timeout.CancelAfter(_options.Timeout);
            return timeout.Token;
        }

        var stage = SmtpStage.Connect;
        SmtpConnection? connection = null;
        var sessionUsable = false;
        try
        {
            connection = await SmtpConnection.ConnectAsync(_options.Host, _options.Port, Arm());
            if (_options.UseImplicitTls)
            {
                stage = SmtpStage.StartTls;
                await connection.UpgradeToTlsAsync(TlsTargetHost, _options.ServerCertificateValidation, Arm());
            }

            stage = SmtpStage.Greeting;
            var greeting = await connection.ReadReplyAsync(Arm());
            sessionUsable = true;
            if (greeting.Code != 220)
            {
                throw SmtpDeliveryException.FromReply(stage, "greeting", greeting);
            }

            stage = SmtpStage.Hello;
            var extensions = await HelloAsync(connection, Arm);

            if (_options.UseStartTls)
            {
                stage = SmtpStage.StartTls;
                if (!extensions.StartTls)
                {
                    throw SmtpDeliveryException.Transient(stage, $"The SMTP server {_options.Host}:{_options.Port} does not offer STARTTLS, which is required by configuration.");
                }

                var reply = await CommandAsync(connection, "STARTTLS", Arm);
                if (reply.Code != 220)
                {
                    throw SmtpDeliveryException.FromReply(stage, "STARTTLS", reply);
                }

                sessionUsable = false;
                await connection.UpgradeToTlsAsync(TlsTargetHost, _options.ServerCertificateValidation, Arm());
                sessionUsable = true;
                stage = SmtpStage.Hello;
                extensions = await HelloAsync(connection, Arm);
            }

            if (!string.IsNullOrEmpty(_options.Username))
            {
                stage = SmtpStage.Authentication;
                await AuthenticateAsync(connection, extensions, Arm);
            }

            stage = SmtpStage.MailFrom;
            var mail = new StringBuilder("MAIL FROM:<").Append(envelope.MailFrom.Trim()).Append('>');
            if (extensions.SizeLimit is { } sizeLimit)
            {
                if (sizeLimit > 0 && message.Length > sizeLimit)
                {
                    throw new SmtpDeliveryException(
                        $"The message ({message.Length} bytes) exceeds the server's SIZE limit ({sizeLimit} bytes).", stage, isPermanent: true);
                }

                mail.Append(" SIZE=").Append(message.Length.ToString(CultureInfo.InvariantCulture));
            }

            if (extensions.EightBitMime && SmtpDataEncoder.HasEightBitData(message.Span))
            {
                mail.Append(" BODY=8BITMIME");
            }

            var mailReply = await CommandAsync(connection, mail.ToString(), Arm);
            if (!mailReply.IsPositiveCompletion)
            {
                throw SmtpDeliveryException.FromReply(stage, "MAIL FROM", mailReply);
            }

            stage = SmtpStage.RecipientTo;
            var accepted = new List<string>();
            var rejected = new List<SmtpRecipientRejection>();
            foreach (var recipient in envelope.Recipients)
            {
                var reply = await CommandAsync(connection, "RCPT TO:<" + recipient.Trim() + ">", Arm);
                if (reply.IsPositiveCompletion)
                {
                    accepted.Add(recipient);
                }
                else
                {
                    rejected.Add(new SmtpRecipientRejection(recipient, reply));
                }
            }

            if (accepted.Count == 0)
            {
                var permanent = rejected.TrueForAll(r => r.IsPermanent);
                throw new SmtpDeliveryException(
                    $"Every recipient was refused: {string.Join("; ", rejected.Select(r => r.Reply.ToString()))}",
                    stage,
                    permanent,
                    rejected[^1].Reply,
                    rejected);
            }

            stage = SmtpStage.Data;
            var dataReply = await CommandAsync(connection, "DATA", Arm);
            if (dataReply.Code != 354)
            {
                throw SmtpDeliveryException.FromReply(stage, "DATA", dataReply);
            }

            // From here until the final reply the outcome is unknown: a failure is transient, and the stable
            // Message-ID lets receivers recognise a resend.
            sessionUsable = false;
            await connection.WriteAsync(SmtpDataEncoder.Encode(message.Span), Arm());
            var finalReply = await connection.ReadReplyAsync(Arm());
            sessionUsable = true;
            if (!finalReply.IsPositiveCompletion)
            {
                throw SmtpDeliveryException.FromReply(stage, "message transfer", finalReply);
            }

            await QuitAsync(connection);
            return new SmtpSendResult(accepted, rejected, finalReply);
        }
        catch (SmtpDeliveryException) when (sessionUsable && connection is not null)
        {
            await QuitAsync(connection);
            throw;
        }
        catch (Exception ex) when (ex is not SmtpDeliveryException and not ArgumentException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The SMTP send was cancelled.", ex, cancellationToken);
            }

            if (timeout.IsCancellationRequested)
            {
                throw SmtpDeliveryException.Transient(
                    stage, $"SMTP {_options.Host}:{_options.Port} timed out after {_options.Timeout.TotalSeconds:0.###} s at {stage}.", ex);
            }

            switch (ex)
            {
                case SocketException socket:
                    throw SmtpDeliveryException.Transient(
                        stage, $"SMTP {_options.Host}:{_options.Port} network error at {stage}: {socket.SocketErrorCode} ({socket.Message})", ex);
                case IOException or ObjectDisposedException:
                    throw SmtpDeliveryException.Transient(
                        stage, $"SMTP {_options.Host}:{_options.Port} connection failed at {stage}: {ex.Message}", ex);
                case AuthenticationException:
                    throw SmtpDeliveryException.Transient(
                        stage, $"TLS with {_options.Host}:{_options.Port} failed: {ex.Message}", ex);
                case SmtpProtocolException:
                    throw SmtpDeliveryException.Transient(
                        stage, $"SMTP {_options.Host}:{_options.Port} protocol error at {stage}: {ex.Message}", ex);
                default:
                    throw;
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private string TlsTargetHost => string.IsNullOrWhiteSpace(_options.TlsTargetHost) ? _options.Host : _options.TlsTargetHost;

    private async Task<SmtpExtensions> HelloAsync(SmtpConnection connection, Func<CancellationToken> arm)
    {
        var ehlo = await CommandAsync(connection, "EHLO " + _clientDomain, arm);
        if (ehlo.Code == 250)
        {
            return SmtpExtensions.Parse(ehlo);
        }

        if (ehlo.IsPermanentNegative)
        {
            // RFC 5321 §3.2: a server that does not support EHLO answers 5yz; fall back to HELO.
            var helo = await CommandAsync(connection, "HELO " + _clientDomain, arm);
            if (helo.Code == 250)
            {
                return SmtpExtensions.None;
            }

            throw SmtpDeliveryException.FromReply(SmtpStage.Hello, "HELO", helo);
        }

        throw SmtpDeliveryException.FromReply(SmtpStage.Hello, "EHLO", ehlo);
    }

    private async Task AuthenticateAsync(SmtpConnection connection, SmtpExtensions extensions, Func<CancellationToken> arm)
    {
        const SmtpStage stage = SmtpStage.Authentication;
        if (!connection.IsTls && !_options.AllowAuthenticationWithoutTls)
        {
            throw SmtpDeliveryException.Transient(
                stage,
                "SMTP credentials are configured but the connection is not encrypted: enable UseStartTls or UseImplicitTls " +
                "(or AllowAuthenticationWithoutTls for a trusted local relay). No credentials were sent.");
        }

        var username = _options.Username ?? string.Empty;
        var password = _options.Password ?? string.Empty;
        if (extensions.SupportsAuth("PLAIN"))
        {
            var token = Base64("\0" + username + "\0" + password);
            var reply = await CommandAsync(connection, "AUTH PLAIN " + token, arm);
            if (reply.Code == 334)
            {
                // A server that ignored the initial response asks for it again.
                reply = await CommandAsync(connection, token, arm);
            }

            if (reply.Code != 235)
            {
                throw SmtpDeliveryException.FromReply(stage, "AUTH PLAIN", reply);
            }

            return;
        }

        if (extensions.SupportsAuth("LOGIN"))
        {
            var reply = await CommandAsync(connection, "AUTH LOGIN", arm);
            if (reply.Code == 334)
            {
                reply = await CommandAsync(connection, Base64(username), arm);
            }

            if (reply.Code == 334)
            {
                reply = await CommandAsync(connection, Base64(password), arm);
            }

            if (reply.Code != 235)
            {
                throw SmtpDeliveryException.FromReply(stage, "AUTH LOGIN", reply);
            }

            return;
        }

        throw SmtpDeliveryException.Transient(
            stage,
            extensions.AuthMechanisms.Count == 0
                ? "Credentials are configured but the SMTP server offers no AUTH."
                : $"The SMTP server offers no supported AUTH mechanism (PLAIN, LOGIN); it offers {string.Join(' ', extensions.AuthMechanisms)}.");
    }

    private static async Task<SmtpReply> CommandAsync(SmtpConnection connection, string command, Func<CancellationToken> arm)
    {
        await connection.WriteLineAsync(command, arm());
        return await connection.ReadReplyAsync(arm());
    }

    private static async Task QuitAsync(SmtpConnection connection)
    {
        try
        {
            using var cts = new CancellationTokenSource(QuitTimeout);
            await connection.WriteLineAsync("QUIT", cts.Token);
            await connection.ReadReplyAsync(cts.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or SmtpProtocolException or ObjectDisposedException)
        {
            // The message (or the failure) is already settled; QUIT is a courtesy.
        }
    }

    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static string ClientDomain(string? configured)
    {
        var candidate = string.IsNullOrWhiteSpace(configured) ? Environment.MachineName : configured.Trim();
        if (!string.IsNullOrEmpty(candidate) && candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
        {
            return candidate;
        }

        return candidate.StartsWith('[') && candidate.EndsWith(']') ? candidate : "localhost";
    }
}

/// <summary>What the server announced in its EHLO reply.</summary>
internal sealed record SmtpExtensions(bool StartTls, IReadOnlyList<string> AuthMechanisms, long? SizeLimit, bool EightBitMime)
{
    public static readonly SmtpExtensions None = new(false, [], null, false);

    public bool SupportsAuth(string mechanism) => AuthMechanisms.Contains(mechanism, StringComparer.OrdinalIgnoreCase);

    public static SmtpExtensions Parse(SmtpReply ehlo)
    {
        var startTls = false;
        var eightBit = false;
        long? size = null;
        var auth = new List<string>();
        foreach (var line in ehlo.Lines.Skip(1))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            var keyword = parts[0].ToUpperInvariant();
            if (keyword == "STARTTLS")
            {
                startTls = true;
            }
            else if (keyword == "8BITMIME")
            {
                eightBit = true;
            }
            else if (keyword == "SIZE")
            {
                size = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : 0;
            }
            else if (keyword == "AUTH" || keyword.StartsWith("AUTH=", StringComparison.Ordinal))
            {
                var mechanisms = keyword == "AUTH" ? parts.Skip(1) : [parts[0][5..], .. parts.Skip(1)];
                foreach (var mechanism in mechanisms)
                {
                    if (!auth.Contains(mechanism, StringComparer.OrdinalIgnoreCase))
                    {
                        auth.Add(mechanism.ToUpperInvariant());
                    }
                }
            }
        }

        return new SmtpExtensions(startTls, auth, size, eightBit);
    }
}
