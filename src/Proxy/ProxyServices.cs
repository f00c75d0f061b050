using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.Sqlite;
using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Proxy.Configuration;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Entities;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Proxy.UserFunction;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.Sqlite;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cloudstate.Es.Proxy;

/// <summary>Registers the proxy's parts for one discovered user function.</summary>
internal static class ProxyServices
{
    public static IServiceCollection AddCloudstateProxy(this IServiceCollection services, ProxyOptions options, UserFunctionChannel userFunction, EntityCatalog catalog)
    {
        services.AddSingleton(options);
        services.AddSingleton(userFunction);
        services.AddSingleton(catalog);
        services.AddEmbeddedStore(options);
        services.AddSingleton(options.SnapshotEvery switch
        {
            -1 => SnapshotPolicy.Never,
            0 => SnapshotPolicy.Always,
            var n => SnapshotPolicy.EveryEvents(n),
        });
        services.AddSingleton<EntityDependencies>();
        services.AddSingleton(sp => EntityCluster.Create(catalog, sp.GetRequiredService<EntityDependencies>()));
        services.AddHostedService<EntityClusterService>();
        services.AddSingleton<CommandRouter>();
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.MaxMessageSize);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<EntityGrpcService>, EntityMethodProvider>());
        return services;
    }

    /// <summary>The embedded default: SQLite journal and snapshots in the data directory.</summary>
    private static void AddEmbeddedStore(this IServiceCollection services, ProxyOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        services.AddSingleton<IJournal>(_ => new SqliteJournal(new SqliteJournalOptions(Path.Combine(options.DataDirectory, "journal.db"))));
        services.AddSingleton<ISnapshotStore>(_ => new SqliteSnapshotStore(Path.Combine(options.DataDirectory, "snapshots.db")));
    }
}
