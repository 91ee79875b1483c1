using System.Net.Security;

namespace Jtai.Strategy.Notifications.Delivery.Smtp;

/// <summary>
/// Settings of the SMTP relay (configuration section <c>Smtp</c>, e.g. <c>Smtp__Host</c>, <c>Smtp__Port</c>).
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 25;

    /// <summary>Upgrade the connection with STARTTLS (RFC 3207) after EHLO; the send fails (transient) if the server does not offer it.</summary>
    public bool UseStartTls { get; set; }

    /// <summary>Connect with TLS from the first byte (SMTPS, usually port 465). Do not combine with <see cref="UseStartTls"/>.</summary>
    public bool UseImplicitTls { get; set; }

    /// <summary>When set (with <see cref="Password"/>), AUTH PLAIN or LOGIN is used.</summary>
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

    /// <summary>Custom server-certificate validation (e.g. pinning a private relay's certificate); system validation when null.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
}
