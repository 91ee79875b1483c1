using System.Net.Security;
using System.Security.Cryptography;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>How the connection to the relay is secured (maps onto MailKit's <c>SecureSocketOptions</c>).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text; only for a relay on loopback or a trusted network.</summary>
    None,

    /// <summary>STARTTLS (RFC 3207) after EHLO, required: the send fails (transient) if the relay does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,

    /// <summary>TLS from the first byte on port 465, otherwise STARTTLS when the relay offers it (plain text when it does not).</summary>
    Auto,
}

/// <summary>
/// Settings of the SMTP relay (configuration section <c>Smtp</c>, e.g. <c>Smtp__Host</c>, <c>Smtp__Port</c>).
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 25;

    /// <summary>How the connection is secured. When unset, <see cref="UseStartTls"/> and <see cref="UseImplicitTls"/> decide (older setting names).</summary>
    public SmtpSecurity? Security { get; set; }

    /// <summary>Older name for <see cref="SmtpSecurity.StartTls"/>; used when <see cref="Security"/> is unset.</summary>
    public bool UseStartTls { get; set; }

    /// <summary>Older name for <see cref="SmtpSecurity.SslOnConnect"/>; used when <see cref="Security"/> is unset. Do not combine with <see cref="UseStartTls"/>.</summary>
    public bool UseImplicitTls { get; set; }

    /// <summary>When set (with <see cref="Password"/>), each pooled connection authenticates (the strongest SASL mechanism both sides support).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Credentials are only sent over TLS unless this is true (for a trusted loopback relay only).</summary>
    public bool AllowAuthenticationWithoutTls { get; set; }

    /// <summary>Envelope sender (MAIL FROM) and From header address of outgoing e-mail.</summary>
    public string FromAddress { get; set; } = "";

    /// <summary>Display name of the From header, e.g. "Strategy meetings (no reply)".</summary>
    public string? FromDisplayName { get; set; }

    /// <summary>Limit for connecting and for each command/reply exchange (the message transfer included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Name announced in EHLO/HELO; the machine's host name when empty.</summary>
    public string? ClientDomain { get; set; }

    /// <summary>Host name checked against the server certificate; <see cref="Host"/> when empty.</summary>
    public string? TlsTargetHost { get; set; }

    /// <summary>
    /// Pins a private relay's certificate: its SHA-256 fingerprint (hex, colons allowed). When set, exactly that
    /// certificate is trusted (whatever its chain); when unset, the system's validation applies. Never a blanket "accept all".
    /// </summary>
    public string? PinnedCertificateSha256 { get; set; }

    /// <summary>Custom server-certificate validation (in code, e.g. a test's pin); wins over <see cref="PinnedCertificateSha256"/>.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>Authenticated connections kept open to the relay, and the most messages in flight at once.</summary>
    public int PoolSize { get; set; } = 16;

    /// <summary>Messages sent over one connection before it is closed and a fresh one opened (relays limit messages per session).</summary>
    public int MaxMessagesPerConnection { get; set; } = 100;

    /// <summary>An idle connection older than this is checked with NOOP before reuse (relays drop idle sessions).</summary>
    public TimeSpan IdleCheckAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The security mode in force: <see cref="Security"/>, else the older booleans.</summary>
    public SmtpSecurity EffectiveSecurity =>
        Security ?? (UseImplicitTls ? SmtpSecurity.SslOnConnect : UseStartTls ? SmtpSecurity.StartTls : SmtpSecurity.None);

    /// <summary>Throws when the settings cannot work (checked once, when the relay is created).</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host, nameof(Host));
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Smtp Port must be 1-65535.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Smtp Timeout must be positive.");
        }

        if (Security is null && UseStartTls && UseImplicitTls)
        {
            throw new ArgumentException("UseStartTls and UseImplicitTls cannot both be set.");
        }

        if (PoolSize < 1 || MaxMessagesPerConnection < 1)
        {
            throw new ArgumentException("Smtp PoolSize and MaxMessagesPerConnection must be at least 1.");
        }

        if (PinnedCertificateSha256 is { } pin && PinBytes(pin).Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("Smtp PinnedCertificateSha256 must be a SHA-256 fingerprint (64 hex digits).");
        }
    }

    internal static byte[] PinBytes(string pin)
    {
        try
        {
            return Convert.FromHexString(pin.Replace(":", string.Empty, StringComparison.Ordinal).Trim());
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
