using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jtai.Strategy.BuildingBlocks.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// ActivitySources kept besides those the instrumentation packages add (HTTP in and out, Npgsql): the
    /// bus, and every source of ours (the wildcard takes in services' and libraries' own, e.g. the delivery library's).
    /// </summary>
    public static readonly string[] TraceSources = ["MassTransit", JtaiTelemetry.Name + "*"];

    /// <summary>Meters kept besides those the instrumentation packages add (ASP.NET Core, Kestrel, HttpClient, runtime, Npgsql).</summary>
    public static readonly string[] Meters = ["MassTransit", JtaiTelemetry.Name + "*"];

    /// <summary>
    /// OpenTelemetry through the hosting package: the tracer, meter and logger providers live in the
    /// container and are flushed and disposed when the host stops, so spans buffered by the batch
    /// processor at shutdown are still exported. Traces and metrics are always collected, so trace
    /// context flows HTTP → outbox → bus → consumer; exported by OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured (protocol, batch delay and the rest from the
    /// standard <c>OTEL_*</c> settings). Logs are structured (JSON on the console outside Development)
    /// and exported by OTLP likewise.
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

        // No secret path (a response-link token) in any log entry or scope, whichever provider writes it.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetRequiredService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            // The AspNetCore instrumentation names server spans "METHOD route" and records
            // http.route and http.response.status_code (and http.server.request.duration).
            // The redaction processor comes first: every exporter added after it reads spans without secret paths.
            .WithTracing(t => t
                .AddProcessor(new SecretPathRedactionProcessor())
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(TraceSources))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(Meters));

        if (exportOtlp)
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
