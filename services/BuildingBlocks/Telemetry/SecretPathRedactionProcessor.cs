using System.Diagnostics;
using OpenTelemetry;

namespace Jtai.Strategy.BuildingBlocks.Telemetry;

/// <summary>
/// Redacts secret paths (<see cref="SecretPaths"/>) from every span before any exporter sees it: the URL attributes the
/// HTTP instrumentations set (<c>url.path</c>, <c>url.full</c>, the older <c>http.target</c> and <c>http.url</c>) and
/// the span's name. Registered first, so exporters added after it (OTLP, tests' in-memory one) read the redacted span.
/// </summary>
public sealed class SecretPathRedactionProcessor : BaseProcessor<Activity>
{
    private static readonly string[] UrlTags = ["url.path", "url.full", "http.target", "http.url", "url.original"];

    public override void OnEnd(Activity data)
    {
        foreach (var tag in UrlTags)
        {
            if (data.GetTagItem(tag) is string value && SecretPaths.MayContainSecret(value))
            {
                data.SetTag(tag, SecretPaths.Redact(value));
            }
        }

        if (SecretPaths.MayContainSecret(data.DisplayName))
        {
            data.DisplayName = SecretPaths.Redact(data.DisplayName);
        }
    }
}
