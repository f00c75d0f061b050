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

    private ClusterNode(string name, ChildProcess userFunction, int userFunctionPort, int port, int clusterPort, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
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

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>What the node's proxies printed, the earlier runs' first.</summary>
    public string Output => string.Concat(earlier) + Proxy?.Output;

    private readonly List<string> earlier = [];

    /// <summary>Starts the cart and the proxy (with the cluster arguments from <paramref name="clusterArguments"/>, given this node's cluster port); does not wait for it to listen.</summary>
    public static ClusterNode Start(string name, Func<int, IReadOnlyList<string>> clusterArguments, IReadOnlyDictionary<string, string> environment)
    {
        var userFunctionPort = ChildProcess.FreePort();
        var cart = ChildProcess.Start(
            "dotnet",
            [Path.Combine(ChildProcess.RepositoryRoot, "samples", "ShoppingCart", "bin", ChildProcess.Configuration, "net10.0", "Cloudstate.Es.Samples.ShoppingCart.dll")],
            ChildProcess.RepositoryRoot,
            new Dictionary<string, string> { ["PORT"] = userFunctionPort.ToString(CultureInfo.InvariantCulture) });
        var clusterPort = ChildProcess.FreePort();
        var node = new ClusterNode(name, cart, userFunctionPort, ChildProcess.FreePort(), clusterPort, clusterArguments(clusterPort), environment);
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
        Proxy = ChildProcess.StartProxy(
            [
                "--user-function", $"127.0.0.1:{userFunctionPort}", "--port", Port.ToString(CultureInfo.InvariantCulture),
                "--cluster-port", ClusterPort.ToString(CultureInfo.InvariantCulture), .. arguments,
            ],
            environment);
    }

    public Task WaitUntilListeningAsync() => Proxy!.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{Port}", StartTimeout);

    /// <summary>The entity keys this node's proxy activated in its current run.</summary>
    public IReadOnlySet<string> Activated() => Activation().Matches(Proxy?.Output ?? "").Select(m => m.Groups[1].Value).ToHashSet();

    /// <summary>How many lines of the node's log (every run) contain <paramref name="text"/>.</summary>
    public int Count(string text) => Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        await userFunction.DisposeAsync();
    }

    [GeneratedRegex(@"Entity shopping-cart\|(\S+) activated at sequence")]
    private static partial Regex Activation();
}
