using System.Net;
using System.Text.Json;
using Cloudstate.Es.Proxy.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>
/// The admin port, a web server of its own beside the front end: <c>/metrics</c> in Prometheus' text format,
/// <c>/healthz</c> (the process is alive) and <c>/ready</c> (it can take commands). It starts before discovery, so that
/// a probe sees the proxy come up stage by stage, and stops after the front end.
/// </summary>
internal static partial class AdminServer
{
    /// <summary>The admin application, started; throws <see cref="IOException"/> when its port cannot be bound.</summary>
    public static async Task<WebApplication> StartAsync(ProxyOptions options, ProxyReadiness readiness, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Its own line says where it listens: "Now listening on" stays the front end's, which scripts wait for.
        builder.Logging.AddProxyConsole(options.LogFormat)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.Admin.Host), options.Admin.Port, listen => listen.Protocols = HttpProtocols.Http1));
        builder.Services.AddHealthChecks().AddReadinessChecks(readiness, options.UserFunction);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("cloudstate-es-proxy"));
        if (options.Admin.Metrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(ProxyInstruments.MeterNames).AddMeter("System.Runtime");
                // A scrape sees every command answered before it, not a copy kept from an earlier scrape.
                metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (Telemetry.OtlpConfigured)
                    metrics.AddOtlpExporter();
            });
        }

        // Spans are made only when something listens: with no collector named, tracing costs nothing on the command path.
        if (Telemetry.OtlpTracesConfigured)
            telemetry.WithTracing(tracing => tracing.AddSource(ProxyTracing.SourceName).AddOtlpExporter());

        var app = builder.Build();
        if (options.Admin.Metrics)
            app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadinessChecks.Tag), ResponseWriter = WriteAsync });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        LogListening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminServer)), string.Join(", ", app.Urls));
        return app;
    }

    // {"status":"Unhealthy","checks":[{"name":"journal","status":"Unhealthy","description":"..."}]}: what failed, in words.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Report(report.Status.ToString(), [.. report.Entries.Select(e => new Entry(e.Key, e.Value.Status.ToString(), e.Value.Description))]);
        return JsonSerializer.SerializeAsync(context.Response.Body, body, AdminJson.Default.Report);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin port (/metrics, /healthz, /ready) listening on: {Urls}")]
    private static partial void LogListening(ILogger logger, string urls);

    internal sealed record Report(string Status, Entry[] Checks);

    internal sealed record Entry(string Name, string Status, string? Description);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AdminServer.Report))]
internal sealed partial class AdminJson : System.Text.Json.Serialization.JsonSerializerContext;
