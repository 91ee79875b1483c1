using System.Diagnostics;

namespace Jtai.Strategy.Notifications.Delivery;

/// <summary>Tracing for delivery attempts: register <see cref="ActivitySourceName"/> with the tracer provider. Spans carry no addresses or content.</summary>
public static class DeliveryTelemetry
{
    public const string ActivitySourceName = "Jtai.Strategy.Notifications.Delivery";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
