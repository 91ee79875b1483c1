using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jtai.Strategy.Notifications.Testing;

/// <summary>Parses a message with Python's standard <c>email</c> package (an independent MIME parser) via python/mail_inspect.py.</summary>
public static class MailInspector
{
    public static async Task<InspectedMail> InspectFileAsync(string path)
    {
        var result = await ProcessRunner.RunAsync(
            TestPaths.SystemPython,
            [Path.Combine(TestPaths.PythonDirectory, "mail_inspect.py"), path],
            timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, $"mail_inspect.py failed: {result.StandardError}");
        return JsonSerializer.Deserialize<InspectedMail>(result.StandardOutput)!;
    }

    public static async Task<InspectedMail> InspectAsync(byte[] message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"jtai-mail-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(path, message);
        try
        {
            return await InspectFileAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed class InspectedMail
{
    [JsonPropertyName("headers")]
    public List<List<string>> Headers { get; init; } = [];

    [JsonPropertyName("parts")]
    public List<InspectedPart> Parts { get; init; } = [];

    [JsonPropertyName("defects")]
    public List<string> Defects { get; init; } = [];

    public IEnumerable<string> HeaderNames => Headers.Select(h => h[0]);

    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h[0], name, StringComparison.OrdinalIgnoreCase))?[1];

    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h[0], name, StringComparison.OrdinalIgnoreCase)).Select(h => h[1]);

    public InspectedPart Part(string contentType, string? disposition = null) =>
        Parts.Single(p => p.ContentType == contentType && (disposition is null || p.Disposition == disposition));

    /// <summary>Every decoded text of every leaf part, for "must not appear anywhere" checks.</summary>
    public string AllDecodedText => string.Join("\n", Parts.Select(p => p.Text ?? Encoding.UTF8.GetString(p.Bytes)))
        + "\n" + string.Join("\n", Headers.Select(h => h[0] + ": " + h[1]));
}

public sealed class InspectedPart
{
    [JsonPropertyName("depth")]
    public int Depth { get; init; }

    [JsonPropertyName("content_type")]
    public string ContentType { get; init; } = "";

    [JsonPropertyName("params")]
    public Dictionary<string, JsonElement> Params { get; init; } = [];

    [JsonPropertyName("disposition")]
    public string? Disposition { get; init; }

    [JsonPropertyName("filename")]
    public string? FileName { get; init; }

    [JsonPropertyName("transfer_encoding")]
    public string? TransferEncoding { get; init; }

    [JsonPropertyName("children")]
    public int? Children { get; init; }

    [JsonPropertyName("base64")]
    public string? Base64 { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    public byte[] Bytes => Base64 is null ? [] : Convert.FromBase64String(Base64);

    public string? Param(string name) =>
        Params.TryGetValue(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()) : null;
}
