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
