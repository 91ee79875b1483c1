using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jtai.Strategy.BuildingBlocks.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// Every ActivitySource whose spans we keep: HTTP in, the bus, the database, and every source of
    /// ours (the wildcard takes in services' and libraries' own, e.g. the delivery library's).
    /// </summary>
    public static readonly string[] TraceSources = ["Microsoft.AspNetCore", "MassTransit", "Npgsql", JtaiTelemetry.Name + "*"];

    public static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "MassTransit", "Npgsql", JtaiTelemetry.Name + "*"];

    /// <summary>
    /// OpenTelemetry through the base SDK (OpenTelemetry.Extensions.Hosting is not available here):
    /// traces and metrics always collected, so trace context flows HTTP → outbox → bus → consumer;
    /// exported by OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured. Logs are structured
    /// (JSON on the console outside Development) and exported by OTLP likewise.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }
        else
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        if (exportOtlp)
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
        }

        var sdk = OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(r => r.AddService(serviceName));
            otel.WithTracing(t => t.AddSource(TraceSources));
            otel.WithMetrics(m => m.AddMeter(Meters));
            if (exportOtlp)
            {
                otel.UseOtlpExporter();
            }
        });

        // The container disposes the SDK at shutdown, which flushes pending telemetry.
        builder.Services.AddSingleton(sdk);
        return builder;
    }

    /// <summary>ASP.NET Core's own spans are bare: name them by route and record the status code.</summary>
    public static IApplicationBuilder UseRouteTagging(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null)
        {
            return;
        }

        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (route is not null)
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = $"{context.Request.Method} {route}";
        }

        activity.SetTag("http.request.method", context.Request.Method);
        activity.SetTag("http.response.status_code", context.Response.StatusCode);
    });
}
