using System.Diagnostics;
using System.Globalization;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.TestModel;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// A node that cannot be sure it joins the one cluster does not start: it never forms a cluster of its own beside the
/// real one, so no entity is ever served by two. Each refusal is one line and exit code 2, within the join timeout. A
/// node the others removed stops (exit code 3) instead of serving on alone.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class SplitBrainRefusalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_whose_seeds_are_all_down_refuses_to_start_instead_of_forming_its_own_cluster()
    {
        using var folder = new TemporaryDirectory();
        var (store, environment) = SharedStore.Write(folder, "cluster_refusal");
        int[] seeds = [ChildProcess.FreePort(), ChildProcess.FreePort()];

        var refusal = await RefusedStartAsync(
            ["--cluster", "seed", "--store", store, .. seeds.SelectMany(port => new[] { "--seed", $"127.0.0.1:{port}" })], environment);

        Assert.Contains("could not join the cluster: no seed answered within 3 s", refusal, StringComparison.Ordinal);
        foreach (var port in seeds)
            Assert.Contains($"127.0.0.1:{port}", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_store_is_unreachable_refuses_to_start()
    {
        using var folder = new TemporaryDirectory();
        var unreachable = ChildProcess.FreePort();
        var (store, environment) = SharedStore.Write(folder, "cluster_refusal", unreachable);

        var refusal = await RefusedStartAsync(["--cluster", "store", "--store", store], environment);

        Assert.Contains("'shared'", refusal, StringComparison.Ordinal);
        Assert.Contains($":{unreachable}", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_evicted_from_the_members_table_stops_with_exit_code_3()
    {
        const string schema = "cluster_evicted";
        await using var dataSource = TestDatabase.CreateDataSource();
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        using var folder = new TemporaryDirectory();
        var (store, environment) = SharedStore.Write(folder, schema);
        await using var userFunction = await ModelUserFunction.StartAsync();
        var port = ChildProcess.FreePort();
        await using var proxy = ChildProcess.StartProxy(
            [
                "--user-function", userFunction.Address, "--port", port.ToString(CultureInfo.InvariantCulture),
                "--cluster", "store", "--store", store,
            ],
            environment);
        await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", ExitTimeout);

        // What another node does to a row whose heartbeat expired (a pause longer than the member timeout).
        await using (var evict = dataSource.CreateCommand($"DELETE FROM {schema}.cloudstate_members"))
            Assert.Equal(1, await evict.ExecuteNonQueryAsync());
        var clock = Stopwatch.StartNew();
        var exitCode = await proxy.WaitForExitAsync(ExitTimeout);

        output.WriteLine($"exit {exitCode} {clock.Elapsed.TotalSeconds:0.0} s after the row was deleted");
        Assert.True(exitCode == 3, $"exit code {exitCode}:\n{proxy.Output}");
        Assert.Contains("its row in the members table was evicted", proxy.Output, StringComparison.Ordinal);
        Assert.Contains("no longer a member of the cluster", proxy.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts a proxy with a 3 s join timeout and waits for it to exit: code 2 within the timeout and a few seconds, the
    /// front end never opened, one refusal line and no stack trace. The refusal line.
    /// </summary>
    private async Task<string> RefusedStartAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        await using var userFunction = await ModelUserFunction.StartAsync();
        var clock = Stopwatch.StartNew();
        await using var proxy = ChildProcess.StartProxy(
            [
                "--user-function", userFunction.Address, "--port", ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                "--cluster-port", ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture), "--join-timeout", "3", .. arguments,
            ],
            environment);
        var exitCode = await proxy.WaitForExitAsync(ExitTimeout);
        var took = clock.Elapsed;

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{proxy.Output}");
        var lines = proxy.Output.Split('\n');
        Assert.DoesNotContain(lines, line => line.Contains("Now listening on", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        var refusal = Assert.Single(lines, line => line.Contains("The proxy cannot start.", StringComparison.Ordinal));
        output.WriteLine($"exit 2 after {took.TotalSeconds:0.0} s: {refusal}");
        return refusal;
    }
}
