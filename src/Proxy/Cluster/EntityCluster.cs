using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Entities;
using Microsoft.Extensions.Hosting;
using Proto;
using Proto.Cluster;
using Proto.Cluster.SingleNode;
using Proto.Mailbox;
using Proto.Remote;
using Proto.Remote.GrpcNet;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// The Proto.Actor cluster that hosts the entity actors: one cluster kind per entity service, identity = entity key.
/// One node by default, which forms the cluster by itself.
/// </summary>
internal static class EntityCluster
{
    public static Proto.Cluster.Cluster Create(EntityCatalog catalog, EntityDependencies dependencies)
    {
        // Larger than any command may take: a cluster request that times out is retried, which would run a command twice.
        ActorSystem? system = null;
        var queued = dependencies.Options.MaxQueuedCommands;
        // An entity sees one command at a time from its few clients, and there may be very many entities: its mailbox
        // starts with room for a handful of messages (a ConcurrentQueue, Proto.Actor's default, starts with 32 slots).
        IMailbox Mailbox() => new DefaultMailbox(new LockingUnboundedMailboxQueue(2), new CommandQueue(queued, () => system!));
        var config = ClusterConfig.Setup("cloudstate-es", new SingleNodeProvider(), new SingleNodeLookup())
            .WithActorRequestTimeout(dependencies.Options.CommandTimeout * 2)
            .WithClusterKinds(catalog.Services
                .Select(service => new ClusterKind(service.Name, Props.FromProducer(() => new EventSourcedEntityActor(service, dependencies)).WithMailbox(Mailbox)))
                .ToArray());
        system = new ActorSystem(new ActorSystemConfig().WithDeveloperSupervisionLogging(false))
            .WithRemote(RemoteConfig.BindToLocalhost())
            .WithCluster(config);
        return system.Cluster();
    }
}

/// <summary>Starts the cluster member with the host and shuts it down after the front end has drained.</summary>
internal sealed class EntityClusterService(Proto.Cluster.Cluster cluster) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => cluster.StartMemberAsync();

    public Task StopAsync(CancellationToken cancellationToken) => cluster.ShutdownAsync(graceful: true, reason: "proxy stopping");
}
