using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cloudstate.Es.Postgres.Testing;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// A node that is SIGTERMed leaves without costing its entities' clients more than a retry's delay: three nodes on one
/// PostgreSQL under load through the two that stay, each node in turn stopped and started again. No command fails, and
/// every acknowledged one is in the journal exactly once.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed partial class GracefulLeaveTests(ITestOutputHelper output)
{
    private const int Entities = 300;

    [Fact]
    public async Task Clients_of_a_leaving_node_see_no_failure()
    {
        const string schema = "cluster_leave";
        await using var dataSource = TestDatabase.CreateDataSource();
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        using var folder = new TemporaryDirectory();
        var (store, environment) = SharedStore.Write(folder, schema);
        IReadOnlyList<string> Arguments(int clusterPort) => ["--cluster", "store", "--store", store, "--member-timeout", "3", "--command-timeout", "10"];

        await using var first = ClusterNode.Start("node-0", Arguments, environment);
        await using var second = ClusterNode.Start("node-1", Arguments, environment);
        await using var third = ClusterNode.Start("node-2", Arguments, environment);
        ClusterNode[] nodes = [first, second, third];
        await Task.WhenAll(nodes.Select(n => n.WaitUntilListeningAsync()));
        await ClusterNode.AgreeAsync(nodes, "every node to see 3 members");

        await using var traffic = new CartTraffic(nodes, Entities, concurrency: 16);
        await Eventually.PollAsync(() => Task.FromResult(nodes.Select(n => n.Activated().Count).ToArray()), a => a.All(n => n > 30), "the carts to spread over every node", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        foreach (var leaving in nodes)
        {
            traffic.SendTo([.. nodes.Where(n => n != leaving)]);
            var hosted = leaving.Activated().Count;
            var clock = Stopwatch.StartNew();
            leaving.Proxy!.Terminate();
            var exitCode = await leaving.Proxy.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"{leaving.Name} exited {exitCode}:\n{leaving.Tail()}");
            var left = clock.Elapsed;
            var served = traffic.Acknowledged.Count;
            await Eventually.PollAsync(() => Task.FromResult(traffic.Acknowledged.Count), n => n > served + 300, $"300 more acknowledged commands after {leaving.Name} left", TimeSpan.FromSeconds(60));
            output.WriteLine($"SIGTERM of {leaving.Name} ({hosted} carts activated on it): exited 0 after {left.TotalSeconds:0.00} s");

            leaving.StartProxy();
            await leaving.WaitUntilListeningAsync();
            await ClusterNode.AgreeAsync(nodes, "every node to see 3 members");
            traffic.SendTo(nodes);
        }

        await traffic.StopAsync();
        output.WriteLine($"commands still unanswered by a node when it announced it left, sent on for it: {nodes.Sum(n => AnsweredForLeavers().Matches(n.Output).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))}");
        Assert.True(traffic.Failures.IsEmpty, ClusterNode.Describe($"{traffic.Failures.Count} failed", traffic.Failures, nodes));
        output.WriteLine(await CartJournal.AssertExactlyOnceAsync(dataSource, schema, traffic, traffic.Client(first)));
    }

    [GeneratedRegex(@"announced that it left; (\d+) command")]
    private static partial Regex AnsweredForLeavers();
}
