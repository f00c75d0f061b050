using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Entities;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Proxy.Http;
using Cloudstate.Es.Proxy.Http.Json;
using Cloudstate.Es.Proxy.Reflection;
using Cloudstate.Es.Proxy.Storage;
using Cloudstate.Es.Proxy.UserFunction;
using Cloudstate.Es.Snapshots;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>Registers the proxy's parts for one discovered user function.</summary>
internal static class ProxyServices
{
    public static IServiceCollection AddCloudstateProxy(
        this IServiceCollection services, ProxyOptions options, UserFunctionChannel userFunction, EntityCatalog catalog, ProxyStore store, HttpRouteTable routes, ProxyReadiness readiness)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Frontend);
        services.AddSingleton(userFunction);
        services.AddSingleton(catalog);
        // The container disposes the store (it comes from a factory) but not its parts, which the store closes itself.
        services.AddSingleton(_ => store);
        services.AddSingleton(readiness);
        services.AddSingleton<ProxyInstruments>();
        services.AddSingleton<IJournal>(sp => new InstrumentedJournal(store.Journal, sp.GetRequiredService<ProxyInstruments>()));
        services.AddSingleton<ISnapshotStore>(sp => new InstrumentedSnapshotStore(store.Snapshots, sp.GetRequiredService<ProxyInstruments>()));
        services.AddSingleton(options.Entities.SnapshotEvery switch
        {
            -1 => SnapshotPolicy.Never,
            0 => SnapshotPolicy.Always,
            var n => SnapshotPolicy.EveryEvents(n),
        });
        services.AddSingleton(new ActiveEntities(options.Entities.MaxActiveEntities));
        services.AddSingleton<EntityDependencies>();
        services.AddSingleton<ProxyExit>();
        services.AddSingleton(sp => EntityCluster.Create(catalog, sp.GetRequiredService<EntityDependencies>(), store.Membership, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<MemberDepartures>();
        services.AddHostedService<EntityClusterService>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<CommandMetadata>();
        services.AddSingleton(routes);
        services.AddSingleton(_ => new JsonCodec(catalog.MessageTypes()));
        services.AddSingleton<HttpJsonFrontend>();
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.Frontend.MaxMessageSize);
        // grpc.health.v1.Health on the front end, for gRPC load balancers: the readiness checks, run on each call.
        services.AddGrpcHealthChecks(health => health.UseHealthChecksCache = false).AddReadinessChecks(readiness, options.UserFunction);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<EntityGrpcService>, EntityMethodProvider>());
        services.AddEntityReflection();
        return services;
    }
}
