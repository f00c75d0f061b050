namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>Where telemetry goes besides the admin port.</summary>
internal static class Telemetry
{
    /// <summary>Whether the standard OTLP exporter variables name a collector; only then are metrics and traces pushed to it.</summary>
    public static bool OtlpConfigured =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));

    /// <summary>Whether the OTLP variables name a collector for traces.</summary>
    public static bool OtlpTracesConfigured =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
}
