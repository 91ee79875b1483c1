using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Integration;

/// <summary>
/// End-to-end against a real SMTP server (Debian's aiosmtpd, private instance per test run): the e-mail channel over
/// the MailKit connection pool, with every failure class the relay can produce.
/// </summary>
[Collection(AiosmtpdCollection.Name)]
public sealed class AiosmtpdDeliveryTests(AiosmtpdFixture server)
{
    private static string NewId() => "it-" + Guid.NewGuid().ToString("N");

    private static OutgoingNotification Note(string id, string email, string subject = "s", string text = "t") =>
        new(id, new NotificationRecipient("R", email), new NotificationContent { Subject = subject, TextBody = text });

    private EmailChannel Channel(IMailRelay relay) => new(relay, server.Options());

    /// <summary>One e-mail through a fresh pool with the given relay settings.</summary>
    private async Task<DeliveryResult> SendOnceAsync(string id, string recipient, Action<SmtpOptions>? configure = null)
    {
        await using var relay = new SmtpRelayPool(server.Options(configure));
        return await Channel(relay).SendAsync(Note(id, recipient));
    }

    [Fact]
    public async Task Invitation_arrives_with_headers_bodies_and_a_decodable_calendar_part_and_no_case_details()
    {
        var renderer = new InvitationEmailRenderer(timeProvider: new FixedTimeProvider(TestData.Now));
        var rendered = renderer.RenderInvitation(TestData.Invitation());
        var id = NewId();
        await using var relay = new SmtpRelayPool(server.Options());
        var channel = Channel(relay);

        var result = await channel.SendAsync(new OutgoingNotification(
            id, new NotificationRecipient("Dana Officer", "dana.officer@police.example"), rendered.ToNotificationContent()));

        Assert.True(result.IsDelivered, result.Detail);
        var file = Assert.Single(server.MessagesWithId(id));
        var mail = await MailInspector.InspectFileAsync(file);
        Assert.Empty(mail.Defects);

        // Headers
        Assert.Equal("Strategy meeting SM-2026-000123 – invitation", mail.Header("Subject"));
        Assert.Equal("\"Strategy meetings (do not reply)\" <no-reply@strategy.example.gov.uk>", mail.Header("From"));
        Assert.Equal("Dana Officer <dana.officer@police.example>", mail.Header("To"));
        Assert.Equal($"<{id}@jtai-strategy>", mail.Header("Message-ID"));
        Assert.Equal(id, mail.Header("X-Jtai-Message-Id"));
        Assert.Equal("1.0", mail.Header("MIME-Version"));
        var date = DateTimeOffset.ParseExact(mail.Header("Date")!, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture);
        Assert.True((DateTimeOffset.UtcNow - date).Duration() < TimeSpan.FromMinutes(5));
        Assert.Equal("dana.officer@police.example", mail.Header("X-RcptTo"));
        Assert.Equal("no-reply@strategy.example.gov.uk", mail.Header("X-MailFrom"));
        string[] expectedHeaders =
        [
            "Date", "From", "To", "Subject", "Message-ID", "X-Jtai-Message-Id", "MIME-Version", "Content-Type",
            "X-Peer", "X-MailFrom", "X-RcptTo", "X-Test-Tls", "X-Test-Auth",
        ];
        Assert.Equal(expectedHeaders, mail.HeaderNames.ToArray());

        // Bodies
        var text = mail.Part("text/plain").Text!;
        Assert.Contains("Meeting reference: SM-2026-000123", text);
        Assert.Contains("When: Wednesday 24 June 2026, 10:00 to 11:30 (UK time)", text);
        Assert.Contains("Phone: 0300 123 4567", text);
        Assert.Contains("Conference code: 918273", text);
        Assert.Contains("PIN: 4321", text);
        Assert.Contains("Response link: https://strategy.example.gov.uk/respond/7f3c9a?token=abc123", text);
        Assert.Contains("Case details are available only after you sign in: https://strategy.example.gov.uk/sign-in?meeting=SM-2026-000123", text);
        Assert.Contains("Answer the invitation</a>", mail.Part("text/html").Text);

        // Calendar part (alternative) and the .ics file
        var calendarPart = mail.Part("text/calendar");
        Assert.Equal("REQUEST", calendarPart.Param("method"));
        var ics = Encoding.UTF8.GetString(calendarPart.Bytes);
        Assert.Equal(rendered.Calendar!.Content, ics);
        var lines = CalendarWriterTests.Unfolded(ics);
        Assert.Contains("METHOD:REQUEST", lines);
        Assert.Contains("UID:SM-2026-000123@jtai-strategy", lines);
        Assert.Contains("SEQUENCE:0", lines);
        Assert.Contains("DTSTART:20260624T090000Z", lines);
        Assert.Contains("DTEND:20260624T103000Z", lines);
        Assert.Contains("STATUS:CONFIRMED", lines);
        var attachment = mail.Part("application/ics", "attachment");
        Assert.Equal("invite.ics", attachment.FileName);
        Assert.Equal(ics, Encoding.UTF8.GetString(attachment.Bytes));

        // Minimal data rule: nothing about the child, in the raw message or in any decoded part or header.
        var raw = await File.ReadAllTextAsync(file);
        foreach (var forbidden in TestData.ForbiddenCaseValues)
        {
            Assert.DoesNotContain(forbidden, raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(forbidden, mail.AllDecodedText, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var word in new[] { "date of birth", "DOB", "home address", "postcode" })
        {
            Assert.DoesNotContain(word, mail.AllDecodedText, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Resend_of_the_same_notification_keeps_the_message_id()
    {
        var id = NewId();
        var rendered = new InvitationEmailRenderer().RenderInvitation(TestData.Invitation());
        var notification = new OutgoingNotification(id, new NotificationRecipient("Dana Officer", "dana.officer@police.example"), rendered.ToNotificationContent());
        await using var relay = new SmtpRelayPool(server.Options());
        var channel = Channel(relay);

        Assert.True((await channel.SendAsync(notification)).IsDelivered);
        Assert.True((await channel.SendAsync(notification)).IsDelivered);

        var files = server.MessagesWithId(id);
        Assert.Equal(2, files.Count);
        var ids = await Task.WhenAll(files.Select(async f => (await MailInspector.InspectFileAsync(f)).Header("Message-ID")));
        Assert.All(ids, v => Assert.Equal($"<{id}@jtai-strategy>", v));
    }

    [Fact]
    public async Task Cancellation_arrives_as_method_cancel()
    {
        var id = NewId();
        var rendered = new InvitationEmailRenderer().RenderCancellation(TestData.Cancellation(sequence: 3));
        await using var relay = new SmtpRelayPool(server.Options());
        var channel = Channel(relay);

        var result = await channel.SendAsync(new OutgoingNotification(id, new NotificationRecipient("Dana Officer", "dana.officer@police.example"), rendered.ToNotificationContent()));

        Assert.True(result.IsDelivered, result.Detail);
        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithId(id)));
        Assert.Equal("Strategy meeting SM-2026-000123 – cancelled", mail.Header("Subject"));
        var calendarPart = mail.Part("text/calendar");
        Assert.Equal("CANCEL", calendarPart.Param("method"));
        var lines = CalendarWriterTests.Unfolded(Encoding.UTF8.GetString(calendarPart.Bytes));
        Assert.Contains("METHOD:CANCEL", lines);
        Assert.Contains("STATUS:CANCELLED", lines);
        Assert.Contains("SEQUENCE:3", lines);
        Assert.Equal("cancel.ics", mail.Part("application/ics").FileName);
    }

    [Theory]
    [InlineData("reject-c@agency.example", DeliveryOutcome.PermanentFailure, "550")]
    [InlineData("tempfail-c@agency.example", DeliveryOutcome.TransientFailure, "451")]
    [InlineData("datareject-c@agency.example", DeliveryOutcome.PermanentFailure, "554")]
    [InlineData("datatempfail-c@agency.example", DeliveryOutcome.TransientFailure, "452")]
    public async Task Refusals_are_classified_by_reply_class_and_nothing_is_stored(string recipient, DeliveryOutcome expected, string code)
    {
        var id = NewId();
        var result = await SendOnceAsync(id, recipient);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == DeliveryOutcome.TransientFailure, result.ShouldRetry);
        Assert.Contains(code, result.Detail);
        Assert.Empty(server.MessagesWithId(id));
    }

    [Fact]
    public async Task After_a_refusal_the_pool_still_delivers()
    {
        var id = NewId();
        await using var relay = new SmtpRelayPool(server.Options(o => o.PoolSize = 1));
        var channel = Channel(relay);

        Assert.True((await channel.SendAsync(Note(NewId(), "reject-d@agency.example"))).IsPermanentFailure);
        Assert.True((await channel.SendAsync(Note(id, "ok@agency.example"))).IsDelivered);

        Assert.Single(server.MessagesWithId(id));
    }

    [Fact]
    public async Task Connection_refused_is_transient()
    {
        var closedPort = AiosmtpdFixture.FreeTcpPort();
        var channelResult = await SendOnceAsync(NewId(), "ok@agency.example", o => o.Port = closedPort);

        Assert.Equal(DeliveryOutcome.TransientFailure, channelResult.Outcome);
        Assert.Contains("SocketException", channelResult.Detail);
    }

    [Fact]
    public async Task Starttls_then_auth_delivers_over_tls_as_the_authenticated_user()
    {
        var id = NewId();
        var result = await SendOnceAsync(id, "ok@agency.example", o =>
        {
            o.UseStartTls = true;
            o.TlsTargetHost = "localhost";
            o.ServerCertificateValidation = server.PinnedCertificate;
            o.Username = AiosmtpdFixture.Username;
            o.Password = AiosmtpdFixture.Password;
        });

        Assert.True(result.IsDelivered, result.Detail);
        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithId(id)));
        Assert.Equal("yes", mail.Header("X-Test-Tls"));
        Assert.Equal(AiosmtpdFixture.Username, mail.Header("X-Test-Auth"));
    }

    [Fact]
    public async Task Starttls_with_wrong_password_is_a_permanent_authentication_failure()
    {
        var result = await SendOnceAsync(NewId(), "ok@agency.example", o =>
        {
            o.UseStartTls = true;
            o.ServerCertificateValidation = server.PinnedCertificate;
            o.Username = AiosmtpdFixture.Username;
            o.Password = "wrong";
        });

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("535", result.Detail);
    }

    [Fact]
    public async Task Credentials_are_never_sent_over_an_unencrypted_connection_by_default()
    {
        var id = NewId();
        var result = await SendOnceAsync(id, "ok@agency.example", o =>
        {
            o.Username = AiosmtpdFixture.Username;
            o.Password = AiosmtpdFixture.Password;
        });

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("No credentials were sent", result.Detail);
        Assert.Empty(server.MessagesWithId(id));
    }

    [Fact]
    public async Task Untrusted_server_certificate_is_a_transient_tls_failure()
    {
        var id = NewId();
        var result = await SendOnceAsync(id, "ok@agency.example", o => o.Security = SmtpSecurity.StartTls);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("TLS", result.Detail);
        Assert.Empty(server.MessagesWithId(id));
    }

    [Fact]
    public async Task Lines_starting_with_a_dot_survive_the_real_server()
    {
        var id = NewId();
        var body = ".one leading dot\n..two leading dots\n.\nFrom the team\nlast line\n";
        await using var relay = new SmtpRelayPool(server.Options());

        Assert.True((await Channel(relay).SendAsync(Note(id, "ok@agency.example", text: body))).IsDelivered);

        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithId(id)));
        Assert.Equal(body, mail.Part("text/plain").Text!.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Non_ascii_subject_names_and_body_arrive_intact()
    {
        var id = NewId();
        var subject = "Ärger – " + string.Concat(Enumerable.Repeat("Zoë’s meeting 😀 ", 6)) + "end";
        var text = "Hello Zoë Ærø-Łukasz,\ncafé ☕ – " + string.Concat(Enumerable.Repeat("naïve ", 30)) + "\n";
        await using var relay = new SmtpRelayPool(server.Options());

        var result = await Channel(relay).SendAsync(new OutgoingNotification(
            id, new NotificationRecipient("Zoë Ærø-Łukasz", "zoe@police.example"), new NotificationContent { Subject = subject, TextBody = text }));

        Assert.True(result.IsDelivered, result.Detail);
        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithId(id)));
        Assert.Empty(mail.Defects);
        Assert.Equal(subject, mail.Header("Subject"));
        Assert.Equal("Zoë Ærø-Łukasz <zoe@police.example>", mail.Header("To"));
        Assert.Equal(text, mail.Part("text/plain").Text!.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_closing_the_connection_before_its_final_reply_is_transient_and_the_retry_arrives_once_with_the_same_message_id()
    {
        var id = NewId();
        await using var relay = new SmtpRelayPool(server.Options(o => o.PoolSize = 1));
        var channel = Channel(relay);
        var notification = Note(id, "dropdata2-a@agency.example");

        var first = await channel.SendAsync(notification);
        var second = await channel.SendAsync(notification);
        var third = await channel.SendAsync(notification);

        Assert.Equal(DeliveryOutcome.TransientFailure, first.Outcome);
        Assert.Equal(DeliveryOutcome.TransientFailure, second.Outcome);
        Assert.True(third.IsDelivered, third.Detail);
        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithId(id)));
        Assert.Equal($"<{id}@jtai-strategy>", mail.Header("Message-ID"));
    }

    [Fact]
    public async Task Connections_are_reused_for_many_e_mails()
    {
        var ids = Enumerable.Range(0, 12).Select(_ => NewId()).ToList();
        await using var relay = new SmtpRelayPool(server.Options(o => o.PoolSize = 2));
        var channel = Channel(relay);

        var results = await Task.WhenAll(ids.Select(id => channel.SendAsync(Note(id, "ok@agency.example"))));

        Assert.All(results, r => Assert.True(r.IsDelivered, r.Detail));
        var files = ids.Select(id => Assert.Single(server.MessagesWithId(id))).ToList();
        Assert.InRange(await server.ConnectionsUsedAsync(files), 1, 2);
    }

    [Fact]
    public async Task A_connection_carries_at_most_the_configured_number_of_messages()
    {
        var ids = Enumerable.Range(0, 7).Select(_ => NewId()).ToList();
        await using var relay = new SmtpRelayPool(server.Options(o =>
        {
            o.PoolSize = 1;
            o.MaxMessagesPerConnection = 3;
        }));
        var channel = Channel(relay);

        foreach (var id in ids)
        {
            Assert.True((await channel.SendAsync(Note(id, "ok@agency.example"))).IsDelivered);
        }

        var files = ids.Select(id => Assert.Single(server.MessagesWithId(id))).ToList();
        Assert.Equal(3, await server.ConnectionsUsedAsync(files));
    }

    [Fact]
    public async Task Silent_relay_times_out_as_a_transient_failure_and_caller_cancellation_is_not_a_verdict()
    {
        // A listener that accepts and never greets: a hung relay.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using var relay = new SmtpRelayPool(server.Options(o =>
            {
                o.Port = port;
                o.Timeout = TimeSpan.FromMilliseconds(500);
            }));

            var timedOut = await Channel(relay).SendAsync(Note(NewId(), "ok@agency.example"));
            Assert.Equal(DeliveryOutcome.TransientFailure, timedOut.Outcome);

            using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await using var patientRelay = new SmtpRelayPool(server.Options(o => o.Port = port));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Channel(patientRelay).SendAsync(Note(NewId(), "ok@agency.example"), cancelled.Token));
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>A relay that requires STARTTLS and AUTH before it accepts mail (python/jtai_strict_relay.py).</summary>
public sealed class StrictRelayDeliveryTests(StrictRelayFixture relayServer) : IClassFixture<StrictRelayFixture>
{
    private SmtpOptions Secured(string password) => relayServer.Options(o =>
    {
        o.Security = SmtpSecurity.StartTls;
        o.TlsTargetHost = "localhost";
        o.PinnedCertificateSha256 = relayServer.CertificateSha256;
        o.Username = AiosmtpdFixture.Username;
        o.Password = password;
    });

    private static OutgoingNotification Note(string id) =>
        new(id, new NotificationRecipient("Dana Officer", "dana.officer@police.example"), new NotificationContent { Subject = "s", TextBody = "t" });

    [Fact]
    public async Task With_the_right_credentials_e_mails_arrive_over_tls_as_the_authenticated_user_on_one_connection()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => "strict-" + Guid.NewGuid().ToString("N")).ToList();
        await using var relay = new SmtpRelayPool(Secured(AiosmtpdFixture.Password));
        var channel = new EmailChannel(relay, Secured(AiosmtpdFixture.Password));

        foreach (var id in ids)
        {
            var result = await channel.SendAsync(Note(id));
            Assert.True(result.IsDelivered, result.Detail);
        }

        var files = ids.Select(id => Assert.Single(relayServer.MessagesWithId(id))).ToList();
        var mail = await MailInspector.InspectFileAsync(files[0]);
        Assert.Equal("yes", mail.Header("X-Test-Tls"));
        Assert.Equal(AiosmtpdFixture.Username, mail.Header("X-Test-Auth"));
        Assert.Equal(1, await relayServer.ConnectionsUsedAsync(files));
    }

    [Fact]
    public async Task Wrong_credentials_are_a_permanent_failure_535()
    {
        var id = "strict-" + Guid.NewGuid().ToString("N");
        await using var relay = new SmtpRelayPool(Secured("wrong"));

        var result = await new EmailChannel(relay, Secured("wrong")).SendAsync(Note(id));

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("535", result.Detail);
        Assert.Empty(relayServer.MessagesWithId(id));
    }

    [Fact]
    public async Task Without_starttls_the_relay_refuses_and_no_credentials_are_sent()
    {
        var id = "strict-" + Guid.NewGuid().ToString("N");
        var plain = Secured(AiosmtpdFixture.Password);
        plain.Security = SmtpSecurity.None;
        await using var relay = new SmtpRelayPool(plain);

        var result = await new EmailChannel(relay, plain).SendAsync(Note(id));

        Assert.False(result.IsDelivered);
        Assert.Contains("No credentials were sent", result.Detail);
        Assert.Empty(relayServer.MessagesWithId(id));
    }
}
