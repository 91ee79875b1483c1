using System.Text;
using Jtai.Strategy.Notifications.Delivery.Calendar;
using Jtai.Strategy.Notifications.Delivery.Mime;
using Jtai.Strategy.Notifications.Delivery.Rendering;
using Jtai.Strategy.Notifications.Delivery.Tests.Support;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Mime;

public sealed class MimeMessageBuilderTests
{
    private readonly MimeMessageBuilder _builder = new(new FixedTimeProvider(TestData.Now));

    private static EmailMessage Invitation(string id = "0b7d3c1e-5a8f-4f0e-9d51-2a4f5c9e7b10")
    {
        var rendered = new InvitationEmailRenderer(timeProvider: new FixedTimeProvider(TestData.Now)).RenderInvitation(TestData.Invitation());
        return new EmailMessage
        {
            MessageId = id,
            From = new MailboxAddress("no-reply@strategy.example.gov.uk", "Strategy meetings"),
            To = [new MailboxAddress("dana.officer@police.example", "Dana Officer")],
            Subject = rendered.Subject,
            TextBody = rendered.TextBody,
            HtmlBody = rendered.HtmlBody,
            Calendar = rendered.Calendar,
        };
    }

    [Fact]
    public void Message_is_seven_bit_with_crlf_and_short_lines()
    {
        var raw = _builder.BuildString(Invitation());

        MimeEncodingTests.AssertSevenBitShortLines(raw, 78);
        Assert.EndsWith("\r\n", raw);
    }

    [Fact]
    public void Message_id_is_derived_from_the_caller_id_and_stable_across_builds()
    {
        var first = _builder.BuildString(Invitation("outbox-42"));
        var again = new MimeMessageBuilder(new FixedTimeProvider(TestData.Now.AddHours(3))).BuildString(Invitation("outbox-42"));

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
        Assert.Throws<ArgumentException>(() => _builder.Build(Invitation() with { MessageId = id }));
    }

    [Fact]
    public async Task Python_email_parser_sees_mixed_alternative_and_calendar_parts_without_defects()
    {
        var message = Invitation();
        var inspected = await MailInspector.InspectAsync(_builder.Build(message));

        Assert.Empty(inspected.Defects);
        Assert.Equal("Strategy meeting SM-2026-000123 – invitation", inspected.Header("Subject"));
        Assert.Equal("Strategy meetings <no-reply@strategy.example.gov.uk>", inspected.Header("From"));
        Assert.Equal("Dana Officer <dana.officer@police.example>", inspected.Header("To"));
        Assert.Equal("1.0", inspected.Header("MIME-Version"));

        Assert.Equal(
            ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar", "application/ics"],
            inspected.Parts.Select(p => p.ContentType).ToArray());
        Assert.Equal([0, 1, 2, 2, 2, 1], inspected.Parts.Select(p => p.Depth).ToArray());

        var text = inspected.Part("text/plain");
        Assert.Equal("quoted-printable", text.TransferEncoding);
        Assert.Equal(message.TextBody, text.Text!.Replace("\r\n", "\n", StringComparison.Ordinal));

        var html = inspected.Part("text/html");
        Assert.Contains("<a href=\"https://strategy.example.gov.uk/respond/7f3c9a?token=abc123\">", html.Text);

        var calendar = inspected.Part("text/calendar");
        Assert.Equal("REQUEST", calendar.Param("method"));
        Assert.Equal("base64", calendar.TransferEncoding);
        Assert.Equal(message.Calendar!.Content, Encoding.UTF8.GetString(calendar.Bytes));

        var file = inspected.Part("application/ics");
        Assert.Equal("attachment", file.Disposition);
        Assert.Equal("invite.ics", file.FileName);
        Assert.Equal(message.Calendar.Content, Encoding.UTF8.GetString(file.Bytes));
    }

    [Fact]
    public async Task Text_only_message_is_a_single_part_and_non_ascii_headers_decode()
    {
        var message = new EmailMessage
        {
            MessageId = "plain-1",
            From = new MailboxAddress("no-reply@strategy.example.gov.uk"),
            To = [new MailboxAddress("zoe@police.example", "Zoë Ærø-Łukasz"), new MailboxAddress("sam@health.example", "Sam, Health")],
            Subject = "Ärger – " + string.Concat(Enumerable.Repeat("long subject 😀 ", 8)),
            TextBody = "Hello Zoë,\n.line with dot\nFrom the team",
        };

        var raw = _builder.Build(message);
        var inspected = await MailInspector.InspectAsync(raw);

        Assert.Empty(inspected.Defects);
        Assert.Equal(message.Subject, inspected.Header("Subject"));
        Assert.Equal("Zoë Ærø-Łukasz <zoe@police.example>, \"Sam, Health\" <sam@health.example>", inspected.Header("To"));
        var part = Assert.Single(inspected.Parts);
        Assert.Equal("text/plain", part.ContentType);
        // The message ends with CRLF (as SMTP requires), which a single-part body keeps.
        Assert.Equal(message.TextBody + "\n", part.Text!.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Html_without_calendar_is_multipart_alternative_only()
    {
        var message = Invitation() with { Calendar = null };
        var inspected = await MailInspector.InspectAsync(_builder.Build(message));

        Assert.Empty(inspected.Defects);
        Assert.Equal(["multipart/alternative", "text/plain", "text/html"], inspected.Parts.Select(p => p.ContentType).ToArray());
    }

    [Fact]
    public void Calendar_method_must_match_the_content()
    {
        var message = Invitation();
        Assert.Throws<ArgumentException>(() => _builder.Build(message with { Calendar = message.Calendar! with { Method = CalendarMethod.Cancel } }));
    }
}
