using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Integration;

/// <summary>
/// Starts a private aiosmtpd (Debian's python3-aiosmtpd) on a free loopback port with the test handler
/// (python/jtai_test_smtp.py: maildir storage, RCPT refusals for reject*/tempfail*, AUTH after STARTTLS) and a
/// throw-away self-signed certificate for STARTTLS; stops it and deletes its folder afterwards.
/// Independent of the shared development server on 27025.
/// </summary>
public class AiosmtpdFixture : IAsyncLifetime
{
    public const string Username = "jtai-test";
    public const string Password = "dev-only-password";
    public const string FromAddress = "no-reply@strategy.example.gov.uk";

    private readonly StringBuilder _serverOutput = new();
    private Process? _process;
    private string _root = "";

    public int Port { get; private set; }

    /// <summary>The maildir: aiosmtpd creates it; delivered messages are files under <c>new/</c>.</summary>
    public string MailDir { get; private set; } = "";

    public X509Certificate2 Certificate { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(TestPaths.Aiosmtpd))
        {
            throw new InvalidOperationException(
                $"{TestPaths.Aiosmtpd} is missing: install it with 'apt-get install -y python3-aiosmtpd'.");
        }

        _root = Path.Combine(Path.GetTempPath(), $"jtai-delivery-smtp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        MailDir = Path.Combine(_root, "mailbox"); // must not exist before aiosmtpd starts
        var (certPath, keyPath) = WriteSelfSignedCertificate(_root);
        Port = FreeTcpPort();

        var psi = new ProcessStartInfo(TestPaths.SystemPython)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        foreach (var arg in ServerArguments(certPath, keyPath))
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["PYTHONPATH"] = TestPaths.PythonDirectory;
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        _process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start aiosmtpd.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilReadyAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>What the system Python runs: aiosmtpd's command line with the test handler, STARTTLS offered but optional.</summary>
    protected virtual IReadOnlyList<string> ServerArguments(string certPath, string keyPath) =>
    [
        TestPaths.Aiosmtpd, "-n", "-l", $"127.0.0.1:{Port}", "-c", "jtai_test_smtp.RejectingMailbox",
        "--tlscert", certPath, "--tlskey", keyPath, "--no-requiretls", MailDir,
    ];

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
        Certificate?.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    public SmtpOptions Options(Action<SmtpOptions>? configure = null)
    {
        var options = new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = Port,
            FromAddress = FromAddress,
            FromDisplayName = "Strategy meetings (do not reply)",
            ClientDomain = "delivery-tests.local",
            Timeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The SHA-256 fingerprint of this fixture's certificate, for <see cref="SmtpOptions.PinnedCertificateSha256"/>.</summary>
    public string CertificateSha256 => Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Distinct client connections (aiosmtpd's X-Peer header: address and port) that carried the given messages.</summary>
    public async Task<int> ConnectionsUsedAsync(IEnumerable<string> files)
    {
        var peers = await Task.WhenAll(files.Select(async f => (await MailInspector.InspectFileAsync(f)).Header("X-Peer")));
        return peers.Distinct().Count();
    }

    /// <summary>Trusts exactly this fixture's certificate (pinning), as a private relay would be configured.</summary>
    public RemoteCertificateValidationCallback PinnedCertificate =>
        (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    /// <summary>Every delivered message file (maildir <c>new/</c>).</summary>
    public IReadOnlyList<string> MessageFiles()
    {
        var dir = Path.Combine(MailDir, "new");
        return Directory.Exists(dir) ? Directory.GetFiles(dir) : [];
    }

    /// <summary>The delivered message files whose headers carry <c>X-Jtai-Message-Id: {id}</c> (aiosmtpd has stored them before answering 250).</summary>
    public IReadOnlyList<string> MessagesWithId(string id) =>
        MessageFiles().Where(f => HeaderSection(f).Contains($"\nX-Jtai-Message-Id: {id}\n", StringComparison.Ordinal)).ToList();

    /// <summary>The delivered message files whose headers contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> MessagesWithHeaderText(string text) =>
        MessageFiles().Where(f => HeaderSection(f).Contains(text, StringComparison.Ordinal)).ToList();

    public string ServerOutput
    {
        get
        {
            lock (_serverOutput)
            {
                return _serverOutput.ToString();
            }
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
        if (line is null)
        {
            return;
        }

        lock (_serverOutput)
        {
            _serverOutput.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode}: {ServerOutput}");
            }

            try
            {
                using var client = new TcpClient();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
                var buffer = new byte[512];
                var read = await client.GetStream().ReadAsync(buffer, cts.Token);
                if (read >= 3 && Encoding.ASCII.GetString(buffer, 0, 3) == "220")
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"aiosmtpd did not answer on port {Port} within {limit}: {ServerOutput}");
    }

    private (string CertPath, string KeyPath) WriteSelfSignedCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, Certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    internal static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>The same handler behind a relay that requires STARTTLS and then AUTH before MAIL FROM (python/jtai_strict_relay.py).</summary>
public sealed class StrictRelayFixture : AiosmtpdFixture
{
    protected override IReadOnlyList<string> ServerArguments(string certPath, string keyPath) =>
        ["-m", "jtai_strict_relay", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), certPath, keyPath, MailDir];
}

[CollectionDefinition(Name)]
public sealed class AiosmtpdCollection : ICollectionFixture<AiosmtpdFixture>
{
    public const string Name = "aiosmtpd";
}
