using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace Jtai.Strategy.BuildingBlocks.Http;

/// <summary>
/// Reads a JSON body of at most a given size, for endpoints that must check something cheaper first (an anonymous
/// endpoint's token) and must not let a stranger make the service buffer and parse a large body. A declared length
/// over the cap is refused unread; an undeclared (chunked) one is read no further than the cap. Too large: 413.
/// </summary>
public static class BoundedJsonBody
{
    public static async Task<(T? Value, ProblemHttpResult? Refusal)> ReadAsync<T>(HttpRequest request, int maxBytes, JsonSerializerOptions json, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType());
        }

        // The server stops reading past the cap too, where it can (Kestrel; not once the body has been read from).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var read = 0;
            int count;
            while (read <= maxBytes && (count = await request.Body.ReadAsync(buffer.AsMemory(read, maxBytes + 1 - read), cancellationToken)) > 0)
            {
                read += count;
            }

            if (read > maxBytes)
            {
                return (null, Problems.PayloadTooLarge(maxBytes));
            }

            try
            {
                var value = read == 0 ? null : JsonSerializer.Deserialize<T>(buffer.AsSpan(0, read), json);
                return value is not null
                    ? (value, null)
                    : (null, Problems.Of(StatusCodes.Status400BadRequest, "The request could not be read.", "The request body is missing or empty."));
            }
            catch (JsonException ex)
            {
                return (null, Problems.Of(StatusCodes.Status400BadRequest, "The request could not be read.", ex.Message));
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>An endpoint's body cap as routing metadata: the server refuses a larger body before the endpoint reads it.</summary>
public sealed record RequestSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
