using System.Diagnostics;
using System.Net;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Grpc.Core;
using Npgsql;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// Three nodes, each in a network namespace of its own, sharing PostgreSQL; clients on both sides of a partition send
/// commands for the same carts while one node is cut off from the other two (but not from its clients or the store),
/// then the link heals. Whatever each side believed, the journal holds every acknowledged command exactly once, in
/// unbroken sequences. How many writes the fence refused depends on how long both sides served the same carts (the
/// store's referee keeps that short), so it is reported, not asserted; <see cref="FenceTests"/> shows a refusal every time.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class PartitionTests(ITestOutputHelper output)
{
    private const int Entities = 200;
    private const string Schema = "cluster_partition";

    [Fact]
    public async Task Clients_on_both_sides_of_a_partition_never_fork_a_stream()
    {
        await using var lab = await NetworkLab.CreateAsync(nodes: 3);
        var database = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString);
        await using var relay = new TcpRelay(lab.ServiceGateway, new IPEndPoint(IPAddress.Parse(database.Host!), database.Port));
        await using var dataSource = TestDatabase.CreateDataSource();
        await TestDatabase.DropSchemaAsync(dataSource, Schema);
        using var folder = new TemporaryDirectory();
        var (store, environment) = SharedStore.Write(folder, Schema, host: lab.ServiceGateway.ToString(), port: relay.Port);
        IReadOnlyList<string> Arguments(int clusterPort) => ["--cluster", "store", "--store", store, "--member-timeout", "3", "--command-timeout", "10"];

        var nodes = new ClusterNode[3];
        try
        {
            for (var n = 0; n < nodes.Length; n++)
                nodes[n] = ClusterNode.Start($"node-{n}", Arguments, environment, new NodePlacement(lab.Namespace(n), lab.ServiceAddress(n), lab.ClusterAddress(n)));
            await Task.WhenAll(nodes.Select(n => n.WaitUntilListeningAsync()));
            await ClusterNode.AgreeAsync(nodes, "every node to see 3 members");

            await using var traffic = new CartTraffic(nodes, Entities, concurrency: 16);
            await Eventually.PollAsync(() => Task.FromResult(traffic.Acknowledged.Count), n => n > 1000, "1000 acknowledged commands before the cut", TimeSpan.FromSeconds(60));
            output.WriteLine($"before the cut: {traffic.Acknowledged.Count} acknowledged, {traffic.Failures.Count} failed; activations {string.Join(" / ", nodes.Select(n => n.Activated().Count))}");

            // The cut: node-2 still reaches its clients and the store, but no other node. Each side takes the other for
            // dead and serves the same carts until the store, which both sides still reach, sends the smaller side away.
            // The clients then send for node-2's carts only, through every node, so that both sides serve the same carts.
            var cutAt = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            traffic.Choose([.. nodes[2].Activated()]);
            await lab.CutAsync(2);
            var before = Acknowledged(traffic, nodes);
            var exitCode = await nodes[2].Proxy!.WaitForExitAsync(TimeSpan.FromSeconds(60));
            var split = clock.Elapsed;
            var during = Acknowledged(traffic, nodes);
            traffic.SendTo(nodes[0], nodes[1]);
            traffic.Choose(null);
            var majority = during[0] + during[1];
            await Eventually.PollAsync(() => Task.FromResult(traffic.AcknowledgedThrough(nodes[0]) + traffic.AcknowledgedThrough(nodes[1])), n => n > majority + 300, "300 more acknowledged commands on the larger side", TimeSpan.FromSeconds(60));
            output.WriteLine($"cut node-2: it left after {split.TotalSeconds:0.0} s (exit {exitCode}); acknowledged meanwhile through node-0/1/2 {string.Join(" / ", during.Zip(before, (a, b) => a - b))}");
            Assert.True(exitCode == 3, $"node-2 exited {exitCode}:\n{nodes[2].Tail()}");
            Assert.False(nodes[0].Proxy!.HasExited || nodes[1].Proxy!.HasExited, "a node of the larger side stopped");

            // The heal: node-2 is started again (as its supervisor would) and joins as a new member.
            var healedAt = DateTime.UtcNow;
            await lab.HealAsync(2);
            nodes[2].StartProxy();
            await nodes[2].WaitUntilListeningAsync();
            try
            {
                await ClusterNode.AgreeAsync(nodes, "every node to see 3 members after the heal");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\n{string.Join("\n", nodes.Select(n => $"--- {n.Name}\n{n.Tail()}"))}", e);
            }

            var served = traffic.Acknowledged.Count;
            await Eventually.PollAsync(() => Answers(traffic, nodes[2]), answered => answered, "node-2 to answer its clients again", ClusterNode.StartTimeout);
            traffic.SendTo(nodes);
            await Eventually.PollAsync(() => Task.FromResult(traffic.Acknowledged.Count), n => n > served + 500, "500 more acknowledged commands after the heal", TimeSpan.FromSeconds(60));
            await traffic.StopAsync();

            var cut = traffic.FailuresSent(cutAt, healedAt);
            var healed = traffic.FailuresSent(healedAt, DateTime.MaxValue);
            output.WriteLine($"failed by phase sent in: cut {CartTraffic.Codes(cut)}; heal {CartTraffic.Codes(healed)}");
            Assert.All(cut, f => Assert.True(f.Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded, $"{f.Node} {f.Code} {f.Detail}"));
            Assert.Empty(healed);
            output.WriteLine(await CartJournal.AssertExactlyOnceAsync(dataSource, Schema, traffic, traffic.Client(nodes[0])));
            var fenced = nodes.Sum(n => n.Count("Fence: "));
            output.WriteLine($"fence refusals logged: {fenced} ({string.Join(" / ", nodes.Select(n => n.Count("Fence: ")))})");
        }
        finally
        {
            foreach (var node in nodes.OfType<ClusterNode>())
                await node.DisposeAsync();
        }
    }

    /// <summary>Whether a read through <paramref name="node"/> succeeds (as a load balancer's readiness check would ask).</summary>
    private static async Task<bool> Answers(CartTraffic traffic, ClusterNode node)
    {
        try
        {
            await traffic.Client(node).GetCartAsync(new GetShoppingCart { UserId = CartTraffic.Cart(0) }, deadline: DateTime.UtcNow.AddSeconds(5));
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private static string Exited(ClusterNode[] nodes) =>
        nodes.Where(n => n.Proxy!.HasExited).Select(n => n.Name).DefaultIfEmpty("none").Aggregate((a, b) => $"{a}, {b}");

    private static int[] Acknowledged(CartTraffic traffic, ClusterNode[] nodes) =>
        nodes.Select(n => traffic.AcknowledgedThrough(n)).ToArray();
}
