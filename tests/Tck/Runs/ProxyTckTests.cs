using Cloudstate.Es.Tck.Model;
using Cloudstate.Es.Tck.ProxyCases;

namespace Cloudstate.Es.Tck.Runs;

/// <summary>Our proxy with our Sdk's model behind it.</summary>
public sealed class SdkProxyPairing : ProxyPairing
{
    private TckModelUserFunction? userFunction;

    protected override async Task<string> StartUserFunctionAsync() => (userFunction = await TckModelUserFunction.StartAsync()).Address;

    protected override async Task StopUserFunctionAsync() => await userFunction!.DisposeAsync();
}

/// <summary>The proxy family against our proxy, with our Sdk serving the model.</summary>
public sealed class ProxyTckWithSdkTests(SdkProxyPairing pairing) : IClassFixture<SdkProxyPairing>
{
    public static TheoryData<string> Cases => [.. ProxyTck.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case(string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ProxyTck.Cases.Single(c => c.Name == name).RunAsync(pairing.Target, timeout.Token);
    }
}

/// <summary>Our proxy with the official JavaScript support library (npm cloudstate 0.0.3) serving the model.</summary>
public sealed class JavaScriptProxyPairing : ProxyPairing
{
    private TestModel.ChildProcess? userFunction;

    protected override Task<string> StartUserFunctionAsync()
    {
        var port = TestModel.ChildProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // It prints nothing when ready; the proxy retries discovery until it answers.
        userFunction = TestModel.ChildProcess.Start("node", ["index.js"], Path.Combine(TestModel.ChildProcess.JavaScriptPeers(), "tck-model"), new Dictionary<string, string> { ["PORT"] = port });
        return Task.FromResult($"127.0.0.1:{port}");
    }

    protected override async Task StopUserFunctionAsync() => await userFunction!.DisposeAsync();
}

/// <summary>
/// The proxy family against our proxy, with the JavaScript support library serving the model. 0.0.3 predates
/// passivation strategies, so the passivation case cannot pass; it must fail saying exactly that.
/// </summary>
public sealed class ProxyTckWithJavaScriptTests(JavaScriptProxyPairing pairing) : IClassFixture<JavaScriptProxyPairing>
{
    private const string PassivationCase = "an entity with a 100 ms passivation timeout is passivated within 2 s";

    public static TheoryData<string> Cases => [.. ProxyTck.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case(string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = ProxyTck.Cases.Single(c => c.Name == name).RunAsync(pairing.Target, timeout.Token);
        if (name != PassivationCase)
        {
            await run;
            return;
        }

        var failure = await Assert.ThrowsAsync<Kit.TckFailure>(() => run);
        Assert.Contains("cannot pass with this user function: it declares no passivation timeout", failure.Message, StringComparison.Ordinal);
    }
}
