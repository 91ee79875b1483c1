using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Jtai.Strategy.Notifications.Delivery.Smtp;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Smtp;

/// <summary>Protocol edge cases against an in-process scripted server (the real-server tests are in Integration/).</summary>
public sealed class SmtpClientProtocolTests
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("Subject: test\r\n\r\n.hidden line\r\nbody\r\n");
    private static readonly SmtpEnvelope Envelope = new("sender@example.org", ["rcpt@example.org"]);

    private static SmtpClient Client(int port, Action<SmtpOptions>? configure = null)
    {
        var options = new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = port,
            FromAddress = "sender@example.org",
            ClientDomain = "client.example",
            Timeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return new SmtpClient(options);
    }

    [Fact]
    public async Task Multi_line_replies_split_across_packets_are_read_and_data_is_dot_stuffed()
    {
        List<string>? data = null;
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.SendRawAsync("220-fake.example ESMTP\r\n220-second greeting line\r\n22");
            await Task.Delay(30);
            await s.SendRawAsync("0 ready\r\n");
            await s.ExpectAsync("EHLO client.example");
            await s.SendRawAsync("250-fake.example\r\n250-PIPELINING\r\n250-SIZE 1000");
            await Task.Delay(30);
            await s.SendRawAsync("0000\r\n250 8BITMIME\r\n");
            await s.ExpectAsync($"MAIL FROM:<sender@example.org> SIZE={Message.Length}");
            await s.ReplyAsync("250 OK");
            await s.ExpectAsync("RCPT TO:<rcpt@example.org>");
            await s.ReplyAsync("250 OK");
            await s.ExpectAsync("DATA");
            await s.ReplyAsync("354 go ahead");
            data = await s.ReadDataAsync();
            await s.ReplyAsync("250-2.0.0 first", "250 2.0.0 OK queued as ABC");
            await s.ExpectAsync("QUIT");
            await s.ReplyAsync("221 bye");
        });

        var result = await Client(server.Port).SendAsync(Envelope, Message);
        await server.Completion;

        Assert.Equal(["rcpt@example.org"], result.AcceptedRecipients);
        Assert.Empty(result.RejectedRecipients);
        Assert.Equal(250, result.DataReply.Code);
        Assert.Equal(["2.0.0 first", "2.0.0 OK queued as ABC"], result.DataReply.Lines);
        Assert.Equal(["Subject: test", "", "..hidden line", "body"], data);
    }

    [Fact]
    public async Task Falls_back_to_helo_when_ehlo_is_not_recognised()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.ReplyAsync("220 old.example SMTP");
            await s.ExpectAsync("EHLO ");
            await s.ReplyAsync("502 5.5.1 Command not implemented");
            await s.ExpectAsync("HELO client.example");
            await s.ReplyAsync("250 old.example");
            await s.AcceptOneMessageAsync();
        });

        var result = await Client(server.Port).SendAsync(Envelope, Message);
        await server.Completion;

        Assert.True(result.AllRecipientsAccepted);
        Assert.DoesNotContain(server.Received, l => l.Contains("SIZE=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Message_larger_than_the_advertised_size_fails_permanently_before_mail_from()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("SIZE 10");
            await s.ExpectAsync("QUIT");
            await s.ReplyAsync("221 bye");
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port).SendAsync(Envelope, Message));
        await server.Completion;

        Assert.True(ex.IsPermanent);
        Assert.Equal(SmtpStage.MailFrom, ex.Stage);
        Assert.DoesNotContain(server.Received, l => l.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_login_sends_base64_username_and_password_when_allowed_without_tls()
    {
        string? user = null, password = null;
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("AUTH LOGIN", "8BITMIME");
            await s.ExpectAsync("AUTH LOGIN");
            await s.ReplyAsync("334 VXNlcm5hbWU6");
            user = Encoding.UTF8.GetString(Convert.FromBase64String((await s.ReadLineAsync())!));
            await s.ReplyAsync("334 UGFzc3dvcmQ6");
            password = Encoding.UTF8.GetString(Convert.FromBase64String((await s.ReadLineAsync())!));
            await s.ReplyAsync("235 2.7.0 Authentication successful");
            await s.AcceptOneMessageAsync();
        });

        await Client(server.Port, o =>
        {
            o.Username = "relay-user";
            o.Password = "pässword";
            o.AllowAuthenticationWithoutTls = true;
        }).SendAsync(Envelope, Message);
        await server.Completion;

        Assert.Equal("relay-user", user);
        Assert.Equal("pässword", password);
    }

    [Fact]
    public async Task Auth_plain_with_initial_response_and_rejected_credentials_is_permanent()
    {
        string? authLine = null;
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("AUTH=PLAIN", "AUTH PLAIN LOGIN");
            authLine = await s.ExpectAsync("AUTH PLAIN ");
            await s.ReplyAsync("535 5.7.8 Authentication credentials invalid");
            await s.ExpectAsync("QUIT");
            await s.ReplyAsync("221 bye");
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port, o =>
        {
            o.Username = "u";
            o.Password = "p";
            o.AllowAuthenticationWithoutTls = true;
        }).SendAsync(Envelope, Message));
        await server.Completion;

        Assert.True(ex.IsPermanent);
        Assert.Equal(SmtpStage.Authentication, ex.Stage);
        Assert.Equal(535, ex.Reply!.Code);
        Assert.Equal("5.7.8", ex.Reply.EnhancedStatusCode);
        Assert.Equal("\0u\0p", Encoding.UTF8.GetString(Convert.FromBase64String(authLine!["AUTH PLAIN ".Length..])));
    }

    [Fact]
    public async Task Credentials_are_never_sent_over_an_unencrypted_connection_by_default()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("AUTH PLAIN LOGIN");
            await s.ExpectAsync("QUIT");
            await s.ReplyAsync("221 bye");
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port, o =>
        {
            o.Username = "u";
            o.Password = "secret";
        }).SendAsync(Envelope, Message));
        await server.Completion;

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.Authentication, ex.Stage);
        Assert.DoesNotContain(server.Received, l => l.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Required_starttls_that_is_not_offered_is_a_transient_failure_and_nothing_is_sent()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("8BITMIME");
            await s.ExpectAsync("QUIT");
            await s.ReplyAsync("221 bye");
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port, o => o.UseStartTls = true).SendAsync(Envelope, Message));
        await server.Completion;

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.StartTls, ex.Stage);
        Assert.DoesNotContain(server.Received, l => l.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_sent_by_the_server_before_the_tls_handshake_is_refused()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("STARTTLS");
            await s.ExpectAsync("STARTTLS");
            await s.SendRawAsync("220 go ahead\r\n250 injected\r\n");
            await s.ReadLineAsync();
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port, o => o.UseStartTls = true).SendAsync(Envelope, Message));

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.StartTls, ex.Stage);
        Assert.Contains("before the TLS handshake", ex.Message);
    }

    [Theory]
    [InlineData("554 5.7.1 no service for you", true)]
    [InlineData("421 4.3.2 too busy", false)]
    public async Task Greeting_refusal_is_classified_by_reply_class(string greeting, bool permanent)
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.ReplyAsync(greeting);
            await s.ReadLineAsync();
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port).SendAsync(Envelope, Message));

        Assert.Equal(permanent, ex.IsPermanent);
        Assert.Equal(SmtpStage.Greeting, ex.Stage);
        Assert.Equal(int.Parse(greeting[..3]), ex.Reply!.Code);
    }

    [Theory]
    [InlineData("452 4.3.1 insufficient system storage", false)]
    [InlineData("554 5.6.0 message content rejected", true)]
    public async Task Refusal_after_the_message_content_is_classified_by_reply_class(string reply, bool permanent)
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("8BITMIME");
            await s.ExpectAsync("MAIL FROM:");
            await s.ReplyAsync("250 OK");
            await s.ExpectAsync("RCPT TO:");
            await s.ReplyAsync("250 OK");
            await s.ExpectAsync("DATA");
            await s.ReplyAsync("354 go ahead");
            await s.ReadDataAsync();
            await s.ReplyAsync(reply);
            await s.ExpectAsync("QUIT");
            await s.ReplyAsync("221 bye");
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port).SendAsync(Envelope, Message));
        await server.Completion;

        Assert.Equal(permanent, ex.IsPermanent);
        Assert.Equal(SmtpStage.Data, ex.Stage);
    }

    [Fact]
    public async Task Connection_closed_before_the_final_reply_is_transient()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.GreetAndEhloAsync("8BITMIME");
            await s.ExpectAsync("MAIL FROM:");
            await s.ReplyAsync("250 OK");
            await s.ExpectAsync("RCPT TO:");
            await s.ReplyAsync("250 OK");
            await s.ExpectAsync("DATA");
            await s.ReplyAsync("354 go ahead");
            await s.ReadDataAsync();
            s.Stream.Close();
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port).SendAsync(Envelope, Message));

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.Data, ex.Stage);
    }

    [Fact]
    public async Task Malformed_reply_is_a_transient_protocol_error()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.ReplyAsync("hello, I am not SMTP");
            await s.ReadLineAsync();
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port).SendAsync(Envelope, Message));

        Assert.False(ex.IsPermanent);
        Assert.Contains("protocol error", ex.Message);
    }

    [Fact]
    public async Task Silent_server_times_out_as_a_transient_failure()
    {
        await using var server = ScriptedSmtpServer.Start(async s => await s.ReadLineAsync());
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() =>
            Client(server.Port, o => o.Timeout = TimeSpan.FromMilliseconds(300)).SendAsync(Envelope, Message));

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.Greeting, ex.Stage);
        Assert.Contains("timed out", ex.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Caller_cancellation_is_an_operation_cancelled_exception_not_a_delivery_failure()
    {
        await using var server = ScriptedSmtpServer.Start(async s => await s.ReadLineAsync());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(server.Port).SendAsync(Envelope, Message, cts.Token));
    }

    [Fact]
    public async Task Reset_connection_is_transient()
    {
        await using var server = ScriptedSmtpServer.Start(async s =>
        {
            await s.ReplyAsync("220 fake.example ESMTP");
            await s.ExpectAsync("EHLO");
            s.Stream.Close();
        });

        var ex = await Assert.ThrowsAsync<SmtpDeliveryException>(() => Client(server.Port).SendAsync(Envelope, Message));

        Assert.False(ex.IsPermanent);
        Assert.Equal(SmtpStage.Hello, ex.Stage);
        Assert.True(ex.InnerException is IOException or SocketException, ex.InnerException?.GetType().Name);
    }

    [Fact]
    public async Task Invalid_addresses_are_refused_before_connecting()
    {
        var client = Client(1);
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(new SmtpEnvelope("a@b.example", ["x@y.example>\r\nDATA"]), Message));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(new SmtpEnvelope("a@b.example", []), Message));
    }
}
