using Cloudstate.Es.Journal.Membership;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Entities;
using Microsoft.Extensions.Logging;
using Proto;
using Proto.Cluster;
using Proto.Cluster.Identity;
using Proto.Cluster.Partition;
using Proto.Cluster.SingleNode;
using Proto.Mailbox;
using Proto.Remote;
using Proto.Remote.GrpcNet;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// The Proto.Actor cluster that hosts the entity actors: one cluster kind per entity service, identity = entity key.
/// One node by default, which forms the cluster by itself; with <see cref="ClusterOptions.Membership"/> set, the nodes
/// of the stateful service, each hosting every kind beside its own user function.
/// </summary>
internal static class EntityCluster
{
    public const string Name = "cloudstate-es";

    public static Proto.Cluster.Cluster Create(EntityCatalog catalog, EntityDependencies dependencies, IMembershipTable? membership, ILoggerFactory loggers)
    {
        var options = dependencies.Options.Cluster;
        ActorSystem? system = null;
        var queued = dependencies.Options.Entities.MaxQueuedCommands;
        // An entity sees one command at a time from its few clients, and there may be very many entities: its mailbox
        // starts with room for a handful of messages (a ConcurrentQueue, Proto.Actor's default, starts with 32 slots).
        IMailbox Mailbox() => new DefaultMailbox(new LockingUnboundedMailboxQueue(2), new CommandQueue(queued, () => system!));
        var kinds = catalog.Services
            .Select(service => new ClusterKind(service.Name, Props.FromProducer(() => new EventSourcedEntityActor(service, dependencies)).WithMailbox(Mailbox)))
            .ToArray();
        // Where an entity lives is asked of the node that owns its partition. A request lost with the connection to a node
        // that just left is asked again after this long (Proto.Cluster's default is 5 s, half a command's time).
        IIdentityLookup Partitions() => new PartitionIdentityLookup(new PartitionConfig { GetPidTimeout = TimeSpan.FromSeconds(2) });
        var (provider, lookup) = options.Membership switch
        {
            ClusterMembership.None => ((IClusterProvider)new SingleNodeProvider(), (IIdentityLookup)new SingleNodeLookup()),
            ClusterMembership.Store => (new StoreClusterProvider(membership ?? throw new InvalidOperationException("The store keeps no members table."), options, loggers.CreateLogger<StoreClusterProvider>()), Partitions()),
            _ => (new SeedClusterProvider(options, loggers.CreateLogger<SeedClusterProvider>()), Partitions()),
        };

        // Larger than any command may take: a cluster request that times out is retried, which would run a command twice.
        var config = ClusterConfig.Setup(Name, provider, lookup)
            .WithActorRequestTimeout(dependencies.Options.Entities.CommandTimeout * 2)
            .WithHeartbeatExpiration(options.MemberTimeout)
            .WithClusterKinds(kinds);
        var remote = options.Membership == ClusterMembership.None
            ? RemoteConfig.BindToLocalhost()
            : RemoteConfig.BindTo(options.Host, options.Port).WithAdvertisedHost(options.Advertised);
        if (options.Membership != ClusterMembership.None)
        {
            // Proto.Actor logs through one process-wide factory: its warnings (unreachable members, rebalances that time
            // out) belong in the proxy's log when there are other nodes to talk to.
#pragma warning disable CS0618
            Log.SetLoggerFactory(loggers);
#pragma warning restore CS0618
        }

        system = new ActorSystem(new ActorSystemConfig().WithDeveloperSupervisionLogging(false))
            .WithRemote(remote.WithSerializer(ClusterMessageSerializer.Id, priority: 10, new ClusterMessageSerializer(TimeProvider.System)))
            .WithCluster(config);
        return system.Cluster();
    }
}
