namespace Cloudstate.Es.Proxy.Configuration;

/// <summary>Everything the proxy is told at start-up; see <see cref="ProxyCommandLine"/> for the flags and environment names.</summary>
public sealed class ProxyOptions
{
    /// <summary>Host of the user function. Default 127.0.0.1.</summary>
    public string UserFunctionHost { get; set; } = "127.0.0.1";

    /// <summary>Port of the user function. Default 8080.</summary>
    public int UserFunctionPort { get; set; } = 8080;

    /// <summary>Address the front end binds. Default 127.0.0.1; 0.0.0.0 for every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of the front end (gRPC). Default 9000; 0 picks a free port.</summary>
    public int Port { get; set; } = 9000;

    /// <summary>Where the embedded journal and snapshots live. Default ./data.</summary>
    public string DataDirectory { get; set; } = "data";

    private StoreSettings? store;

    /// <summary>The journal and snapshot store, from a StatefulStore file (<see cref="StatefulStoreFile"/>). Default: the
    /// embedded SQLite in <see cref="DataDirectory"/>, following it when it changes.</summary>
    public StoreSettings Store
    {
        get => store ?? new SqliteStoreSettings("embedded", DataDirectory);
        set => store = value;
    }

    /// <summary>Idle time before an entity instance passivates, unless the entity sets its own. Default 30 s.</summary>
    public TimeSpan PassivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest request a client may send. Default 12 MiB.</summary>
    public int MaxMessageSize { get; set; } = 12 * 1024 * 1024;

    /// <summary>Most entity instances active on this node; past it the least recently used idle ones passivate early, and
    /// a new activation is RESOURCE_EXHAUSTED only when none is idle. Default 10,000 (about 80 MB in the proxy at the
    /// measured 8 KB per instance, plus the user function's share).</summary>
    public int MaxActiveEntities { get; set; } = 10_000;

    /// <summary>Most commands waiting for one entity instance behind the one it handles; more get RESOURCE_EXHAUSTED. Default 64.</summary>
    public int MaxQueuedCommands { get; set; } = 64;

    /// <summary>Longest entity key in UTF-8 bytes (several key fields joined); longer ones get INVALID_ARGUMENT. Default 1 KiB.</summary>
    public int MaxEntityKeyLength { get; set; } = 1024;

    /// <summary>How long one command may take end to end before the client gets DEADLINE_EXCEEDED. Default 60 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Keep a snapshot the user function offers only after this many events since the last kept one; 0 keeps every
    /// one offered, -1 none. Default 0.</summary>
    public int SnapshotEvery { get; set; }

    /// <summary>Longest pause between discovery attempts while the user function is not up. Default 5 s.</summary>
    public TimeSpan DiscoveryMaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeouts and header limits of each client connection; see <see cref="ConnectionOptions"/>.</summary>
    public ConnectionOptions Connections { get; set; } = new();

    public Uri UserFunctionAddress => new($"http://{UserFunctionHost}:{UserFunctionPort}");

    /// <summary>Throws with the name of the first setting that is out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Require(!string.IsNullOrWhiteSpace(UserFunctionHost), "--user-function: the host is empty.");
        Require(UserFunctionPort is > 0 and <= 65535, $"--user-function: {UserFunctionPort} is not a TCP port.");
        Require(System.Net.IPAddress.TryParse(Host, out _), $"--host: '{Host}' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::).");
        Require(Port is >= 0 and <= 65535, $"--port: {Port} is not a TCP port.");
        Require(!string.IsNullOrWhiteSpace(DataDirectory), "--data: the directory is empty.");
        Require(PassivationTimeout > TimeSpan.Zero, "--passivation-timeout must be positive.");
        Require(MaxMessageSize > 0, "--max-message-size must be positive.");
        Require(MaxActiveEntities > 0, "--max-active-entities must be positive.");
        Require(MaxQueuedCommands >= 0, "--max-queued-commands must be 0 or more.");
        Require(MaxEntityKeyLength > 0, "--max-key-length must be positive.");
        Require(CommandTimeout > TimeSpan.Zero, "--command-timeout must be positive.");
        Require(SnapshotEvery >= -1, "--snapshot-every must be -1 (never), 0 (every offered) or a count of events.");
        Connections.Validate();
    }
}
