using System.Net;
using Cloudstate.Es.Proxy.Cluster;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

public sealed class SeedNodesTests
{
    private static readonly Dictionary<string, IPAddress[]> Dns = new()
    {
        ["proxies.shop.svc"] = [IPAddress.Parse("10.0.0.9"), IPAddress.Parse("10.0.0.7"), IPAddress.Parse("10.0.0.8")],
    };

    private static SeedNodes Seeds(ClusterOptions options) => new(options, name =>
        Dns.TryGetValue(name, out var addresses) ? Task.FromResult(addresses) : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));

    [Fact]
    public async Task A_DNS_seed_is_every_address_the_name_resolves_to_in_order_without_this_node()
    {
        var seeds = Seeds(new ClusterOptions { Membership = ClusterMembership.Seed, SeedNames = [new DnsEndPoint("proxies.shop.svc", 7000)] });
        seeds.Self = new DnsEndPoint("10.0.0.8", 7000);

        var all = await seeds.ResolveAsync();
        var others = await seeds.GetAll();

        Assert.Equal(["10.0.0.7:7000", "10.0.0.8:7000", "10.0.0.9:7000"], all.Select(SeedNodes.Text));
        Assert.Equal([("10.0.0.7", 7000), ("10.0.0.9", 7000)], others.Select(s => (s.host, s.port)));
    }

    [Fact]
    public async Task Fixed_seeds_and_names_combine_without_repeats_and_a_name_not_in_DNS_gives_none()
    {
        var seeds = Seeds(new ClusterOptions
        {
            Membership = ClusterMembership.Seed,
            Seeds = [new DnsEndPoint("10.0.0.7", 7000), new DnsEndPoint("127.0.0.1", 7001)],
            SeedNames = [new DnsEndPoint("proxies.shop.svc", 7000), new DnsEndPoint("gone.shop.svc", 7000)],
        });
        seeds.Self = new DnsEndPoint("127.0.0.1", 7001);

        var others = await seeds.GetAll();

        Assert.Equal(["10.0.0.7", "10.0.0.8", "10.0.0.9"], others.Select(s => s.host));
    }
}
