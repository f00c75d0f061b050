using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloudstate.Es.TestModel;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// Network namespaces for cluster nodes, made with <c>ip</c> (needs root): each node in a namespace of its own, wired to
/// two bridges in the test's namespace. The cluster network carries node-to-node messages only; the service network
/// carries the clients' commands and the store's connections, and the test process has an address on it. Cutting a
/// node's cluster link leaves it reaching its clients and the store but none of the other nodes: a partition.
/// </summary>
internal sealed class NetworkLab : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);
    private readonly string id;
    private readonly int subnet;
    private readonly List<string> namespaces = [];
    private readonly List<string> links = [];

    private NetworkLab(string id, int subnet)
    {
        this.id = id;
        this.subnet = subnet;
    }

    /// <summary>The test process's own address on the service network.</summary>
    public IPAddress ServiceGateway => IPAddress.Parse($"10.201.{subnet}.1");

    public static async Task<NetworkLab> CreateAsync(int nodes)
    {
        var lab = new NetworkLab(Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next()))[..6].ToLowerInvariant(), Random.Shared.Next(1, 250));
        try
        {
            await lab.BridgeAsync(lab.ClusterBridge, address: null);
            await lab.BridgeAsync(lab.ServiceBridge, $"{lab.ServiceGateway}/24");
            for (var node = 0; node < nodes; node++)
                await lab.AddNamespaceAsync(node);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    /// <summary>Node <paramref name="node"/>'s namespace, to run programs in with <c>ip netns exec</c>.</summary>
    public string Namespace(int node) => $"cs{id}n{node}";

    public IPAddress ClusterAddress(int node) => IPAddress.Parse($"10.200.{subnet}.{10 + node}");

    public IPAddress ServiceAddress(int node) => IPAddress.Parse($"10.201.{subnet}.{10 + node}");

    /// <summary>Takes node <paramref name="node"/>'s cluster link down: it hears no other node, and none hears it.</summary>
    public Task CutAsync(int node) => IpAsync("link", "set", ClusterLink(node), "down");

    public Task HealAsync(int node) => IpAsync("link", "set", ClusterLink(node), "up");

    public async ValueTask DisposeAsync()
    {
        // Deleting a namespace deletes the veth ends in it, and with them their peers.
        foreach (var name in namespaces)
            await TryIpAsync("netns", "delete", name);
        foreach (var link in links)
            await TryIpAsync("link", "delete", link);
    }

    private string ClusterBridge => $"cs{id}c";

    private string ServiceBridge => $"cs{id}s";

    private string ClusterLink(int node) => $"cs{id}c{node}";

    private async Task BridgeAsync(string name, string? address)
    {
        await IpAsync("link", "add", name, "type", "bridge");
        links.Add(name);
        if (address is not null)
            await IpAsync("addr", "add", address, "dev", name);
        await IpAsync("link", "set", name, "up");
    }

    private async Task AddNamespaceAsync(int node)
    {
        var name = Namespace(node);
        await IpAsync("netns", "add", name);
        namespaces.Add(name);
        await IpAsync("-n", name, "link", "set", "lo", "up");
        await WireAsync(node, ClusterLink(node), $"cs{id}s{node}", ClusterBridge, ClusterAddress(node), "cluster");
        await WireAsync(node, $"cs{id}v{node}", $"cs{id}w{node}", ServiceBridge, ServiceAddress(node), "service");
    }

    /// <summary>A veth pair from <paramref name="bridge"/> into the node's namespace, its inner end named <paramref name="inner"/> there.</summary>
    private async Task WireAsync(int node, string outer, string peer, string bridge, IPAddress address, string inner)
    {
        var name = Namespace(node);
        await IpAsync("link", "add", outer, "type", "veth", "peer", "name", peer);
        links.Add(outer);
        await IpAsync("link", "set", outer, "master", bridge);
        await IpAsync("link", "set", outer, "up");
        await IpAsync("link", "set", peer, "netns", name);
        await IpAsync("-n", name, "link", "set", peer, "name", inner);
        await IpAsync("-n", name, "addr", "add", $"{address}/24", "dev", inner);
        await IpAsync("-n", name, "link", "set", inner, "up");
    }

    private static async Task IpAsync(params string[] arguments)
    {
        var (exitCode, output) = await ChildProcess.RunAsync("ip", arguments, ChildProcess.RepositoryRoot, CommandTimeout);
        if (exitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({exitCode}; the partition test needs root and iproute2): {output}");
    }

    private static async Task TryIpAsync(params string[] arguments)
    {
        try
        {
            await ChildProcess.RunAsync("ip", arguments, ChildProcess.RepositoryRoot, CommandTimeout);
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Cleaning up what is left: nothing more to do about it here.
        }
    }
}

/// <summary>Forwards TCP connections from an address the namespaces reach to one only the test's namespace reaches (the test PostgreSQL on loopback).</summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public TcpRelay(IPAddress address, IPEndPoint target)
    {
        this.target = target;
        listener = new TcpListener(address, 0);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(target, stop.Token);
                await using var inbound = client.GetStream();
                await using var outbound = server.GetStream();
                await Task.WhenAny(inbound.CopyToAsync(outbound, stop.Token), outbound.CopyToAsync(inbound, stop.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // One side closed or the relay stopped: both connections end.
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{listener.LocalEndpoint} -> {target}");
}
