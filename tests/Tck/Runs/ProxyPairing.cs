using System.Globalization;
using Cloudstate.Es.Tck.Interception;
using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.TestModel;

namespace Cloudstate.Es.Tck.Runs;

/// <summary>
/// Our proxy (a real process, on an empty embedded journal) in front of a user function serving the TCK model, with
/// the kit's interceptor between them: what the proxy family runs against in the test runs.
/// </summary>
public abstract class ProxyPairing : IAsyncLifetime
{
    private readonly string data = Directory.CreateTempSubdirectory("cloudstate-es-tck-").FullName;
    private Interceptor interceptor = null!;
    private ChildProcess proxy = null!;

    public TckTarget Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var userFunction = await StartUserFunctionAsync();
        interceptor = await Interceptor.StartAsync(userFunction);
        var port = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        proxy = ChildProcess.StartProxy(["--user-function", interceptor.Address, "--port", port, "--data", data]);
        await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", TimeSpan.FromSeconds(60));
        Target = new TckTarget { UserFunction = userFunction, Proxy = $"127.0.0.1:{port}", Traffic = interceptor.Traffic };
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await interceptor.DisposeAsync();
        await StopUserFunctionAsync();
        Directory.Delete(data, recursive: true);
    }

    /// <summary>Starts the user function and gives its host:port.</summary>
    protected abstract Task<string> StartUserFunctionAsync();

    protected abstract Task StopUserFunctionAsync();
}
