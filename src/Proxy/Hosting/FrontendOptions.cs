using System.Net;

namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>The front end's port (gRPC and HTTP/JSON on one) and what it accepts from clients.</summary>
public sealed class FrontendOptions
{
    /// <summary>Address the front end binds. Default 127.0.0.1; 0.0.0.0 for every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of the front end. Default 9000; 0 picks a free port.</summary>
    public int Port { get; set; } = 9000;

    /// <summary>Largest request a client may send, and the largest message to and from the user function. Default 12 MiB.</summary>
    public int MaxMessageSize { get; set; } = 12 * 1024 * 1024;

    /// <summary>Longest entity key in UTF-8 bytes (several key fields joined); longer ones get INVALID_ARGUMENT. Default 1 KiB.</summary>
    public int MaxEntityKeyLength { get; set; } = 1024;

    /// <summary>Timeouts and header limits of each client connection; see <see cref="ConnectionOptions"/>.</summary>
    public ConnectionOptions Connections { get; set; } = new();

    /// <summary>One line per setting that is wrong, naming its option.</summary>
    public IEnumerable<string> Problems()
    {
        IEnumerable<string> Own()
        {
            if (!IPAddress.TryParse(Host, out _))
                yield return $"--host: '{Host}' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::).";
            if (Port is < 0 or > 65535)
                yield return $"--port: {Port} is not a TCP port.";
            if (MaxMessageSize <= 0)
                yield return "--max-message-size must be positive.";
            if (MaxEntityKeyLength <= 0)
                yield return "--max-key-length must be positive.";
        }

        return Own().Concat(Connections.Problems());
    }
}
