using System.Text.RegularExpressions;

namespace Jtai.Strategy.Notifications.Delivery.Smtp;

/// <summary>One (possibly multi-line) SMTP reply (RFC 5321 §4.2).</summary>
public sealed partial record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>2yz.</summary>
    public bool IsPositiveCompletion => Code is >= 200 and < 300;

    /// <summary>3yz (e.g. 334 AUTH challenge, 354 start mail input).</summary>
    public bool IsPositiveIntermediate => Code is >= 300 and < 400;

    /// <summary>4yz: the server may accept the same command later.</summary>
    public bool IsTransientNegative => Code is >= 400 and < 500;

    /// <summary>5yz: the server will not accept the same command.</summary>
    public bool IsPermanentNegative => Code is >= 500 and < 600;

    /// <summary>The text of all lines joined by a space.</summary>
    public string Message => string.Join(' ', Lines);

    /// <summary>The RFC 3463 enhanced status code at the start of the text (e.g. <c>5.1.1</c>), if any.</summary>
    public string? EnhancedStatusCode
    {
        get
        {
            if (Lines.Count == 0)
            {
                return null;
            }

            var match = EnhancedStatus().Match(Lines[0]);
            return match.Success ? match.Groups[1].Value : null;
        }
    }

    public override string ToString() => $"{Code} {Message}";

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?:\s|$)")]
    private static partial Regex EnhancedStatus();
}
