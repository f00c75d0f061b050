using Cloudstate.Es.EventStoreDb.Testing;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// Three nodes with <c>--cluster store</c> on one real EventStoreDB node: they find each other through its members
/// stream, share the carts under load, and one SIGTERMed leaves without a failed command; every acknowledged command is
/// in the EventStoreDB journal exactly once.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class EventStoreDbClusterTests(ITestOutputHelper output)
{
    private const int Entities = 200;

    [Fact]
    public async Task Three_nodes_form_a_cluster_through_the_members_stream_and_one_leaves_without_a_failure()
    {
        await using var eventStoreDb = await EventStoreDbServer.StartAsync();
        using var folder = new TemporaryDirectory();
        var store = EventStoreDbStoreTests.StoreFile(folder, eventStoreDb.Port);
        IReadOnlyList<string> Arguments(int clusterPort) => ["--cluster", "store", "--store", store, "--member-timeout", "3", "--command-timeout", "10"];
        var environment = new Dictionary<string, string>();

        await using var first = ClusterNode.Start("node-0", Arguments, environment);
        await using var second = ClusterNode.Start("node-1", Arguments, environment);
        await using var third = ClusterNode.Start("node-2", Arguments, environment);
        ClusterNode[] nodes = [first, second, third];
        await Task.WhenAll(nodes.Select(n => n.WaitUntilListeningAsync()));
        await ClusterNode.AgreeAsync(nodes, "every node to see 3 members");

        await using var traffic = new CartTraffic(nodes, Entities, concurrency: 12);
        await Eventually.PollAsync(() => Task.FromResult(nodes.Select(n => n.Activated().Count).ToArray()), a => a.All(n => n > 20), "the carts to spread over every node", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        output.WriteLine($"activations per node: {string.Join(" / ", nodes.Select(n => n.Activated().Count))}");

        traffic.SendTo(first, second);
        third.Proxy!.Terminate();
        var exitCode = await third.Proxy.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"node-2 exited {exitCode}:\n{third.Tail()}");
        await ClusterNode.AgreeAsync([first, second], "the two left to see 2 members", TimeSpan.FromSeconds(30));
        var served = traffic.Acknowledged.Count;
        await Eventually.PollAsync(() => Task.FromResult(traffic.Acknowledged.Count), n => n > served + 300, "300 more acknowledged commands after node-2 left", TimeSpan.FromSeconds(60));
        await traffic.StopAsync();

        Assert.True(traffic.Failures.IsEmpty, ClusterNode.Describe($"{traffic.Failures.Count} failed", traffic.Failures, nodes));
        output.WriteLine(await CartJournal.AssertExactlyOnceAsync(await CartJournal.ReadAsync(eventStoreDb.Address, Entities), traffic, traffic.Client(first)));
    }
}
