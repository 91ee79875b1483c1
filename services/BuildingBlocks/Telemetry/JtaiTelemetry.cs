using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Jtai.Strategy.BuildingBlocks.Telemetry;

/// <summary>The project's own ActivitySource and Meter, shared by the building blocks.</summary>
public static class JtaiTelemetry
{
    public const string Name = "Jtai.Strategy";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
