using System.Net;
using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Storage;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    private static readonly PostgresStoreSettings Postgres = new("shared", "db", 5432, "cloudstate", "public", "proxy", "secret");

    [Theory]
    [InlineData("10.0.0.7:7000", "10.0.0.7", 7000)]
    [InlineData("proxy-0.proxies.shop.svc:7000", "proxy-0.proxies.shop.svc", 7000)]
    [InlineData("[fd00::7]:7000", "fd00::7", 7000)]
    public void A_seed_is_a_host_and_a_port(string text, string host, int port)
    {
        Assert.Equal(new DnsEndPoint(host, port), ClusterOptions.ParseEndPoint(text));
    }

    [Theory]
    [InlineData("10.0.0.7")]
    [InlineData("10.0.0.7:")]
    [InlineData(":7000")]
    [InlineData("10.0.0.7:0")]
    [InlineData("10.0.0.7:70000")]
    [InlineData("fd00::7:7000")]
    [InlineData("bad host:7000")]
    public void A_seed_that_is_not_host_and_port_is_refused(string text)
    {
        Assert.Null(ClusterOptions.ParseEndPoint(text));
    }

    [Theory]
    [InlineData(ClusterMembership.Store)]
    [InlineData(ClusterMembership.Seed)]
    public void A_cluster_on_a_store_private_to_the_node_is_refused_saying_why(ClusterMembership membership)
    {
        var sqlite = new ProxyOptions { Cluster = { Membership = membership } };
        var memory = new ProxyOptions { Cluster = { Membership = membership }, Store = { Settings = new InMemoryStoreSettings("demo") } };
        var shared = new ProxyOptions { Cluster = { Membership = membership }, Store = { Settings = Postgres } };

        Assert.Contains(sqlite.Problems(), p => p.Contains("the embedded SQLite, private to this node", StringComparison.Ordinal));
        Assert.Contains(memory.Problems(), p => p.Contains("in memory, private to this process", StringComparison.Ordinal));
        Assert.Empty(shared.Problems());
    }

    [Fact]
    public void EventStoreDB_is_shared_by_both_kinds_of_cluster()
    {
        var node = new EventStoreDbStoreSettings("events", "127.0.0.1", 2113, Tls: false, null, null);
        var seed = new ProxyOptions { Cluster = { Membership = ClusterMembership.Seed }, Store = { Settings = node } };
        var store = new ProxyOptions { Cluster = { Membership = ClusterMembership.Store }, Store = { Settings = node } };

        Assert.Equal((0, 0), (seed.Problems().Count(), store.Problems().Count()));
    }

    [Fact]
    public void A_cluster_of_one_may_keep_its_journal_in_sqlite()
    {
        Assert.Empty(new ProxyOptions().Problems());
    }

    [Fact]
    public void Every_mistake_gets_its_own_line_naming_its_option()
    {
        var options = new ProxyOptions
        {
            Store = { Settings = Postgres },
            Cluster = { Membership = ClusterMembership.Store, Host = "0.0.0.0", Port = 70000, MemberTimeout = TimeSpan.FromSeconds(1), Seeds = [new DnsEndPoint("a", 1)] },
        };

        var problems = options.Problems().ToList();

        Assert.Equal(["--cluster-port", "--advertised-host", "--member-timeout", "--seed"], problems.Select(p => p.Split(' ', ':')[0]));
        Assert.Equal(problems.Count, Assert.Throws<ArgumentException>(options.Validate).Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void A_node_bound_to_every_interface_is_advertised_by_the_host_it_is_given()
    {
        var options = new ClusterOptions { Membership = ClusterMembership.Store, Host = "0.0.0.0", AdvertisedHost = "10.1.2.3" };

        Assert.Empty(options.Problems());
        Assert.Equal("10.1.2.3", options.Advertised);
    }
}
