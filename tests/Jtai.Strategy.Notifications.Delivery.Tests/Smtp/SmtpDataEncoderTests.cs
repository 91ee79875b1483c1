using System.Text;
using Jtai.Strategy.Notifications.Delivery.Smtp;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Smtp;

public sealed class SmtpDataEncoderTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData("a\r\nb", "a\r\nb\r\n.\r\n")]
    [InlineData("a\nb\rc\r\n", "a\r\nb\r\nc\r\n.\r\n")]
    [InlineData(".start\r\nmid.dle\r\n.\r\n..\r\n", "..start\r\nmid.dle\r\n..\r\n...\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    public void Normalises_line_breaks_and_dot_stuffs(string input, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(SmtpDataEncoder.Encode(Encoding.ASCII.GetBytes(input))));
    }

    [Fact]
    public void Detects_eight_bit_content()
    {
        Assert.False(SmtpDataEncoder.HasEightBitData("plain"u8));
        Assert.True(SmtpDataEncoder.HasEightBitData(Encoding.UTF8.GetBytes("Zoë")));
    }
}
