namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>How the proxy's logs are written: a line of text per entry, or a JSON object per line for log collectors.</summary>
public enum LogFormat
{
    Text,
    Json,
}

internal static class ProxyLogging
{
    /// <summary>The console logger in <paramref name="format"/>; a JSON entry carries the trace and span ids of its command.</summary>
    public static ILoggingBuilder AddProxyConsole(this ILoggingBuilder logging, LogFormat format)
    {
        logging.Configure(tracking => tracking.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return format == LogFormat.Json
            ? logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            })
            : logging.AddSimpleConsole(console => console.SingleLine = true);
    }
}
