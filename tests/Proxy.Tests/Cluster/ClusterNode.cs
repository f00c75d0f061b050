using System.Globalization;
using System.Text.RegularExpressions;
using Cloudstate.Es.TestModel;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// One node of a test cluster as a sidecar pair: the sample shopping cart (user function) and a proxy in front of it, each
/// its own process. The proxy logs each activation (debug), so a test can tell which entities a node hosted.
/// </summary>
internal sealed partial class ClusterNode : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<string> arguments;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly ChildProcess userFunction;
    private readonly int userFunctionPort;
    private readonly NodePlacement? placement;

    private ClusterNode(string name, ChildProcess userFunction, int userFunctionPort, int port, int clusterPort, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, NodePlacement? placement)
    {
        this.placement = placement;
        Name = name;
        this.userFunction = userFunction;
        this.userFunctionPort = userFunctionPort;
        Port = port;
        ClusterPort = clusterPort;
        this.arguments = arguments;
        this.environment = environment;
    }

    public string Name { get; }

    /// <summary>The proxy's front end port (gRPC and HTTP/JSON).</summary>
    public int Port { get; }

    /// <summary>The proxy's cluster port, fixed for the node's life so that it can serve as a seed after a restart.</summary>
    public int ClusterPort { get; }

    public ChildProcess? Proxy { get; private set; }

    public Uri Address => new($"http://{FrontEndHost}:{Port}");

    /// <summary>The host of the node's cluster address, as the other nodes reach it.</summary>
    private string ClusterHost => placement?.ClusterAddress.ToString() ?? "127.0.0.1";

    private string FrontEndHost => placement?.ServiceAddress.ToString() ?? "127.0.0.1";

    /// <summary>What the node's proxies printed, the earlier runs' first.</summary>
    public string Output => string.Concat(earlier) + Proxy?.Output;

    private readonly List<string> earlier = [];

    /// <summary>
    /// Starts the cart and the proxy (with the cluster arguments from <paramref name="clusterArguments"/>, given this node's
    /// cluster port, <paramref name="clusterPort"/> or a free one), both in <paramref name="placement"/>'s network namespace
    /// when there is one; does not wait for it to listen.
    /// </summary>
    public static ClusterNode Start(string name, Func<int, IReadOnlyList<string>> clusterArguments, IReadOnlyDictionary<string, string> environment, NodePlacement? placement = null, int? clusterPort = null)
    {
        var userFunctionPort = ChildProcess.FreePort();
        var cart = Run(
            placement,
            [Path.Combine(ChildProcess.RepositoryRoot, "samples", "ShoppingCart", "bin", ChildProcess.Configuration, "net10.0", "Cloudstate.Es.Samples.ShoppingCart.dll")],
            new Dictionary<string, string> { ["PORT"] = userFunctionPort.ToString(CultureInfo.InvariantCulture) });
        var port = clusterPort ?? ChildProcess.FreePort();
        var node = new ClusterNode(name, cart, userFunctionPort, ChildProcess.FreePort(), port, clusterArguments(port), environment, placement);
        node.StartProxy();
        return node;
    }

    /// <summary>Starts the proxy again after it ended (killed or stopped), on the same ports.</summary>
    public void StartProxy()
    {
        if (Proxy is { } previous)
        {
            earlier.Add(previous.Output);
        }

        var environment = new Dictionary<string, string>(this.environment)
        {
            ["Logging__LogLevel__Cloudstate.Es.Proxy.Entities.EventSourcedEntityActor"] = "Debug",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        IReadOnlyList<string> network = placement is null
            ? []
            : ["--host", FrontEndHost, "--cluster-host", ClusterHost];
        Proxy = Run(
            placement,
            [
                Path.Combine(ChildProcess.RepositoryRoot, "src", "Proxy", "bin", ChildProcess.Configuration, "net10.0", "Cloudstate.Es.Proxy.dll"),
                "--user-function", $"127.0.0.1:{userFunctionPort}", "--port", Port.ToString(CultureInfo.InvariantCulture),
                "--cluster-port", ClusterPort.ToString(CultureInfo.InvariantCulture), .. network, .. ChildProcess.WithAdminPort(arguments),
            ],
            environment);
    }

    public Task WaitUntilListeningAsync() => Proxy!.WaitForOutputAsync($"Now listening on: http://{FrontEndHost}:{Port}", StartTimeout);

    /// <summary><c>dotnet</c> with <paramref name="arguments"/>, in the placement's namespace when there is one (<c>ip netns exec</c> runs it in place, same process).</summary>
    private static ChildProcess Run(NodePlacement? placement, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment) => placement is null
        ? ChildProcess.Start("dotnet", arguments, ChildProcess.RepositoryRoot, environment)
        : ChildProcess.Start("ip", ["netns", "exec", placement.Namespace, "dotnet", .. arguments], ChildProcess.RepositoryRoot, environment);

    /// <summary>The entity keys this node's proxy activated in its current run.</summary>
    public IReadOnlySet<string> Activated() => Activation().Matches(Proxy?.Output ?? "").Select(m => m.Groups[1].Value).ToHashSet();

    /// <summary>The member count the node's current run last logged.</summary>
    public static int MembersInView(ClusterNode node) =>
        MemberCount().Matches(node.Proxy?.Output ?? "") is { Count: > 0 } found ? int.Parse(found[^1].Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>Waits until every one of <paramref name="nodes"/> sees as many members as there are nodes ("3 / 3 / 3").</summary>
    public static Task AgreeAsync(IReadOnlyList<ClusterNode> nodes, string what, TimeSpan? timeout = null)
    {
        var agreed = string.Join(" / ", nodes.Select(_ => nodes.Count));
        return Eventually.PollAsync(() => Task.FromResult(string.Join(" / ", nodes.Select(MembersInView))), view => view == agreed, what, timeout ?? StartTimeout);
    }

    /// <summary><paramref name="what"/>, the first five of <paramref name="failures"/> and every node's log tail: a failure message.</summary>
    public static string Describe(string what, IEnumerable<(DateTime SentAt, string Node, Grpc.Core.StatusCode Code, string Detail)> failures, IEnumerable<ClusterNode> nodes) =>
        $"{what}: {string.Join("; ", failures.Take(5).Select(f => $"{f.SentAt:HH:mm:ss.fff} {f.Node} {f.Code} {f.Detail}"))}\n" + string.Join("\n", nodes.Select(n => $"--- {n.Name}\n{n.Tail()}"));

    /// <summary>The last lines of the node's log (every run), activations left out: for failure messages.</summary>
    public string Tail(int lines = 40) =>
        string.Join('\n', Output.Split('\n').Where(l => !l.Contains("activated at sequence", StringComparison.Ordinal)).TakeLast(lines));

    /// <summary>How many lines of the node's log (every run) contain <paramref name="text"/>.</summary>
    public int Count(string text) => Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        await userFunction.DisposeAsync();
    }

    [GeneratedRegex(@"(\d+) member\(s\)")]
    private static partial Regex MemberCount();

    [GeneratedRegex(@"Entity shopping-cart\|(\S+) activated at sequence")]
    private static partial Regex Activation();
}

/// <summary>Where a node runs when not on the test's own loopback: a network namespace, its front end and cluster addresses.</summary>
internal sealed record NodePlacement(string Namespace, System.Net.IPAddress ServiceAddress, System.Net.IPAddress ClusterAddress);
