using System.Text;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;
using MimeKit;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Channels;

/// <summary>The MIME message MimeKit composes for us, read back by Python's email package (an independent parser).</summary>
public sealed class EmailComposerTests
{
    private static readonly MailboxAddress From = new("Strategy meetings", "no-reply@strategy.example.gov.uk");
    private static readonly MailboxAddress To = new("Dana Officer", "dana.officer@police.example");

    private readonly EmailComposer _composer = new(new FixedTimeProvider(TestData.Now));

    private static NotificationContent Invitation() =>
        new InvitationEmailRenderer(timeProvider: new FixedTimeProvider(TestData.Now)).RenderInvitation(TestData.Invitation()).ToNotificationContent();

    private string Raw(NotificationContent content, string id = "0b7d3c1e-5a8f-4f0e-9d51-2a4f5c9e7b10") =>
        MimeBytes.Text(_composer.Compose(id, From, To, content));

    [Fact]
    public void Message_is_seven_bit_with_crlf_and_short_lines()
    {
        var raw = Raw(Invitation());

        AssertSevenBitShortLines(raw, 78);
        Assert.EndsWith("\r\n", raw);
    }

    [Fact]
    public void Message_id_is_derived_from_the_caller_id_and_stable_across_builds()
    {
        var first = Raw(Invitation(), "outbox-42");
        var again = MimeBytes.Text(new EmailComposer(new FixedTimeProvider(TestData.Now.AddHours(3))).Compose("outbox-42", From, To, Invitation()));

        Assert.Contains("\r\nMessage-ID: <outbox-42@jtai-strategy>\r\n", first);
        Assert.Contains("\r\nX-Jtai-Message-Id: outbox-42\r\n", first);
        Assert.Contains("\r\nMessage-ID: <outbox-42@jtai-strategy>\r\n", again);
        Assert.StartsWith("Date: Sun, 01 Mar 2026 09:30:00 +0000\r\n", first);
        Assert.StartsWith("Date: Sun, 01 Mar 2026 12:30:00 +0000\r\n", again);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("angle<bracket")]
    [InlineData("at@sign")]
    [InlineData(".leading-dot")]
    [InlineData("")]
    public void Invalid_caller_ids_are_refused(string id)
    {
        Assert.Throws<ArgumentException>(() => _composer.Compose(id, From, To, Invitation()));
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("a b@example.org")]
    [InlineData("a@example.org\r\nRCPT TO:<x@y>")]
    [InlineData("zoë@example.org")]
    [InlineData("<a@example.org>")]
    public void Invalid_or_unsafe_addresses_are_refused(string address)
    {
        Assert.Throws<ArgumentException>(() => EmailComposer.ValidateAddress(address));
    }

    [Fact]
    public async Task Python_email_parser_sees_mixed_alternative_and_calendar_parts_without_defects()
    {
        var content = Invitation();
        var inspected = await MailInspector.InspectAsync(Encoding.ASCII.GetBytes(Raw(content)));

        Assert.Empty(inspected.Defects);
        Assert.Equal("Strategy meeting SM-2026-000123 – invitation", inspected.Header("Subject"));
        Assert.Equal("Strategy meetings <no-reply@strategy.example.gov.uk>", inspected.Header("From"));
        Assert.Equal("Dana Officer <dana.officer@police.example>", inspected.Header("To"));
        Assert.Equal("1.0", inspected.Header("MIME-Version"));
        Assert.Equal(["Date", "From", "To", "Subject", "Message-ID", "X-Jtai-Message-Id", "MIME-Version", "Content-Type"], inspected.HeaderNames.ToArray());

        Assert.Equal(
            ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar", "application/ics"],
            inspected.Parts.Select(p => p.ContentType).ToArray());
        Assert.Equal([0, 1, 2, 2, 2, 1], inspected.Parts.Select(p => p.Depth).ToArray());

        var text = inspected.Part("text/plain");
        Assert.Equal("quoted-printable", text.TransferEncoding);
        Assert.Equal(content.TextBody, text.Text!.Replace("\r\n", "\n", StringComparison.Ordinal));

        var html = inspected.Part("text/html");
        Assert.Contains("<a href=\"https://strategy.example.gov.uk/respond/7f3c9a?token=abc123\">", html.Text);

        var calendar = inspected.Part("text/calendar");
        Assert.Equal("REQUEST", calendar.Param("method"));
        Assert.Equal("base64", calendar.TransferEncoding);
        Assert.Equal(content.Calendar!.Content, Encoding.UTF8.GetString(calendar.Bytes));

        var file = inspected.Part("application/ics");
        Assert.Equal("attachment", file.Disposition);
        Assert.Equal("invite.ics", file.FileName);
        Assert.Equal(content.Calendar.Content, Encoding.UTF8.GetString(file.Bytes));
    }

    [Fact]
    public async Task Text_only_message_is_a_single_part_and_non_ascii_headers_decode()
    {
        var content = new NotificationContent
        {
            // MimeKit drops whitespace at the very end of a header value, so the subject ends with a word.
            Subject = "Ärger – " + string.Concat(Enumerable.Repeat("long subject 😀 ", 8)) + "end",
            TextBody = "Hello Zoë,\n.line with dot\nFrom the team\n..two dots\n" + string.Concat(Enumerable.Repeat("Ærø – ", 50)) + "\n",
        };

        var raw = Raw(content);
        var to = new MailboxAddress("Zoë Ærø-Łukasz", "zoe@police.example");
        var rawZoe = MimeBytes.Text(_composer.Compose("plain-1", From, to, content));
        var inspected = await MailInspector.InspectAsync(Encoding.ASCII.GetBytes(rawZoe));

        // Headers: 7-bit, non-ASCII text as RFC 2047 encoded words that Python decodes without defects. MimeKit puts the
        // first word on the field's own line and may make a word one character longer than RFC 2047's 75, so a header
        // line can pass the advisory 78; it stays far below RFC 5322's limit of 998.
        AssertSevenBitShortLines(raw, 998);
        Assert.Contains("=?utf-8?", raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)], StringComparison.OrdinalIgnoreCase);
        // The body's lines stay short (quoted-printable soft breaks).
        AssertSevenBitShortLines(raw[raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)..], 78);
        Assert.Empty(inspected.Defects);
        Assert.Equal(content.Subject, inspected.Header("Subject"));
        Assert.Equal("Zoë Ærø-Łukasz <zoe@police.example>", inspected.Header("To"));
        var part = Assert.Single(inspected.Parts);
        Assert.Equal("text/plain", part.ContentType);
        Assert.Equal(content.TextBody, part.Text!.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Display_names_are_quoted_or_encoded()
    {
        string ToHeader(string name) => MimeBytes.Text(_composer.Compose("n-1", From, new MailboxAddress(name, "dana@police.example"), Invitation()))
            .Split("\r\n").Single(l => l.StartsWith("To: ", StringComparison.Ordinal));

        Assert.Equal("To: Dana Officer <dana@police.example>", ToHeader("Dana Officer"));
        Assert.Equal("To: \"Officer, Dana (DS)\" <dana@police.example>", ToHeader("Officer, Dana (DS)"));
        var encoded = ToHeader("Zoë Ærø");
        Assert.StartsWith("To: =?utf-8?", encoded);
        Assert.EndsWith(" <dana@police.example>", encoded);
    }

    [Fact]
    public async Task Html_without_calendar_is_multipart_alternative_only()
    {
        var inspected = await MailInspector.InspectAsync(Encoding.ASCII.GetBytes(Raw(Invitation() with { Calendar = null })));

        Assert.Empty(inspected.Defects);
        Assert.Equal(["multipart/alternative", "text/plain", "text/html"], inspected.Parts.Select(p => p.ContentType).ToArray());
    }

    [Fact]
    public void Calendar_method_must_match_the_content()
    {
        var content = Invitation();
        Assert.Throws<ArgumentException>(() => _composer.Compose("n-1", From, To, content with { Calendar = content.Calendar! with { Method = CalendarMethod.Cancel } }));
    }

    internal static void AssertSevenBitShortLines(string text, int maxLength)
    {
        Assert.All(text, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4}"));
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("\r", text.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        foreach (var line in text.Split("\r\n"))
        {
            Assert.True(line.Length <= maxLength, $"line of {line.Length} characters: '{line}'");
        }
    }
}
