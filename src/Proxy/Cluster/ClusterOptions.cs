using System.Net;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>How the proxy nodes of one stateful service find each other.</summary>
public enum ClusterMembership
{
    /// <summary>This node is a cluster of one (the default).</summary>
    None,

    /// <summary>Members are the rows of a table in the shared store, with heartbeats on the store's clock (recommended).</summary>
    Store,

    /// <summary>Members join through seed nodes given by address or DNS name, and learn of each other by gossip.</summary>
    Seed,
}

/// <summary>A node's place in the cluster: how it finds the others, the address it is reached at, and how fast a dead one is noticed.</summary>
public sealed class ClusterOptions
{
    /// <summary>How members find each other. Default <see cref="ClusterMembership.None"/>.</summary>
    public ClusterMembership Membership { get; set; }

    /// <summary>Seed nodes (<c>--seed HOST:PORT</c>) for <see cref="ClusterMembership.Seed"/>.</summary>
    public IReadOnlyList<DnsEndPoint> Seeds { get; set; } = [];

    /// <summary>DNS names whose every address is a seed (<c>--seed-dns NAME:PORT</c>), as a Kubernetes headless service gives.</summary>
    public IReadOnlyList<DnsEndPoint> SeedNames { get; set; } = [];

    /// <summary>Address the cluster's own port binds. Default 127.0.0.1; 0.0.0.0 for every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The cluster's own port, for node-to-node messages. Default 0: any free port (give seed nodes a fixed one).</summary>
    public int Port { get; set; }

    /// <summary>The host other nodes reach this one at. Default: <see cref="Host"/>, which must then not be 0.0.0.0.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>
    /// A member not heard from for this long is removed and its entities start elsewhere at their next command: the store's
    /// row time to live, and the gossip heartbeat expiry. Default 5 s.
    /// </summary>
    public TimeSpan MemberTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a node stamps its heartbeat in the store and reads the members. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node given seeds tries to reach one before it refuses to start. Default 30 s.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when other nodes may host activations too (any membership but none).</summary>
    public bool IsMultiNode => Membership != ClusterMembership.None;

    /// <summary>The host this node is known by in the cluster.</summary>
    public string Advertised => AdvertisedHost ?? Host;

    /// <summary>One line per setting that is wrong or does not fit the others.</summary>
    public IEnumerable<string> Problems()
    {
        if (!IPAddress.TryParse(Host, out var bind))
            yield return $"--cluster-host: '{Host}' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::).";
        if (Port is < 0 or > 65535)
            yield return $"--cluster-port: {Port} is not a TCP port.";
        if (AdvertisedHost is { } advertised && (advertised.Length == 0 || Uri.CheckHostName(advertised) == UriHostNameType.Unknown))
            yield return $"--advertised-host: '{advertised}' is not a host name or address.";
        if (AdvertisedHost is null && Membership != ClusterMembership.None && bind is not null && (bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any)))
            yield return $"--advertised-host is needed: the cluster port binds {Host}, which other nodes cannot connect to.";
        if (MemberTimeout <= HeartbeatInterval * 2)
            yield return $"--member-timeout: {MemberTimeout.TotalSeconds} s must be more than two heartbeats ({(HeartbeatInterval * 2).TotalSeconds} s).";
        if (HeartbeatInterval <= TimeSpan.Zero)
            yield return "The heartbeat interval must be positive.";
        if (JoinTimeout <= TimeSpan.Zero)
            yield return "--join-timeout must be positive.";
        if (Membership != ClusterMembership.Seed && (Seeds.Count > 0 || SeedNames.Count > 0))
            yield return $"--seed and --seed-dns are for --cluster seed, not --cluster {Membership.ToString().ToLowerInvariant()}.";
    }

    /// <summary>Reads <c>HOST:PORT</c> (a host name, an IPv4 address, or an IPv6 one in brackets); null when it is not one.</summary>
    public static DnsEndPoint? ParseEndPoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            return null;
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
            return null;
        return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown ? new DnsEndPoint(host, port) : null;
    }
}
