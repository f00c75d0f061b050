using System.Diagnostics;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// Three proxy nodes on loopback, each beside its own shopping-cart process, sharing one PostgreSQL: 1,000 carts spread
/// over the nodes under load, one node (with seeds, the founding one) SIGKILLed and restarted, one SIGTERMed; then every acknowledged command is in the
/// journal exactly once and every cart reads back as the journal holds it. The figures go to the test output.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class ThreeNodeClusterTests(ITestOutputHelper output)
{
    private const int Entities = 1000;

    [Theory]
    [InlineData("store")]
    [InlineData("seed")]
    public async Task Acknowledged_commands_survive_a_node_killed_restarted_and_stopped_exactly_once(string membership)
    {
        var schema = $"cluster_{membership}";
        await using var dataSource = TestDatabase.CreateDataSource();
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        using var folder = new TemporaryDirectory();
        var (store, environment) = SharedStore.Write(folder, schema);
        // Every node is given the same seeds, as pods are; the lowest address, node-1's, founds the cluster, and node-1 is
        // the one killed and restarted: a founding seed must rejoin the others, not found a second cluster.
        var clusterPorts = Enumerable.Range(0, 3).Select(_ => ChildProcess.FreePort()).OrderBy(p => $"127.0.0.1:{p}", StringComparer.Ordinal).ToArray();
        string[] seeds = [.. clusterPorts.SelectMany(p => new[] { "--seed", $"127.0.0.1:{p}" })];
        IReadOnlyList<string> Arguments(int clusterPort) => membership == "store"
            ? ["--cluster", "store", "--store", store, "--member-timeout", "3", "--command-timeout", "10"]
            : ["--cluster", "seed", "--store", store, "--member-timeout", "3", "--command-timeout", "10", .. seeds];

        var started = Stopwatch.StartNew();
        await using var first = ClusterNode.Start("node-0", Arguments, environment, clusterPort: clusterPorts[1]);
        await using var second = ClusterNode.Start("node-1", Arguments, environment, clusterPort: clusterPorts[0]);
        await using var third = ClusterNode.Start("node-2", Arguments, environment, clusterPort: clusterPorts[2]);
        ClusterNode[] nodes = [first, second, third];
        await Task.WhenAll(nodes.Select(n => n.WaitUntilListeningAsync()));
        await ClusterNode.AgreeAsync(nodes, "every node to see 3 members");
        output.WriteLine($"{membership}: three nodes listening and agreeing on 3 members after {started.Elapsed.TotalSeconds:0.0} s");

        await using var traffic = new CartTraffic(nodes, Entities, concurrency: 24);
        await Eventually.PollAsync(() => Task.FromResult(Activations(nodes)), a => a.Sum(n => n.Count) >= Entities * 0.9 && a.All(n => n.Count > 100), "the carts to spread over every node", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(200));
        output.WriteLine($"steady: activations per node {string.Join(" / ", Activations(nodes).Select(a => a.Count))}, {traffic.Acknowledged.Count} acknowledged, {traffic.Failures.Count} failed");
        Assert.True(traffic.Failures.IsEmpty, ClusterNode.Describe("failures before any node went down", [.. traffic.Failures], nodes));

        // SIGKILL: every cart the node hosted must answer again through the survivors.
        var hosted = second.Activated();
        traffic.SendTo(first, third);
        var killedAt = DateTime.UtcNow;
        await second.Proxy!.KillAsync();
        var recovery = await WhenAllAnswerAsync(traffic, hosted, [first, third], TimeSpan.FromSeconds(60));
        output.WriteLine($"SIGKILL of node-1 ({hosted.Count} carts): last of them answered again after {recovery.TotalSeconds:0.00} s");

        // Restart: the node joins again and takes commands.
        var restartedAt = DateTime.UtcNow;
        var rejoining = Stopwatch.StartNew();
        second.StartProxy();
        await second.WaitUntilListeningAsync();
        await ClusterNode.AgreeAsync(nodes, "every node to see node-1 again");
        var joined = rejoining.Elapsed;
        traffic.SendTo(nodes);
        var served = traffic.Acknowledged.Count;
        await Eventually.PollAsync(() => Task.FromResult(traffic.Acknowledged.Count), n => n > served + 500, "500 more acknowledged commands with node-1 back", TimeSpan.FromSeconds(60));
        output.WriteLine($"restart of node-1: a member again after {joined.TotalSeconds:0.00} s; {second.Activated().Count} carts activated on it since");

        // SIGTERM: the node drains, leaves the cluster and exits 0.
        traffic.SendTo(first, second);
        var stoppedAt = DateTime.UtcNow;
        var leaving = Stopwatch.StartNew();
        third.Proxy!.Terminate();
        var exitCode = await third.Proxy.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var left = leaving.Elapsed;
        served = traffic.Acknowledged.Count;
        await Eventually.PollAsync(() => Task.FromResult(traffic.Acknowledged.Count), n => n > served + 500, "500 more acknowledged commands after node-2 left", TimeSpan.FromSeconds(60));
        await traffic.StopAsync();
        output.WriteLine($"SIGTERM of node-2: exited {exitCode} after {left.TotalSeconds:0.00} s");
        Assert.True(exitCode == 0, $"node-2 exited {exitCode}:\n{third.Tail()}");

        // Failures by the phase their command was sent in. A killed node takes the commands it held with it: their outcome
        // is unknown (DEADLINE_EXCEEDED) or they never reached it (UNAVAILABLE). A stopping node finishes what it holds and
        // hands the rest on; a node that rejoins costs nothing.
        var killed = traffic.FailuresSent(killedAt, restartedAt);
        var restarted = traffic.FailuresSent(restartedAt, stoppedAt);
        var stopped = traffic.FailuresSent(stoppedAt, DateTime.MaxValue);
        output.WriteLine($"failed commands by phase sent in: SIGKILL {CartTraffic.Codes(killed)}; restart {CartTraffic.Codes(restarted)}; SIGTERM {CartTraffic.Codes(stopped)}");
        Assert.True(killed.All(f => f.Code is StatusCode.DeadlineExceeded or StatusCode.Unavailable), ClusterNode.Describe("failures other than DEADLINE_EXCEEDED or UNAVAILABLE after the SIGKILL", killed, nodes));
        Assert.True(restarted.Count == 0, ClusterNode.Describe("failures while node-1 rejoined", restarted, nodes));
        Assert.True(stopped.Count == 0, ClusterNode.Describe("failures while node-2 left", stopped, nodes));

        output.WriteLine(await CartJournal.AssertExactlyOnceAsync(dataSource, schema, traffic, traffic.Client(first)));
        output.WriteLine($"fence refusals logged: {nodes.Sum(n => n.Count("Fence: "))}");
    }

    /// <summary>Polls every cart in <paramref name="carts"/> through <paramref name="survivors"/> until each has answered once; the time that took.</summary>
    private static async Task<TimeSpan> WhenAllAnswerAsync(CartTraffic traffic, IReadOnlySet<string> carts, ClusterNode[] survivors, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var waiting = new HashSet<string>(carts);
        var last = TimeSpan.Zero;
        for (var round = 0; waiting.Count > 0; round++)
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"{waiting.Count} carts of the killed node still not answering after {timeout}: {string.Join(", ", waiting.Take(10))}");
            var node = survivors[round % survivors.Length];
            var answered = await Task.WhenAll(waiting.Select(async cart =>
            {
                try
                {
                    await traffic.Client(node).GetCartAsync(new GetShoppingCart { UserId = cart }, deadline: DateTime.UtcNow.AddSeconds(5));
                    return cart;
                }
                catch (RpcException)
                {
                    return null;
                }
            }));
            foreach (var cart in answered.OfType<string>())
            {
                waiting.Remove(cart);
                last = clock.Elapsed;
            }
        }

        return last;
    }

    private static List<IReadOnlySet<string>> Activations(IEnumerable<ClusterNode> nodes) => nodes.Select(n => n.Activated()).ToList();
}
