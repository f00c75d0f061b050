using System.Diagnostics;

namespace Cloudstate.Es.Sdk;

/// <summary>
/// The Sdk's spans: one per command handled, under the span the proxy sent with the command (its <c>traceparent</c>
/// metadata), so that a user function's work shows in the same trace as the proxy's. Export them by adding this source
/// to the application's OpenTelemetry tracing (<c>AddSource(SdkTracing.SourceName)</c>).
/// </summary>
public static class SdkTracing
{
    public const string SourceName = "Cloudstate.Es.Sdk";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of one command of <paramref name="entity"/>, continuing the trace the command's metadata carries; null when nobody listens.</summary>
    internal static Activity? StartCommand(string entity, string command, Metadata metadata)
    {
        if (!Source.HasListeners())
            return null;
        var parent = metadata.Get("traceparent") is { } traceParent && ActivityContext.TryParse(traceParent, metadata.Get("tracestate"), isRemote: true, out var context)
            ? context
            : default;
        var activity = Source.StartActivity($"{entity}/{command}", ActivityKind.Server, parent);
        activity?.SetTag("rpc.method", command);
        return activity;
    }
}
