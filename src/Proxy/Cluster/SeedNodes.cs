using System.Net;
using Proto.Cluster.Seed;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// The seed nodes a node may join through: every <c>--seed</c>, and every address each <c>--seed-dns</c> name resolves to
/// (looked up again at each attempt, as pods come and go), this node itself left out.
/// </summary>
internal sealed class SeedNodes(ClusterOptions options, Func<string, Task<IPAddress[]>>? resolve = null) : ISeedNodeDiscovery
{
    private readonly Func<string, Task<IPAddress[]>> resolve = resolve ?? Dns.GetHostAddressesAsync;

    /// <summary>This node's cluster address, set once its port is bound.</summary>
    public DnsEndPoint? Self { get; set; }

    /// <summary>Every seed address, this node's own included when a seed names it, ordered and without repeats.</summary>
    public async Task<IReadOnlyList<DnsEndPoint>> ResolveAsync()
    {
        var all = new List<DnsEndPoint>(options.Seeds);
        foreach (var name in options.SeedNames)
        {
            IPAddress[] addresses;
            try
            {
                addresses = await resolve(name.Host).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Not (yet) in DNS: no seed from this name this time.
                addresses = [];
            }

            all.AddRange(addresses.Select(a => new DnsEndPoint(a.ToString(), name.Port)));
        }

        return all.DistinctBy(Text).OrderBy(Text, StringComparer.Ordinal).ToArray();
    }

    /// <summary>True when <paramref name="seed"/> is this node.</summary>
    public bool IsSelf(DnsEndPoint seed) => Self is { } self && seed.Port == self.Port && (string.Equals(seed.Host, self.Host, StringComparison.OrdinalIgnoreCase) || SameAddress(seed.Host, self.Host));

    public async Task<(string memberId, string host, int port)[]> GetAll() =>
        (await ResolveAsync().ConfigureAwait(false)).Where(s => !IsSelf(s)).Select(s => ($"seed {Text(s)}", s.Host, s.Port)).ToArray();

    // The seed actor calls these for the members it joins through and those it cannot reach; the list is the options'.
    public Task Register(string memberId, string host, int port) => Task.CompletedTask;

    public Task Remove(string memberId) => Task.CompletedTask;

    public static string Text(DnsEndPoint endPoint) => endPoint.Host.Contains(':', StringComparison.Ordinal) ? $"[{endPoint.Host}]:{endPoint.Port}" : $"{endPoint.Host}:{endPoint.Port}";

    private static bool SameAddress(string a, string b) => IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) && x.Equals(y);
}
