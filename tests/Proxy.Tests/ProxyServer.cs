using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.UserFunction;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The proxy, in this process, as a real server on a free loopback port in front of a user function.</summary>
internal sealed class ProxyServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly UserFunctionChannel userFunction;

    private ProxyServer(WebApplication app, UserFunctionChannel userFunction)
    {
        this.app = app;
        this.userFunction = userFunction;
        // The front end's TCP address; the other one is its private HTTP/1.1 Unix socket.
        Address = new Uri(app.Urls.Single(url => !url.Contains("unix:", StringComparison.Ordinal)));
        Channel = GrpcChannel.ForAddress(Address);
    }

    /// <summary>http://127.0.0.1:port of the front end: gRPC, and HTTP/JSON over HTTP/1.1 or HTTP/2.</summary>
    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    /// <summary>The proxy's services, for tests that look at its internal bounds.</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Starts a proxy for the user function at <paramref name="userFunctionAddress"/> (host:port) with its data in <paramref name="dataDirectory"/>.</summary>
    public static async Task<ProxyServer> StartAsync(string userFunctionAddress, string dataDirectory, Action<ProxyOptions>? configure = null)
    {
        var options = CreateOptions(userFunctionAddress, dataDirectory);
        configure?.Invoke(options);
        var userFunction = new UserFunctionChannel(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var app = await ProxyHost.BuildAsync(options, userFunction, timeout.Token, builder => builder.Logging.ClearProviders())
            ?? throw new InvalidOperationException("The proxy refused the user function's spec.");
        await app.StartAsync(timeout.Token);
        return new ProxyServer(app, userFunction);
    }

    public static ProxyOptions CreateOptions(string userFunctionAddress, string dataDirectory)
    {
        var colon = userFunctionAddress.LastIndexOf(':');
        return new ProxyOptions
        {
            UserFunction =
            {
                Host = userFunctionAddress[..colon],
                Port = int.Parse(userFunctionAddress[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture),
                DiscoveryMaxBackoff = TimeSpan.FromMilliseconds(200),
            },
            Frontend = { Port = 0 },
            Store = { DataDirectory = dataDirectory, OpenMaxBackoff = TimeSpan.FromMilliseconds(200) },
        };
    }

    /// <summary>Stops the proxy as SIGTERM does: no new requests, the ones in flight finish first.</summary>
    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        userFunction.Dispose();
    }
}

/// <summary>A directory deleted with everything in it when the test ends.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cloudstate-es-proxy-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Waits for a condition by asking again until a deadline, never by sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what}; last value: {value}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
