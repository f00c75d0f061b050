namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>Where the user function listens, and how patiently the proxy waits for it at start.</summary>
public sealed class UserFunctionOptions
{
    /// <summary>Host of the user function (<c>--user-function HOST:PORT</c>). Default 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of the user function. Default 8080.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Longest pause between discovery attempts while the user function is not up. Default 5 s.</summary>
    public TimeSpan DiscoveryMaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public Uri Address => new($"http://{Host}:{Port}");

    /// <summary>One line per setting that is wrong, naming its option.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Host))
            yield return "--user-function: the host is empty.";
        if (Port is <= 0 or > 65535)
            yield return $"--user-function: {Port} is not a TCP port.";
        if (DiscoveryMaxBackoff <= TimeSpan.Zero)
            yield return "The longest pause between discovery attempts must be positive.";
    }
}
