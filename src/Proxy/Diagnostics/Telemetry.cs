namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>Where telemetry goes besides the admin port.</summary>
internal static class Telemetry
{
    /// <summary>Whether the standard OTLP exporter variables name a collector for metrics; only then are they pushed to it.</summary>
    public static bool OtlpConfigured => Named("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");

    /// <summary>Whether the OTLP variables name a collector for traces.</summary>
    public static bool OtlpTracesConfigured => Named("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

    // The shared endpoint, or the signal's own.
    private static bool Named(string signalEndpoint) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(signalEndpoint));
}
