using System.Text;
using Jtai.Strategy.Notifications.Delivery.Mime;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Mime;

public sealed class MimeEncodingTests
{
    [Theory]
    [InlineData("Plain ASCII text.")]
    [InlineData("Zoë – café ☕ 😀 = equals")]
    [InlineData("trailing space \nand tab\t\nend")]
    [InlineData(".leading dot\nFrom the start\n..two dots")]
    public void Quoted_printable_round_trips_and_keeps_lines_short(string text)
    {
        var encoded = MimeEncoding.EncodeQuotedPrintable(text);

        AssertSevenBitShortLines(encoded, 76);
        Assert.Equal(text.Replace("\n", "\r\n", StringComparison.Ordinal), DecodeQuotedPrintable(encoded));
    }

    [Fact]
    public void Quoted_printable_soft_breaks_long_lines_without_splitting_escapes()
    {
        var text = string.Concat(Enumerable.Repeat("Ærø – ", 50)) + "\n" + new string('x', 300);
        var encoded = MimeEncoding.EncodeQuotedPrintable(text);

        AssertSevenBitShortLines(encoded, 76);
        Assert.Contains("=\r\n", encoded);
        Assert.Equal(text.Replace("\n", "\r\n", StringComparison.Ordinal), DecodeQuotedPrintable(encoded));
    }

    [Fact]
    public void Quoted_printable_escapes_line_starting_dot_and_from()
    {
        var encoded = MimeEncoding.EncodeQuotedPrintable(".x\nFrom here");
        Assert.Equal("=2Ex\r\n=46rom here", encoded);
    }

    [Fact]
    public void Ascii_subject_is_left_readable_and_folded_at_white_space()
    {
        var subject = "Strategy meeting SM-2026-000123 invitation " + string.Join(' ', Enumerable.Repeat("word", 30));
        var header = MimeEncoding.FormatUnstructuredHeader("Subject", subject);

        AssertSevenBitShortLines(header, 76);
        Assert.Equal("Subject: " + subject, header.Replace("\r\n", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Non_ascii_subject_becomes_encoded_words_of_at_most_75_characters()
    {
        var subject = "Strategy meeting SM-2026-000123 – invitation " + string.Concat(Enumerable.Repeat("Ærø 😀 ", 20));
        var header = MimeEncoding.FormatUnstructuredHeader("Subject", subject);

        AssertSevenBitShortLines(header, 76);
        var words = header["Subject:".Length..].Split(new[] { ' ', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
        Assert.All(words, w =>
        {
            Assert.StartsWith("=?utf-8?B?", w);
            Assert.EndsWith("?=", w);
            Assert.True(w.Length <= 75, w);
        });
        // Each word decodes on its own (no character split across words), and together they give the subject.
        var strict = new UTF8Encoding(false, true);
        var decoded = string.Concat(words.Select(w => strict.GetString(Convert.FromBase64String(w[10..^2]))));
        Assert.Equal(subject, decoded);
    }

    [Fact]
    public void Display_names_are_quoted_or_encoded()
    {
        Assert.Equal(
            "To: Dana Officer <dana@police.example>",
            MimeEncoding.FormatAddressHeader("To", [new MailboxAddress("dana@police.example", "Dana Officer")]));
        Assert.Equal(
            "To: \"Officer, Dana (DS)\" <dana@police.example>",
            MimeEncoding.FormatAddressHeader("To", [new MailboxAddress("dana@police.example", "Officer, Dana (DS)")]));
        var encoded = MimeEncoding.FormatAddressHeader("To", [new MailboxAddress("zoe@police.example", "Zoë Ærø")]);
        Assert.StartsWith("To: =?utf-8?B?", encoded);
        Assert.EndsWith(" <zoe@police.example>", encoded);
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("a b@example.org")]
    [InlineData("a@example.org\r\nRCPT TO:<x@y>")]
    [InlineData("zoë@example.org")]
    [InlineData("<a@example.org>")]
    public void Invalid_or_unsafe_addresses_are_refused(string address)
    {
        Assert.Throws<ArgumentException>(() => MimeEncoding.ValidateAddress(address));
    }

    [Fact]
    public void Date_is_rfc5322()
    {
        Assert.Equal("Sun, 01 Mar 2026 09:30:00 +0000", MimeEncoding.FormatDate(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero)));
        Assert.Equal("Wed, 24 Jun 2026 10:00:00 +0100", MimeEncoding.FormatDate(new DateTimeOffset(2026, 6, 24, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal("Wed, 24 Jun 2026 10:00:00 -0530", MimeEncoding.FormatDate(new DateTimeOffset(2026, 6, 24, 10, 0, 0, TimeSpan.FromMinutes(-330))));
    }

    [Fact]
    public void Non_ascii_file_names_use_rfc2231()
    {
        Assert.Equal("filename=\"invite.ics\"", MimeEncoding.FormatParameter("filename", "invite.ics"));
        Assert.Equal("filename*=utf-8''Einladung_%C3%BC.ics", MimeEncoding.FormatParameter("filename", "Einladung_ü.ics"));
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

    private static string DecodeQuotedPrintable(string encoded)
    {
        var bytes = new List<byte>();
        var lines = encoded.Split("\r\n");
        for (var li = 0; li < lines.Length; li++)
        {
            var line = lines[li];
            var soft = line.EndsWith('=');
            if (soft)
            {
                line = line[..^1];
            }

            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '=')
                {
                    bytes.Add(Convert.ToByte(line.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)line[i]);
                }
            }

            if (!soft && li < lines.Length - 1)
            {
                bytes.Add((byte)'\r');
                bytes.Add((byte)'\n');
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
