using System.Net;
using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Proxy.Http;
using Cloudstate.Es.Proxy.Reflection;
using Cloudstate.Es.Proxy.Storage;
using Cloudstate.Es.Proxy.UserFunction;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>Start-up: discover the user function, open the store, then serve its entity services until stopped.</summary>
internal static partial class ProxyHost
{
    public static async Task<int> RunAsync(ProxyOptions options, CancellationToken cancellationToken)
    {
        var readiness = new ProxyReadiness();
        WebApplication admin;
        try
        {
            admin = await AdminServer.StartAsync(options, readiness, cancellationToken);
        }
        catch (IOException e)
        {
            using var loggerFactory = LoggerFactory.Create(logging => logging.AddProxyConsole(options.LogFormat));
            LogRefused(loggerFactory.CreateLogger("Cloudstate.Es.Proxy"), $"--admin-port {options.Admin.Port} on {options.Admin.Host} cannot be bound: {e.Message}");
            return 2;
        }

        // Disposed last: the admin port answers (not ready) while the front end drains and the store closes.
        await using var adminServer = admin;
        using var userFunction = new UserFunctionChannel(options);
        await using var app = await BuildAsync(options, userFunction, cancellationToken, readiness: readiness);
        if (app is null)
        {
            return 2;
        }

        // Resolved before running: RunAsync disposes the application, its container with it.
        var exit = app.Services.GetRequiredService<ProxyExit>();
        var logger = app.Services.GetRequiredService<ILogger<ProxyExit>>();
        try
        {
            await app.RunAsync();
        }
        catch (ClusterJoinException e)
        {
            LogRefused(logger, e.Message);
            return 2;
        }

        return exit.Code;
    }

    /// <summary>The proxy's web application, discovered and configured; null when discovery failed (the reason is logged).</summary>
    public static async Task<WebApplication?> BuildAsync(
        ProxyOptions options, UserFunctionChannel userFunction, CancellationToken cancellationToken, Action<WebApplicationBuilder>? customize = null, ProxyReadiness? readiness = null)
    {
        readiness ??= new ProxyReadiness();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddProxyConsole(options.LogFormat)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning)
            .AddFilter("Proto", LogLevel.Warning)
            .AddFilter("Proto.Cluster.Partition.PartitionPlacementActor", LogLevel.Information);
        customize?.Invoke(builder);
        // One port for gRPC (HTTP/2) and HTTP/JSON (HTTP/1.1, or HTTP/2 with prior knowledge): see SharedPort.
        var http1Socket = Path.Combine(Path.GetTempPath(), $"cloudstate-es-{Guid.NewGuid():N}.sock");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            ConnectionLimits.Apply(kestrel.Limits, options.Frontend.Connections);
            kestrel.ListenUnixSocket(http1Socket, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Parse(options.Frontend.Host), options.Frontend.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SharedPort));
                listen.Use(SharedPort.SpliceHttp1To(http1Socket, options.Frontend.Connections.HeaderTimeout, logger));
            });
        });

        // Discovery comes first: the front end is built from what the user function declares.
        var loggerFactory = LoggerFactory.Create(logging => logging.AddProxyConsole(options.LogFormat));
        EntityCatalog catalog;
        HttpRouteTable routes;
        ProxyStore store;
        try
        {
            catalog = await new UserFunctionDiscovery(userFunction, options.UserFunction, loggerFactory.CreateLogger<UserFunctionDiscovery>()).DiscoverAsync(cancellationToken);
            routes = HttpRouteTable.Build(catalog);
            readiness.DiscoveryDone();
            var clustered = options.Cluster.IsMultiNode;
            store = await ProxyStore.OpenAsync(
                options.Store.Settings, options.Store.OpenMaxBackoff, loggerFactory.CreateLogger<ProxyStore>(), cancellationToken,
                clustered: options.Cluster.Membership == ClusterMembership.Store, giveUpAfter: clustered ? options.Cluster.JoinTimeout : null);
            readiness.StoreOpened(store.Journal);
        }
        catch (Exception e) when (e is EntitySpecException or StoreUnusableException or FormatException)
        {
            LogRefused(loggerFactory.CreateLogger("Cloudstate.Es.Proxy"), e.Message);
            return null;
        }
        finally
        {
            loggerFactory.Dispose();
        }

        builder.Services.AddCloudstateProxy(options, userFunction, catalog, store, routes, readiness);
        var app = builder.Build();
        // Resolved here so that the container owns it: disposing the app then closes the journal (its queued appends
        // first) and releases the data directory's lock, so a proxy can start again on it in the same process.
        app.Services.GetRequiredService<ProxyStore>();
        app.Lifetime.ApplicationStopped.Register(() => File.Delete(http1Socket));
        app.Use(new RequestBodyLimit(options.Frontend).InvokeAsync);
        var http = app.Services.GetRequiredService<HttpJsonFrontend>();
        app.Use(http.InvokeAsync);
        app.MapGrpcService<EntityGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapEntityReflection();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The proxy cannot start. {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
