using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Smtp;
using Jtai.Strategy.Notifications.Delivery.Tests.Calendar;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Integration;

/// <summary>End-to-end against a real SMTP server (Debian's aiosmtpd, private instance per test run).</summary>
[Collection(AiosmtpdCollection.Name)]
public sealed class AiosmtpdDeliveryTests(AiosmtpdFixture server)
{
    private static string NewId() => "it-" + Guid.NewGuid().ToString("N");

    private static byte[] Probe(string marker) => Encoding.ASCII.GetBytes(
        $"From: no-reply@strategy.example.gov.uk\r\nTo: x@example.org\r\nSubject: probe\r\nX-Probe: {marker}\r\n\r\nhello\r\n");

    [Fact]
    public async Task Invitation_arrives_with_headers_bodies_and_a_decodable_calendar_part_and_no_case_details()
    {
        var renderer = new InvitationEmailRenderer(timeProvider: new FixedTimeProvider(TestData.Now));
        var rendered = renderer.RenderInvitation(TestData.Invitation());
        var id = NewId();
        var channel = new EmailChannel(new SmtpClient(server.Options()), server.Options());

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
        var lines = IcsWriterTests.Unfolded(ics);
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
        var channel = new EmailChannel(new SmtpClient(server.Options()), server.Options());

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
        var channel = new EmailChannel(new SmtpClient(server.Options()), server.Options());

        var result = await channel.SendAsync(new OutgoingNotification(id, new NotificationRecipient("Dana Officer", "dana.officer@police.example"), rendered.ToNotificationContent()));

        Assert.True(result.IsDelivered, result.Detail);
        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithId(id)));
        Assert.Equal("Strategy meeting SM-2026-000123 – cancelled", mail.Header("Subject"));
        var calendarPart = mail.Part("text/calendar");
        Assert.Equal("CANCEL", calendarPart.Param("method"));
        var lines = IcsWriterTests.Unfolded(Encoding.UTF8.GetString(calendarPart.Bytes));
        Assert.Contains("METHOD:CANCEL", lines);
        Assert.Contains("STATUS:CANCELLED", lines);
        Assert.Contains("SEQUENCE:3", lines);
        Assert.Equal("cancel.ics", mail.Part("application/ics").FileName);
    }

    [Fact]
    public async Task Per_recipient_refusals_are_collected_and_classified_while_others_receive_the_message()
    {
        var marker = NewId();
        var client = new SmtpClient(server.Options());

        var result = await client.SendAsync(
            new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["ok-1@agency.example", "reject-1@agency.example", "tempfail-1@agency.example", "ok-2@agency.example"]),
            Probe(marker));

        Assert.Equal(["ok-1@agency.example", "ok-2@agency.example"], result.AcceptedRecipients);
        Assert.Equal(2, result.RejectedRecipients.Count);
        var rejected = result.RejectedRecipients.Single(r => r.Recipient == "reject-1@agency.example");
        Assert.True(rejected.IsPermanent);
        Assert.Equal(550, rejected.Reply.Code);
        Assert.Equal("5.1.1", rejected.Reply.EnhancedStatusCode);
        Assert.Contains("mailbox unavailable", rejected.Reply.Message);
        var deferred = result.RejectedRecipients.Single(r => r.Recipient == "tempfail-1@agency.example");
        Assert.False(deferred.IsPermanent);
        Assert.Equal(451, deferred.Reply.Code);
        Assert.Equal(250, result.DataReply.Code);

        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithHeaderText($"X-Probe: {marker}")));
        Assert.Equal("ok-1@agency.example, ok-2@agency.example", mail.Header("X-RcptTo"));
    }

    [Fact]
    public async Task Only_permanently_refused_recipients_is_a_permanent_failure()
    {
        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => new SmtpClient(server.Options())
            .SendAsync(new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["reject-a@agency.example", "reject-b@agency.example"]), Probe(NewId())));

        Assert.True(ex.IsPermanent);
        Assert.Equal(SmtpStage.RecipientTo, ex.Stage);
        Assert.Equal(2, ex.RejectedRecipients.Count);
        Assert.Equal(550, ex.Reply!.Code);

        var channelResult = await new EmailChannel(new SmtpClient(server.Options()), server.Options()).SendAsync(
            new OutgoingNotification(NewId(), new NotificationRecipient("R", "reject-c@agency.example"), new NotificationContent { Subject = "s", TextBody = "t" }));
        Assert.Equal(DeliveryOutcome.PermanentFailure, channelResult.Outcome);
        Assert.Contains("550", channelResult.Detail);
    }

    [Fact]
    public async Task Temporarily_refused_recipients_are_a_transient_failure()
    {
        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => new SmtpClient(server.Options())
            .SendAsync(new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["tempfail-a@agency.example", "reject-b@agency.example"]), Probe(NewId())));

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.RecipientTo, ex.Stage);

        var channelResult = await new EmailChannel(new SmtpClient(server.Options()), server.Options()).SendAsync(
            new OutgoingNotification(NewId(), new NotificationRecipient("T", "tempfail-c@agency.example"), new NotificationContent { Subject = "s", TextBody = "t" }));
        Assert.Equal(DeliveryOutcome.TransientFailure, channelResult.Outcome);
        Assert.True(channelResult.ShouldRetry);
    }

    [Fact]
    public async Task Connection_refused_is_transient()
    {
        var closedPort = AiosmtpdFixture.FreeTcpPort();
        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => new SmtpClient(server.Options(o => o.Port = closedPort))
            .SendAsync(new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["ok@agency.example"]), Probe(NewId())));

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.Connect, ex.Stage);
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(ex.InnerException).SocketErrorCode);

        var channelResult = await new EmailChannel(new SmtpClient(server.Options(o => o.Port = closedPort)), server.Options()).SendAsync(
            new OutgoingNotification(NewId(), new NotificationRecipient("T", "ok@agency.example"), new NotificationContent { Subject = "s", TextBody = "t" }));
        Assert.Equal(DeliveryOutcome.TransientFailure, channelResult.Outcome);
    }

    [Fact]
    public async Task Starttls_then_auth_plain_delivers_over_tls_as_the_authenticated_user()
    {
        var marker = NewId();
        var client = new SmtpClient(server.Options(o =>
        {
            o.UseStartTls = true;
            o.TlsTargetHost = "localhost";
            o.ServerCertificateValidation = server.PinnedCertificate;
            o.Username = AiosmtpdFixture.Username;
            o.Password = AiosmtpdFixture.Password;
        }));

        var result = await client.SendAsync(new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["ok@agency.example"]), Probe(marker));

        Assert.True(result.AllRecipientsAccepted);
        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithHeaderText($"X-Probe: {marker}")));
        Assert.Equal("yes", mail.Header("X-Test-Tls"));
        Assert.Equal(AiosmtpdFixture.Username, mail.Header("X-Test-Auth"));
    }

    [Fact]
    public async Task Starttls_with_wrong_password_is_a_permanent_authentication_failure()
    {
        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => new SmtpClient(server.Options(o =>
        {
            o.UseStartTls = true;
            o.ServerCertificateValidation = server.PinnedCertificate;
            o.Username = AiosmtpdFixture.Username;
            o.Password = "wrong";
        })).SendAsync(new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["ok@agency.example"]), Probe(NewId())));

        Assert.True(ex.IsPermanent);
        Assert.Equal(SmtpStage.Authentication, ex.Stage);
        Assert.Equal(535, ex.Reply!.Code);
    }

    [Fact]
    public async Task Untrusted_server_certificate_is_a_transient_tls_failure()
    {
        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => new SmtpClient(server.Options(o => o.UseStartTls = true))
            .SendAsync(new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["ok@agency.example"]), Probe(NewId())));

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.StartTls, ex.Stage);
        Assert.IsType<AuthenticationException>(ex.InnerException);
    }

    [Fact]
    public async Task Lines_starting_with_a_dot_survive_the_real_server()
    {
        var marker = NewId();
        var body = ".one leading dot\r\n..two leading dots\r\n.\r\nlast line\r\n";
        var message = Encoding.ASCII.GetBytes(
            $"From: no-reply@strategy.example.gov.uk\r\nTo: ok@agency.example\r\nSubject: dots\r\nX-Probe: {marker}\r\n\r\n{body}");

        await new SmtpClient(server.Options()).SendAsync(new SmtpEnvelope(AiosmtpdFixture.FromAddress, ["ok@agency.example"]), message);

        var mail = await MailInspector.InspectFileAsync(Assert.Single(server.MessagesWithHeaderText($"X-Probe: {marker}")));
        Assert.Equal(body.Replace("\r\n", "\n", StringComparison.Ordinal), mail.Part("text/plain").Text!.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
