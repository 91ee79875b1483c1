using System.Text;
using Jtai.Strategy.Notifications.Delivery.Calendar;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Calendar;

public sealed class IcsFormatTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void Short_line_is_not_folded()
    {
        var line = "SUMMARY:" + new string('a', 75 - 8);
        Assert.Equal(75, Encoding.UTF8.GetByteCount(line));
        Assert.Equal(line, IcsFormat.Fold(line));
    }

    [Fact]
    public void Line_of_76_octets_is_folded_into_75_plus_continuation()
    {
        var line = "SUMMARY:" + new string('a', 76 - 8);
        var folded = IcsFormat.Fold(line);
        var physical = folded.Split("\r\n");
        Assert.Equal(2, physical.Length);
        Assert.Equal(75, physical[0].Length);
        Assert.Equal(" a", physical[1]);
        Assert.Equal(line, IcsFormat.Unfold(folded));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    public void Long_ascii_line_folds_to_at_most_75_octets_and_unfolds_to_the_original(int length)
    {
        var line = "DESCRIPTION:" + string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));
        var folded = IcsFormat.Fold(line);

        AssertPhysicalLines(folded);
        Assert.Equal(line, IcsFormat.Unfold(folded));
    }

    [Theory]
    [InlineData("é")] // 2 octets
    [InlineData("–")] // 3 octets (en dash)
    [InlineData("中")] // 3 octets
    [InlineData("😀")] // 4 octets, a surrogate pair in .NET
    [InlineData("aé–😀")] // mixed, so boundaries fall at every offset
    public void Multi_byte_characters_are_never_split(string unit)
    {
        // Try every alignment of the multi-byte characters against the 75-octet boundary.
        for (var prefix = 0; prefix < 5; prefix++)
        {
            var line = "DESCRIPTION:" + new string('x', prefix) + string.Concat(Enumerable.Repeat(unit, 60));
            var folded = IcsFormat.Fold(line);

            AssertPhysicalLines(folded);
            Assert.Equal(line, IcsFormat.Unfold(folded));
        }
    }

    [Fact]
    public void Escapes_backslash_semicolon_comma_and_newlines_but_not_colon()
    {
        Assert.Equal(@"a\\b\;c\,d\ne\nf\ng: h", IcsFormat.EscapeText("a\\b;c,d\ne\r\nf\rg: h"));
    }

    [Fact]
    public void Escaping_drops_control_characters_other_than_tab()
    {
        Assert.Equal("a\tbc", IcsFormat.EscapeText("a\tb\u0007c"));
    }

    [Theory]
    [InlineData("Dana Officer", "Dana Officer")]
    [InlineData("Officer, Dana", "\"Officer, Dana\"")]
    [InlineData("MASH; strategy", "\"MASH; strategy\"")]
    [InlineData("Team: MASH", "\"Team: MASH\"")]
    [InlineData("Dana \"DJ\" Officer", "Dana ^'DJ^' Officer")]
    [InlineData("a^b", "a^^b")]
    [InlineData("Zoë Ærø", "Zoë Ærø")]
    public void Parameter_values_are_quoted_when_they_contain_colon_semicolon_or_comma(string value, string expected)
    {
        Assert.Equal(expected, IcsFormat.ParameterValue(value));
    }

    [Fact]
    public void Times_are_written_in_utc_basic_format()
    {
        var summerLondon = new DateTimeOffset(2026, 6, 24, 10, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal("20260624T090000Z", IcsFormat.FormatUtc(summerLondon));
        var newYork = new DateTimeOffset(2026, 12, 31, 22, 15, 30, TimeSpan.FromHours(-5));
        Assert.Equal("20270101T031530Z", IcsFormat.FormatUtc(newYork));
    }

    [Fact]
    public void Fold_rejects_raw_line_breaks()
    {
        Assert.Throws<ArgumentException>(() => IcsFormat.Fold("DESCRIPTION:a\nb"));
    }

    internal static void AssertPhysicalLines(string folded, bool singleContentLine = true)
    {
        var physical = folded.Split("\r\n");
        for (var i = 0; i < physical.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(physical[i]);
            Assert.True(bytes.Length <= 75, $"physical line {i} has {bytes.Length} octets: '{physical[i]}'");
            // Each physical line on its own is valid UTF-8: no multi-byte sequence was cut.
            StrictUtf8.GetString(bytes);
            Assert.DoesNotContain('\uFFFD', physical[i]);
            if (i > 0 && singleContentLine)
            {
                Assert.StartsWith(" ", physical[i]);
                Assert.False(physical[i].StartsWith("  ", StringComparison.Ordinal) && physical[i].Trim().Length == 0);
            }
        }
    }
}
