namespace Cloudstate.Es.Sdk.Hosting;

/// <summary>Where the user function listens and how it introduces itself to the proxy.</summary>
public sealed class CloudstateOptions
{
    /// <summary>The address to listen on: the <c>HOST</c> environment variable, else 127.0.0.1.</summary>
    public string Host { get; set; } = Environment.GetEnvironmentVariable("HOST") is { Length: > 0 } host ? host : "127.0.0.1";

    /// <summary>The port to listen on: the <c>PORT</c> environment variable, else 8080. 0 picks a free port.</summary>
    public int Port { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var port) ? port : 8080;

    /// <summary>The stateful service's name reported at discovery; defaults to the entry assembly's name.</summary>
    public string? ServiceName { get; set; }

    /// <summary>The stateful service's version reported at discovery; defaults to the entry assembly's version.</summary>
    public string? ServiceVersion { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new InvalidOperationException("Cloudstate: Host must not be empty.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"Cloudstate: Port {Port} is not a TCP port.");
        }
    }
}
