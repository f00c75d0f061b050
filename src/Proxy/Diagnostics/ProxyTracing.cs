using System.Diagnostics;
using Cloudstate.Es.Protocol;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>
/// The proxy's spans, on one activity source: a span per command at the front end, continuing the client's W3C trace
/// context; the entity's span with activation and the user-function exchange under it; the journal append. The context
/// travels in the command's Cloudstate metadata (<c>traceparent</c>, <c>tracestate</c>): across the cluster to the
/// entity's node, and to the user function, whose spans join the same trace.
/// </summary>
internal static class ProxyTracing
{
    public const string SourceName = "Cloudstate.Es.Proxy";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The trace context <paramref name="metadata"/> carries; default (a new trace) when it carries none or a malformed one.</summary>
    public static ActivityContext ParentOf(Metadata? metadata)
    {
        if (metadata is null || !Source.HasListeners())
            return default;
        string? parent = null, state = null;
        foreach (var entry in metadata.Entries)
        {
            if (entry.ValueCase != MetadataEntry.ValueOneofCase.StringValue)
                continue;
            if (entry.Key.Equals(TraceParent, StringComparison.OrdinalIgnoreCase))
                parent = entry.StringValue;
            else if (entry.Key.Equals(TraceState, StringComparison.OrdinalIgnoreCase))
                state = entry.StringValue;
        }

        return parent is not null && ActivityContext.TryParse(parent, state, isRemote: true, out var context) ? context : default;
    }

    /// <summary>
    /// <paramref name="metadata"/> with <paramref name="activity"/>'s context as its <c>traceparent</c> and <c>tracestate</c>,
    /// in place of any it had; unchanged without an activity (nobody listens).
    /// </summary>
    public static Metadata? WithContext(Metadata? metadata, Activity? activity)
    {
        if (activity is null)
            return metadata;
        metadata ??= new Metadata();
        for (var i = metadata.Entries.Count - 1; i >= 0; i--)
        {
            var key = metadata.Entries[i].Key;
            if (key.Equals(TraceParent, StringComparison.OrdinalIgnoreCase) || key.Equals(TraceState, StringComparison.OrdinalIgnoreCase))
                metadata.Entries.RemoveAt(i);
        }

        metadata.Entries.Add(new MetadataEntry { Key = TraceParent, StringValue = activity.Id });
        if (activity.TraceStateString is { Length: > 0 } traceState)
            metadata.Entries.Add(new MetadataEntry { Key = TraceState, StringValue = traceState });
        return metadata;
    }

    /// <summary>Marks <paramref name="activity"/> failed with the gRPC status the client got.</summary>
    public static void Failed(Activity? activity, Grpc.Core.StatusCode code, string? description)
    {
        if (activity is null)
            return;
        activity.SetTag("rpc.grpc.status_code", (int)code);
        activity.SetStatus(ActivityStatusCode.Error, description);
    }
}
