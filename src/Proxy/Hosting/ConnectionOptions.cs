namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>Bounds on each client connection to the front end, so slow or hostile clients cannot hold it open or make it
/// buffer without limit. Header limits are Envoy's defaults (max_request_headers_kb 60, max_headers_count 100).</summary>
public sealed class ConnectionOptions
{
    /// <summary>How long a new connection has to send the HTTP/2 preface, and an HTTP/1.1 request its request line and
    /// headers (also HTTP/2 header blocks split over frames); then the connection is closed. Default 5 s.</summary>
    public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a connection with no request in flight stays open (Kestrel's keep-alive timeout). Default 130 s.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Largest total size of one request's headers, HTTP/1.1 or HTTP/2 (decoded); more is HTTP 431, or a failed
    /// gRPC call. Default 60 KiB.</summary>
    public int MaxHeadersSize { get; set; } = 60 * 1024;

    /// <summary>Most headers in one request; more is HTTP 431, or a failed gRPC call. Default 100.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>Longest HTTP/1.1 request line (method, path and query); longer is HTTP 414. Default 8 KiB (Kestrel's).</summary>
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>Quiet time on an HTTP/2 connection after which the proxy pings the client. Default 60 s.</summary>
    public TimeSpan PingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an HTTP/2 client has to answer a ping before its connection is closed. Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>One line per limit that is out of range, naming its option.</summary>
    public IEnumerable<string> Problems()
    {
        if (HeaderTimeout <= TimeSpan.Zero)
            yield return "--header-timeout must be positive.";
        if (IdleTimeout <= TimeSpan.Zero)
            yield return "--idle-timeout must be positive.";
        if (MaxHeadersSize < 1024)
            yield return "--max-headers-size must be at least 1024 bytes.";
        if (MaxHeaderCount <= 0)
            yield return "--max-header-count must be positive.";
        if (MaxRequestLineSize < 256)
            yield return "The longest request line must be at least 256 bytes.";
        if (PingDelay <= TimeSpan.Zero)
            yield return "The HTTP/2 ping delay must be positive.";
        if (PingTimeout <= TimeSpan.Zero)
            yield return "The HTTP/2 ping timeout must be positive.";
    }
}
