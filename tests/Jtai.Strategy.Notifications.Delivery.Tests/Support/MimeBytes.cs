using System.Text;
using MimeKit;

namespace Jtai.Strategy.Notifications.Delivery.Tests.Support;

/// <summary>A composed message as bytes with CRLF line endings, the form the SMTP client writes in DATA.</summary>
internal static class MimeBytes
{
    public static byte[] Of(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    public static string Text(MimeMessage message) => Encoding.ASCII.GetString(Of(message));
}
