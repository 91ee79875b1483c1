using System.Buffers;

namespace Jtai.Strategy.Notifications.Delivery.Smtp;

/// <summary>Prepares message content for the SMTP DATA phase (RFC 5321 §4.5.2).</summary>
public static class SmtpDataEncoder
{
    /// <summary>
    /// Normalises every line break (CRLF, bare LF, bare CR) to CRLF, doubles a dot at the start of each line
    /// (dot-stuffing), makes sure the content ends with CRLF and appends the terminating <c>.CRLF</c>.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>(message.Length + (message.Length / 64) + 8);
        var atLineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (b == (byte)'\r' || b == (byte)'\n')
            {
                if (b == (byte)'\r' && i + 1 < message.Length && message[i + 1] == (byte)'\n')
                {
                    i++;
                }

                output.Write("\r\n"u8);
                atLineStart = true;
                continue;
            }

            if (atLineStart && b == (byte)'.')
            {
                output.Write("."u8);
            }

            output.Write([b]);
            atLineStart = false;
        }

        if (!atLineStart)
        {
            output.Write("\r\n"u8);
        }

        output.Write(".\r\n"u8);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>True when the content has bytes outside 7-bit ASCII (needs BODY=8BITMIME).</summary>
    public static bool HasEightBitData(ReadOnlySpan<byte> message) => message.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
}
