using Cloudstate.Es.Journal;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.UserFunction;
using Cloudstate.Es.Snapshots;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>What every entity actor shares: the journal, the snapshot store and policy, the user function, its entities, the settings.</summary>
internal sealed class EntityDependencies(
    EntityCatalog catalog,
    IJournal journal,
    ISnapshotStore snapshots,
    ISnapshotPolicy snapshotPolicy,
    UserFunctionChannel userFunction,
    ProxyOptions options,
    ActiveEntities active,
    ProxyInstruments instruments,
    ILogger<EventSourcedEntityActor> logger)
{
    public EntityCatalog Catalog => catalog;

    public IJournal Journal => journal;

    public ISnapshotStore Snapshots => snapshots;

    public ISnapshotPolicy SnapshotPolicy => snapshotPolicy;

    public UserFunctionChannel UserFunction => userFunction;

    public ProxyOptions Options => options;

    /// <summary>This node's active instances, held to <see cref="EntityOptions.MaxActiveEntities"/>.</summary>
    public ActiveEntities Active => active;

    public ProxyInstruments Instruments => instruments;

    public ILogger Logger => logger;
}
