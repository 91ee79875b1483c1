using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jtai.Strategy.BuildingBlocks.Security;

namespace Jtai.Strategy.Testing.Fuzzing;

/// <summary>What a fuzz run saw: requests sent, statuses, and every answer that broke the rule (a 5xx, or an error that is not a problem document).</summary>
public sealed class FuzzReport
{
    private readonly object gate = new();

    public int Requests { get; private set; }

    public SortedDictionary<int, int> ByStatus { get; } = [];

    public SortedDictionary<string, int> ByMutation { get; } = new(StringComparer.Ordinal);

    public List<string> Findings { get; } = [];

    public int ServerErrors { get; private set; }

    public int NotProblemDocuments { get; private set; }

    internal void Add(string mutation, int status, string? finding, bool serverError)
    {
        lock (gate)
        {
            Requests++;
            ByStatus[status] = ByStatus.GetValueOrDefault(status) + 1;
            ByMutation[mutation] = ByMutation.GetValueOrDefault(mutation) + 1;
            if (finding is not null)
            {
                ServerErrors += serverError ? 1 : 0;
                NotProblemDocuments += serverError ? 0 : 1;
                if (Findings.Count < 50)
                {
                    Findings.Add(finding);
                }
            }
        }
    }

    public string Summary() =>
        $"{Requests} requests; statuses {string.Join(", ", ByStatus.Select(s => $"{s.Key}×{s.Value}"))}; " +
        $"{ServerErrors} 5xx; {NotProblemDocuments} errors without a problem document";
}

/// <summary>
/// Malformed requests generated from a service's OpenAPI document, reproducibly from a seed: for a random operation,
/// a request built from its parameters and body schema, then one mutation — a wrong type, a missing or an extra field,
/// a huge string, bytes that are not UTF-8, broken or deeply nested JSON, a wrong content type, a malformed path or
/// query value, or an invalid token. Most requests carry a valid token of a random role, so the body is judged, not
/// only the sign-in. The rule checked on each answer: never a 5xx, and every 4xx a problem document
/// (<c>application/problem+json</c>).
/// </summary>
public sealed class OpenApiFuzzer(string service, JsonObject document, Func<HttpClient> clients, int seed)
{
    public static readonly string[] Mutations =
    [
        "none", "wrong-type", "missing-field", "extra-field", "huge-string", "not-utf8", "broken-json", "deep-json",
        "wrong-content-type", "null-body", "bad-number", "bad-path", "bad-query", "invalid-token",
    ];

    private readonly Random random = new(seed);
    private readonly List<(string Method, string Path, JsonObject Operation)> operations =
    [
        .. from path in document["paths"]!.AsObject()
           from operation in path.Value!.AsObject()
           where operation.Key is "get" or "put" or "post" or "delete" or "patch"
           select (operation.Key.ToUpperInvariant(), path.Key, operation.Value!.AsObject()),
    ];

    public async Task RunAsync(int count, FuzzReport report, CancellationToken cancellationToken = default)
    {
        using var client = clients();
        for (var i = 0; i < count; i++)
        {
            var (method, path, operation) = operations[random.Next(operations.Count)];
            var mutation = Mutations[random.Next(Mutations.Length)];
            using var request = Build(method, path, operation, mutation);
            var what = $"{service} #{i} [{mutation}] {method} {Shorten(request.RequestUri!.OriginalString)}";
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            string? finding = null;
            if (status >= 500)
            {
                finding = $"{what}: {status} {Shorten(body)}";
            }
            else if (status >= 400 && (mediaType != "application/problem+json" || !IsProblem(body)))
            {
                finding = $"{what}: {status} as {mediaType ?? "no content type"}, not a problem document: {Shorten(body)}";
            }

            report.Add(mutation, status, finding, status >= 500);
        }
    }

    private static bool IsProblem(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject problem && problem["status"] is not null && problem["title"] is not null;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private HttpRequestMessage Build(string method, string path, JsonObject operation, string mutation)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
        var filled = Regex.Replace(path, @"\{([^}:]+)[^}]*\}", m =>
        {
            var declared = parameters.FirstOrDefault(p => (string?)p["name"] == m.Groups[1].Value && (string?)p["in"] == "path");
            var value = mutation == "bad-path" ? BadPathValue() : ValueOf(declared?["schema"] as JsonObject, 0)?.ToString() ?? "x";
            return mutation == "bad-path" ? value : Uri.EscapeDataString(value);
        });

        var query = new List<string>();
        foreach (var parameter in parameters.Where(p => (string?)p["in"] == "query"))
        {
            if (random.Next(3) == 0)
            {
                continue;
            }

            var value = mutation == "bad-query" ? BadScalar() : ValueOf(parameter["schema"] as JsonObject, 0)?.ToString() ?? "";
            query.Add($"{Uri.EscapeDataString((string)parameter["name"]!)}={Uri.EscapeDataString(value)}");
        }

        if (mutation == "bad-query")
        {
            query.Add($"{Uri.EscapeDataString(BadScalar())}={Uri.EscapeDataString(BadScalar())}");
        }

        var request = new HttpRequestMessage(new HttpMethod(method), filled + (query.Count > 0 ? "?" + string.Join("&", query) : ""));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", mutation == "invalid-token" ? InvalidToken() : ValidToken());

        var content = operation["requestBody"]?["content"] as JsonObject;
        if (content is null && mutation is not ("wrong-content-type" or "broken-json" or "not-utf8"))
        {
            return request;
        }

        var (mediaType, schema) = content?.FirstOrDefault() is { Key: { } key } first ? (key, first.Value?["schema"] as JsonObject) : ("application/json", null);
        request.Content = mediaType == "application/json" ? JsonBody(schema, mutation) : TextBody(mediaType, mutation);
        return request;
    }

    private HttpContent JsonBody(JsonObject? schema, string mutation)
    {
        var body = ValueOf(schema, 0);
        switch (mutation)
        {
            case "wrong-type":
                body = Mutate(body, node => WrongType(node));
                break;
            case "missing-field":
                if (body is JsonObject missing && missing.Count > 0)
                {
                    missing.Remove(missing.ElementAt(random.Next(missing.Count)).Key);
                }

                break;
            case "extra-field":
                if (body is JsonObject extra)
                {
                    extra["unexpected" + random.Next(1000)] = new JsonArray(1, "two", null);
                }

                break;
            case "huge-string":
                body = Mutate(body, _ => JsonValue.Create(new string('x', random.Next(2) == 0 ? 70_000 : 1_000_000)));
                break;
            case "bad-number":
                body = Mutate(body, _ => JsonNode.Parse(random.Next(3) switch { 0 => "1e400", 1 => "-99999999999999999999999", _ => "-1" }));
                break;
            case "null-body":
                return new StringContent(random.Next(2) == 0 ? "null" : "", Encoding.UTF8, "application/json");
            case "broken-json":
                var text = body?.ToJsonString() ?? "{}";
                return new StringContent(text[..Math.Max(1, text.Length / 2)] + (random.Next(2) == 0 ? "" : "}}]\"'"), Encoding.UTF8, "application/json");
            case "deep-json":
                var depth = random.Next(100, 5_000);
                return new StringContent(new string('[', depth) + new string(']', depth), Encoding.UTF8, "application/json");
            case "not-utf8":
                return Bytes([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D], "application/json; charset=utf-8");
            case "wrong-content-type":
                return new StringContent(body?.ToJsonString() ?? "{}", Encoding.UTF8, random.Next(2) == 0 ? "text/plain" : "application/xml");
        }

        return new StringContent(body?.ToJsonString() ?? "null", Encoding.UTF8, "application/json");
    }

    private HttpContent TextBody(string mediaType, string mutation) => mutation switch
    {
        "not-utf8" => Bytes([0xC3, 0x28, 0xFF, 0x2C, 0x0A], mediaType),
        "huge-string" => new StringContent(new string('x', 1_000_000), Encoding.UTF8, mediaType),
        "wrong-content-type" => new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"),
        _ => new StringContent(random.Next(2) == 0 ? "a,b,c\n1,\"2\n" : "\"unterminated,\n,,,\n", Encoding.UTF8, mediaType),
    };

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>Replaces one value somewhere in the document (the whole document if it is a scalar).</summary>
    private JsonNode? Mutate(JsonNode? node, Func<JsonNode?, JsonNode?> change)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            var key = obj.ElementAt(random.Next(obj.Count)).Key;
            obj[key] = random.Next(3) == 0 ? Mutate(obj[key]?.DeepClone(), change) : change(obj[key]?.DeepClone());
            return obj;
        }

        if (node is JsonArray array && array.Count > 0)
        {
            var index = random.Next(array.Count);
            array[index] = change(array[index]?.DeepClone());
            return array;
        }

        return change(node);
    }

    private JsonNode? WrongType(JsonNode? node) => node switch
    {
        JsonObject => new JsonArray(1, 2),
        JsonArray => JsonValue.Create("not a list"),
        JsonValue v when v.TryGetValue<string>(out _) => random.Next(2) == 0 ? JsonValue.Create(12345) : new JsonObject { ["nested"] = true },
        JsonValue v when v.TryGetValue<bool>(out _) => JsonValue.Create("yes"),
        JsonValue => JsonValue.Create("twelve"),
        _ => new JsonObject(),
    };

    /// <summary>A value that fits the schema, as far as it says (references followed, depth bounded).</summary>
    private JsonNode? ValueOf(JsonObject? schema, int depth)
    {
        schema = Resolve(schema);
        if (schema is null || depth > 6)
        {
            return null;
        }

        if (schema["enum"] is JsonArray values && values.Count > 0)
        {
            return values[random.Next(values.Count)]?.DeepClone();
        }

        foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema[key] is JsonArray choices && choices.Count > 0)
            {
                var concrete = choices.Select(c => Resolve(c as JsonObject)).FirstOrDefault(c => c is not null && TypeOf(c) != "null");
                return ValueOf(concrete, depth + 1);
            }
        }

        return TypeOf(schema) switch
        {
            "object" => ObjectOf(schema, depth),
            "array" => new JsonArray([.. Enumerable.Range(0, random.Next(3)).Select(_ => ValueOf(schema["items"] as JsonObject, depth + 1))]),
            "integer" => JsonValue.Create(random.Next(1, 100)),
            "number" => JsonValue.Create(random.Next(1, 100) / 4.0),
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            "null" => null,
            _ => JsonValue.Create(StringOf((string?)schema["format"])),
        };
    }

    private JsonObject ObjectOf(JsonObject schema, int depth)
    {
        var result = new JsonObject();
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            result[name] = ValueOf(property as JsonObject, depth + 1);
        }

        return result;
    }

    private string StringOf(string? format) => format switch
    {
        "uuid" => Guid.NewGuid().ToString(),
        "date-time" => DateTimeOffset.UtcNow.AddHours(random.Next(-48, 48)).ToString("O", CultureInfo.InvariantCulture),
        "date" => DateTime.UtcNow.AddDays(random.Next(-30, 30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "email" => $"fuzz{random.Next(1000)}@example.test",
        "int32" or "int64" => random.Next(100).ToString(CultureInfo.InvariantCulture),
        _ => random.Next(4) switch { 0 => "DURHAM-POLICE", 1 => "FF-FUZZ", 2 => "", _ => "fuzz " + random.Next(1000) },
    };

    private JsonObject? Resolve(JsonObject? schema)
    {
        for (var i = 0; i < 10 && schema?["$ref"] is JsonValue reference; i++)
        {
            var name = ((string)reference!).Split('/')[^1];
            schema = document["components"]?["schemas"]?[name] as JsonObject;
        }

        return schema;
    }

    /// <summary>The schema's type; of an OpenAPI 3.1 list of types, the first that is not null.</summary>
    private static string? TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null") ?? "null",
        JsonValue type => (string?)type,
        _ => schema["properties"] is not null ? "object" : null,
    };

    private string BadPathValue() => random.Next(6) switch
    {
        0 => new string('9', 4_000),
        1 => "%C3%28%FF",
        2 => "..%2F..%2Fetc%2Fpasswd",
        3 => "%E2%80%AE%F0%9F%92%A5",
        4 => "-1",
        _ => Uri.EscapeDataString("' OR 1=1 --"),
    };

    private string BadScalar() => random.Next(6) switch
    {
        0 => new string('z', 3_000),
        1 => "-99999999999999999999",
        2 => "not-a-date",
        3 => "\u0000\uFFFF",
        4 => "1e400",
        _ => "[]{}",
    };

    private string ValidToken()
    {
        var role = JtaiRoles.All[random.Next(JtaiRoles.All.Length)];
        return DevelopmentTokens.Mint("fuzz-" + role, [role], agency: "DURHAM-POLICE", team: "FF-FUZZ");
    }

    private string InvalidToken() => random.Next(5) switch
    {
        0 => "not-a-jwt",
        1 => DevelopmentTokens.Mint("fuzz", [JtaiRoles.Administrator], lifetime: TimeSpan.FromMinutes(1), now: DateTimeOffset.UtcNow.AddDays(-2)),
        2 => DevelopmentTokens.Mint("fuzz", [JtaiRoles.Administrator], signingKey: "another-key-that-is-long-enough-to-sign-with-0123456789"),
        // An unsigned token ("alg": "none") claiming to be an administrator.
        3 => "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IkFkbWluaXN0cmF0b3IifQ.",
        _ => new string('A', 10_000),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
