using System.Net;
using Cloudstate.Es.Proxy.Configuration;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Proxy.Storage;
using Cloudstate.Es.Proxy.UserFunction;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cloudstate.Es.Proxy;

/// <summary>Start-up: discover the user function, open the store, then serve its entity services until stopped.</summary>
internal static partial class ProxyHost
{
    public static async Task<int> RunAsync(ProxyOptions options, CancellationToken cancellationToken)
    {
        using var userFunction = new UserFunctionChannel(options);
        await using var app = await BuildAsync(options, userFunction, cancellationToken);
        if (app is null)
        {
            return 2;
        }

        await app.RunAsync();
        return 0;
    }

    /// <summary>The proxy's web application, discovered and configured; null when discovery failed (the reason is logged).</summary>
    public static async Task<WebApplication?> BuildAsync(ProxyOptions options, UserFunctionChannel userFunction, CancellationToken cancellationToken, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning)
            .AddFilter("Proto", LogLevel.Warning);
        customize?.Invoke(builder);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port, listen => listen.Protocols = HttpProtocols.Http2);
        });

        // Discovery comes first: the front end is built from what the user function declares.
        var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        EntityCatalog catalog;
        ProxyStore store;
        try
        {
            catalog = await new UserFunctionDiscovery(userFunction, options, loggerFactory.CreateLogger<UserFunctionDiscovery>()).DiscoverAsync(cancellationToken);
            store = await ProxyStore.OpenAsync(options.Store, options.DiscoveryMaxBackoff, loggerFactory.CreateLogger<ProxyStore>(), cancellationToken);
        }
        catch (Exception e) when (e is EntitySpecException or StoreUnusableException)
        {
            LogRefused(loggerFactory.CreateLogger("Cloudstate.Es.Proxy"), e.Message);
            return null;
        }
        finally
        {
            loggerFactory.Dispose();
        }

        builder.Services.AddCloudstateProxy(options, userFunction, catalog, store);
        var app = builder.Build();
        app.MapGrpcService<EntityGrpcService>();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The proxy cannot start. {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
