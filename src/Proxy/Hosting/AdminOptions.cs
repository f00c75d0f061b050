using System.Net;

namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>The admin port: metrics and health, apart from the clients' port and its limits.</summary>
public sealed class AdminOptions
{
    /// <summary>Address the admin port binds. Default 127.0.0.1; 0.0.0.0 for every interface (a Kubernetes probe, a scraper).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of <c>/metrics</c>, <c>/healthz</c> and <c>/ready</c>. Default 9001; 0 picks a free port.</summary>
    public int Port { get; set; } = 9001;

    /// <summary>Whether the proxy records metrics and serves <c>/metrics</c>. Default true; off, no instrument costs a thing.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>One line per setting that is wrong, naming its option.</summary>
    public IEnumerable<string> Problems()
    {
        if (!IPAddress.TryParse(Host, out _))
            yield return $"--admin-host: '{Host}' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::).";
        if (Port is < 0 or > 65535)
            yield return $"--admin-port: {Port} is not a TCP port.";
    }
}
