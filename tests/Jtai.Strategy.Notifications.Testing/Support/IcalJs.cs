using System.Text.Json;
using System.Text.Json.Serialization;
using Jtai.Strategy.Testing;

namespace Jtai.Strategy.Notifications.Testing;

/// <summary>Runs Mozilla's ical.js (npm, pinned by js/package-lock.json) on an .ics file via js/parse-ics.mjs.</summary>
public static class IcalJs
{
    private static string JsDirectory => Path.Combine(TestPaths.SupportDirectory, "js");

    public static async Task<ParsedIcs> ParseAsync(string ics)
    {
        await NodePackages.EnsureInstalledAsync(JsDirectory, "ical.js");
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
