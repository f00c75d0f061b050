using Cloudstate.Es.Proxy.Cluster;

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

    /// <summary>How this node finds the other proxy nodes of its stateful service; see <see cref="ClusterOptions"/>.</summary>
    public ClusterOptions Cluster { get; set; } = new();

    public Uri UserFunctionAddress => new($"http://{UserFunctionHost}:{UserFunctionPort}");

    /// <summary>Throws when a setting is out of range or does not fit the others; the message has one line per mistake, each naming its option.</summary>
    public void Validate()
    {
        var problems = Problems().ToList();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>One line per setting that is out of range or does not fit the others.</summary>
    public IEnumerable<string> Problems()
    {
        IEnumerable<string> Own()
        {
            if (string.IsNullOrWhiteSpace(UserFunctionHost))
                yield return "--user-function: the host is empty.";
            if (UserFunctionPort is <= 0 or > 65535)
                yield return $"--user-function: {UserFunctionPort} is not a TCP port.";
            if (!System.Net.IPAddress.TryParse(Host, out _))
                yield return $"--host: '{Host}' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::).";
            if (Port is < 0 or > 65535)
                yield return $"--port: {Port} is not a TCP port.";
            if (string.IsNullOrWhiteSpace(DataDirectory))
                yield return "--data: the directory is empty.";
            if (PassivationTimeout <= TimeSpan.Zero)
                yield return "--passivation-timeout must be positive.";
            if (MaxMessageSize <= 0)
                yield return "--max-message-size must be positive.";
            if (MaxActiveEntities <= 0)
                yield return "--max-active-entities must be positive.";
            if (MaxQueuedCommands < 0)
                yield return "--max-queued-commands must be 0 or more.";
            if (MaxEntityKeyLength <= 0)
                yield return "--max-key-length must be positive.";
            if (CommandTimeout <= TimeSpan.Zero)
                yield return "--command-timeout must be positive.";
            if (SnapshotEvery < -1)
                yield return "--snapshot-every must be -1 (never), 0 (every offered) or a count of events.";
            if (Cluster.Membership != ClusterMembership.None && Store is not PostgresStoreSettings)
            {
                // Each node would keep its own journal: two owners of one entity would never see each other's events.
                yield return $"--cluster {Cluster.Membership.ToString().ToLowerInvariant()} needs a store that every node shares (PostgreSQL); "
                    + $"the store '{Store.Name}' is {(Store is SqliteStoreSettings ? "the embedded SQLite, private to this node" : "in memory, private to this process")}.";
            }
        }

        return Own().Concat(Connections.Problems()).Concat(Cluster.Problems());
    }
}
