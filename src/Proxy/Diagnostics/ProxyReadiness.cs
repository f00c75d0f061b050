using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>
/// How far start-up has come, for <c>/ready</c> and the gRPC health service: the user function discovered, the store
/// open (and its journal answering when asked), this node a member of its cluster and not leaving it.
/// </summary>
internal sealed class ProxyReadiness
{
    private volatile bool discovered;
    private volatile IJournalReader? journal;
    private volatile bool member;

    /// <summary>Discovery is done: the front end knows the user function's entities.</summary>
    public bool Discovered => discovered;

    /// <summary>The open store's journal; null until the store is open.</summary>
    public IJournalReader? Journal => journal;

    /// <summary>This node has joined its cluster and takes commands.</summary>
    public bool Member => member;

    public void DiscoveryDone() => discovered = true;

    public void StoreOpened(IJournalReader reader) => journal = reader;

    public void Joined() => member = true;

    /// <summary>This node is leaving: it takes no more commands, so load balancers should stop sending them.</summary>
    public void Leaving() => member = false;
}
