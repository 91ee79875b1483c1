using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jtai.Strategy.Testing.Telemetry;

/// <summary>One span as an OTLP exporter sent it, with the service.name of the resource it came from.</summary>
public sealed record ReceivedSpan(
    string ServiceName,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    ulong StartUnixNano,
    ulong EndUnixNano,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>
/// A local OTLP/HTTP receiver (protobuf) on a loopback port: what an OpenTelemetry collector would see.
/// It decodes the trace export requests with a small reader of the protobuf wire format (OTLP's messages
/// are few and stable; the generated OTLP classes are not a package here) and accepts metrics and logs
/// without reading them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedSpan> spans = new();
    private int traceRequests;

    private OtlpReceiver(WebApplication app) => this.app = app;

    /// <summary>The base address to give as OTEL_EXPORTER_OTLP_ENDPOINT (protocol http/protobuf).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<ReceivedSpan> Spans => spans.ToArray();

    /// <summary>How many trace export requests have arrived.</summary>
    public int TraceRequests => Volatile.Read(ref traceRequests);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var receiver = new OtlpReceiver(builder.Build());
        receiver.app.MapPost("/v1/traces", receiver.ReceiveTracesAsync);
        receiver.app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        receiver.app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.Endpoint = new Uri(address);
        return receiver;
    }

    private async Task<IResult> ReceiveTracesAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        foreach (var span in Decode(body.ToArray()))
        {
            spans.Enqueue(span);
        }

        Interlocked.Increment(ref traceRequests);
        // An empty ExportTraceServiceResponse: nothing rejected.
        return Results.Bytes([], "application/x-protobuf");
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    /// <summary>ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }</summary>
    public static List<ReceivedSpan> Decode(ReadOnlySpan<byte> request)
    {
        var result = new List<ReceivedSpan>();
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            var fields = Fields(resourceSpans.Bytes);
            var resource = ToDictionary(fields.Where(f => f.Number == 1).SelectMany(f => Attributes(Fields(f.Bytes).Where(a => a.Number == 1))));
            var service = resource.GetValueOrDefault("service.name", "");
            foreach (var scopeSpans in fields.Where(f => f.Number == 2))
            {
                // ScopeSpans { InstrumentationScope scope = 1 { string name = 1; }; repeated Span spans = 2; }
                var scopeFields = Fields(scopeSpans.Bytes);
                var scope = scopeFields.Where(f => f.Number == 1).Select(f => Fields(f.Bytes).FirstOrDefault(s => s.Number == 1)?.Text).FirstOrDefault() ?? "";
                result.AddRange(scopeFields.Where(f => f.Number == 2).Select(f => DecodeSpan(service, scope, Fields(f.Bytes))));
            }
        }

        return result;
    }

    /// <summary>Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6; fixed64 start = 7; fixed64 end = 8; repeated KeyValue attributes = 9; }</summary>
    private static ReceivedSpan DecodeSpan(string service, string scope, List<Field> span) => new(
        service,
        scope,
        Hex(span, 1),
        Hex(span, 2),
        Hex(span, 4),
        span.FirstOrDefault(f => f.Number == 5)?.Text ?? "",
        (int)(span.FirstOrDefault(f => f.Number == 6)?.Value ?? 0),
        span.FirstOrDefault(f => f.Number == 7)?.Value ?? 0,
        span.FirstOrDefault(f => f.Number == 8)?.Value ?? 0,
        ToDictionary(Attributes(span.Where(f => f.Number == 9))));

    private static Dictionary<string, string> ToDictionary(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var dictionary = new Dictionary<string, string>();
        foreach (var (key, value) in pairs)
        {
            dictionary[key] = value;
        }

        return dictionary;
    }

    private static string Hex(List<Field> fields, int number) =>
        fields.FirstOrDefault(f => f.Number == number) is { } field ? Convert.ToHexStringLower(field.Bytes) : "";

    /// <summary>
    /// KeyValue { string key = 1; AnyValue value = 2; } with AnyValue { string string_value = 1; bool bool_value = 2;
    /// int64 int_value = 3; double double_value = 4; } (arrays, maps and bytes are not read).
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(IEnumerable<Field> keyValues)
    {
        foreach (var keyValue in keyValues)
        {
            var fields = Fields(keyValue.Bytes);
            var key = fields.FirstOrDefault(f => f.Number == 1)?.Text;
            var value = fields.FirstOrDefault(f => f.Number == 2) is { } any ? Fields(any.Bytes).FirstOrDefault() : null;
            if (key is null || value is null)
            {
                continue;
            }

            var text = value.Number switch
            {
                1 => value.Text,
                2 => value.Value != 0 ? "true" : "false",
                3 => ((long)value.Value).ToString(CultureInfo.InvariantCulture),
                4 => BitConverter.UInt64BitsToDouble(value.Value).ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null)
            {
                yield return new(key, text);
            }
        }
    }

    private sealed record Field(int Number, ulong Value, byte[] Bytes)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
    }

    /// <summary>The fields of one message: varint (0), fixed64 (1), length-delimited (2) and fixed32 (5).</summary>
    private static List<Field> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<Field>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    fields.Add(new Field(number, ReadVarint(message, ref position), []));
                    break;
                case 1:
                    fields.Add(new Field(number, BitConverter.ToUInt64(message.Slice(position, 8)), []));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add(new Field(number, 0, message.Slice(position, length).ToArray()));
                    position += length;
                    break;
                case 5:
                    fields.Add(new Field(number, BitConverter.ToUInt32(message.Slice(position, 4)), []));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Unexpected protobuf wire type {tag & 7} at byte {position}.");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
