using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.Tck.Model;
using Cloudstate.Es.Tck.ModelCases;
using Cloudstate.Es.TestModel;

namespace Cloudstate.Es.Tck;

/// <summary>The model family against one user function serving the TCK model: one theory row per case.</summary>
public abstract class ModelTckTests<TUserFunction>(TUserFunction userFunction) : IClassFixture<TUserFunction>
    where TUserFunction : ModelUserFunction
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Cases => [.. ModelTck.Cases.Select(c => c.Name)];

    /// <summary>Cases this user function's support library cannot pass, each with what its failure must say.</summary>
    protected virtual IReadOnlyDictionary<string, string> KnownFailures { get; } = new Dictionary<string, string>();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case(string name)
    {
        var failure = await TckRunner.RunCaseAsync(ModelTck.Cases.Single(c => c.Name == name), userFunction.Target, Timeout);
        if (KnownFailures.TryGetValue(name, out var reason))
        {
            Assert.True(failure is not null, $"This case was expected to fail ({reason}) but passed: update {GetType().Name}.{nameof(KnownFailures)}.");
            Assert.Contains(reason, failure, StringComparison.Ordinal);
        }
        else if (failure is not null)
        {
            Assert.Fail(failure);
        }
    }
}

/// <summary>The model family against our Sdk's model.</summary>
public sealed class ModelTckWithSdkTests(SdkModelUserFunction userFunction) : ModelTckTests<SdkModelUserFunction>(userFunction);

/// <summary>
/// The model family against the official JavaScript support library (npm cloudstate 0.0.3, tests/js/tck-model). Its
/// protocol predates passivation strategies, so the configured entity's 100 ms timeout cannot be declared: that case
/// runs and must fail saying so.
/// </summary>
public sealed class ModelTckWithJavaScriptTests(JavaScriptModelUserFunction userFunction) : ModelTckTests<JavaScriptModelUserFunction>(userFunction)
{
    protected override IReadOnlyDictionary<string, string> KnownFailures { get; } = new Dictionary<string, string>
    {
        ["the configured entity declares a passivation timeout of 100 ms"] = "to declare a timeout passivation strategy, got no passivation strategy",
    };
}

/// <summary>A user function serving the TCK model for one test class.</summary>
public abstract class ModelUserFunction : IAsyncLifetime
{
    public TckTarget Target { get; private set; } = null!;

    public async Task InitializeAsync() => Target = new TckTarget { UserFunction = await StartAsync() };

    public abstract Task DisposeAsync();

    /// <summary>Starts the user function and gives its host:port once it serves.</summary>
    protected abstract Task<string> StartAsync();
}

/// <summary>The TCK model written with our Sdk, in this process.</summary>
public sealed class SdkModelUserFunction : ModelUserFunction
{
    private TckModelUserFunction? userFunction;

    public override async Task DisposeAsync() => await userFunction!.DisposeAsync();

    protected override async Task<string> StartAsync() => (userFunction = await TckModelUserFunction.StartAsync()).Address;
}

/// <summary>The TCK model written with the JavaScript support library, as a node process.</summary>
public sealed class JavaScriptModelUserFunction : ModelUserFunction
{
    private ChildProcess? node;

    public override async Task DisposeAsync() => await node!.DisposeAsync();

    protected override async Task<string> StartAsync()
    {
        var port = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        node = ChildProcess.Start("node", ["index.js"], Path.Combine(ChildProcess.JavaScriptPeers(), "tck-model"), new Dictionary<string, string> { ["PORT"] = port });
        await node.WaitForOutputAsync($"gRPC server started on 127.0.0.1:{port}", TimeSpan.FromSeconds(30));

        // The library prints that line before its asynchronous bind completes: wait until the port accepts.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture));
                return $"127.0.0.1:{port}";
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
