using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jtai.Strategy.Web.Apis;

// The pages' view of the services' JSON: only the fields they show. Enumerations stay strings (the APIs write them
// as names), so the web service depends on no service's types.

/// <summary>An RFC 9457 problem from an API: title, detail, and field errors keyed by the request's field names.</summary>
public sealed record ApiProblem(HttpStatusCode Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<ProblemBody>(ApiJson.Options, cancellationToken);
            return new ApiProblem(response.StatusCode, body?.Title ?? response.ReasonPhrase ?? "Error", body?.Detail,
                body?.Errors ?? new Dictionary<string, string[]>());
        }
        catch (JsonException)
        {
            return new ApiProblem(response.StatusCode, response.ReasonPhrase ?? "Error", null, new Dictionary<string, string[]>());
        }
    }

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}

/// <summary>What an API call gave: the value, or the problem it answered with.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
