using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jtai.Strategy.Notifications.Testing;

/// <summary>Runs Mozilla's ical.js (npm, pinned by js/package-lock.json) on an .ics file via js/parse-ics.mjs.</summary>
public static class IcalJs
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private static string JsDirectory => Path.Combine(TestPaths.SupportDirectory, "js");

    public static async Task<ParsedIcs> ParseAsync(string ics)
    {
        await EnsureInstalledAsync();
        var file = Path.Combine(Path.GetTempPath(), $"jtai-{Guid.NewGuid():N}.ics");
        await File.WriteAllTextAsync(file, ics);
        try
        {
            var result = await ProcessRunner.RunAsync("node", ["parse-ics.mjs", file], JsDirectory, timeout: TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 0, $"ical.js could not parse the calendar: {result.StandardError}\n{ics}");
            return JsonSerializer.Deserialize<ParsedIcs>(result.StandardOutput)!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        // Test assemblies run in parallel processes and share js/: a file lock keeps one npm ci at a time.
        using var processLock = await AcquireFileLockAsync(Path.Combine(JsDirectory, ".install.lock"));
        try
        {
            if (File.Exists(Path.Combine(JsDirectory, "node_modules", "ical.js", "package.json")))
            {
                return;
            }

            var result = await ProcessRunner.RunAsync(
                "npm", ["ci", "--no-audit", "--no-fund"], JsDirectory, timeout: TimeSpan.FromMinutes(3));
            Assert.True(result.ExitCode == 0, $"npm ci failed in {JsDirectory}: {result.StandardError}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}

public sealed class ParsedIcs
{
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("prodid")] public string? ProdId { get; init; }
    [JsonPropertyName("calscale")] public string? CalScale { get; init; }
    [JsonPropertyName("method")] public string? Method { get; init; }
    [JsonPropertyName("uid")] public string? Uid { get; init; }
    [JsonPropertyName("sequence")] public int Sequence { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("summary")] public string? Summary { get; init; }
    [JsonPropertyName("location")] public string? Location { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("dtstamp")] public ParsedTime? DtStamp { get; init; }
    [JsonPropertyName("dtstart")] public ParsedTime? DtStart { get; init; }
    [JsonPropertyName("dtend")] public ParsedTime? DtEnd { get; init; }
    [JsonPropertyName("organizer")] public ParsedAddress? Organizer { get; init; }
    [JsonPropertyName("attendees")] public List<ParsedAddress> Attendees { get; init; } = [];
}

public sealed class ParsedTime
{
    [JsonPropertyName("utc")] public string Utc { get; init; } = "";
    [JsonPropertyName("isUtc")] public bool IsUtc { get; init; }
}

public sealed class ParsedAddress
{
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("cn")] public string? CommonName { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("rsvp")] public string? Rsvp { get; init; }
    [JsonPropertyName("partstat")] public string? PartStat { get; init; }
}
