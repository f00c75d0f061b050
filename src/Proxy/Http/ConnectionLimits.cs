using Cloudstate.Es.Proxy.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>Puts the <see cref="ConnectionOptions"/> into Kestrel's limits, for the shared port and its HTTP/1.1 socket alike.</summary>
internal static class ConnectionLimits
{
    public static void Apply(KestrelServerLimits limits, ConnectionOptions connections)
    {
        // Bodies are bounded per request: gRPC by its message size, HTTP/JSON by RequestBodyLimit.
        limits.MaxRequestBodySize = null;
        // Kestrel starts this clock at a request's first byte; the silence before it is the preface sniff's (SharedPort).
        limits.RequestHeadersTimeout = connections.HeaderTimeout;
        limits.KeepAliveTimeout = connections.IdleTimeout;
        limits.MaxRequestHeadersTotalSize = connections.MaxHeadersSize;
        limits.MaxRequestHeaderCount = connections.MaxHeaderCount;
        limits.MaxRequestLineSize = connections.MaxRequestLineSize;
        // One field may take the whole header budget, as on HTTP/1.1; the HPACK table stays at the RFC's 4 KiB.
        limits.Http2.MaxRequestHeaderFieldSize = connections.MaxHeadersSize;
        limits.Http2.HeaderTableSize = 4096;
        limits.Http2.KeepAlivePingDelay = connections.PingDelay;
        limits.Http2.KeepAlivePingTimeout = connections.PingTimeout;
    }
}
