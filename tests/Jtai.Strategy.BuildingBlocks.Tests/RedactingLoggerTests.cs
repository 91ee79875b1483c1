using Jtai.Strategy.BuildingBlocks.Telemetry;
using Jtai.Strategy.Testing;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.BuildingBlocks.Tests;

/// <summary>
/// The logger factory every service gets redacts a response-link token wherever a log entry carries it: a field given
/// as a string or a <see cref="Uri"/> (HttpClient logs its request URI as one), the message, and a scope's fields and
/// text; entries without one pass through as they were, their fields keeping their types.
/// </summary>
public sealed class RedactingLoggerTests
{
    private const string Token = "AQIDBAUGBwgJ.CgsMDQ4PEBES";

    [Fact]
    public void A_token_in_fields_message_or_scope_is_redacted_and_other_entries_pass_untouched()
    {
        var capture = new LogCapture();
        using var factory = new RedactingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace)));
        var logger = factory.CreateLogger("Test");

        using (logger.BeginScope(new Dictionary<string, object?> { ["RequestPath"] = "/respond/" + Token, ["RequestId"] = 7 }))
        {
            logger.LogInformation("Sending HTTP request {Method} {Uri}", "GET", new Uri("https://meetings.test/respond/" + Token + "?x=1"));
            logger.LogWarning("Answer page {Path} failed", "/answer/" + Token);
        }

        logger.LogInformation("Answered {InvitationId} in {Count}", Guid.Empty, 3);

        var entries = capture.Entries;
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.DoesNotContain(Token, string.Join("|", e.Fields.Values.Append(e.Message).Concat(e.Scopes)), StringComparison.Ordinal));
        Assert.Equal("Sending HTTP request GET https://meetings.test/respond/[redacted]?x=1", entries[0].Message);
        Assert.Equal("https://meetings.test/respond/[redacted]?x=1", entries[0].Fields["Uri"]);
        Assert.Contains("RequestPath=/respond/[redacted]", entries[0].Scopes);
        Assert.Contains("RequestId=7", entries[0].Scopes);
        Assert.Equal("Answer page /answer/[redacted] failed", entries[1].Message);

        // No secret: the state is passed on as it was (a Guid stays a Guid, a count an int).
        Assert.Equal(Guid.Empty, entries[2].Fields["InvitationId"]);
        Assert.Equal(3, entries[2].Fields["Count"]);
        Assert.Empty(entries[2].Scopes);
    }
}
