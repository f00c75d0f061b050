using Cloudstate.Es.Proxy.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proto.Cluster;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>A membership provider's finding that this node is no longer in the cluster (evicted, cut off, its store lost).</summary>
internal sealed record MemberLost(string Reason);

/// <summary>
/// Starts the cluster member before the front end opens and shuts it down after the front end has drained. A member that
/// lost its place in the cluster (a provider published <see cref="MemberLost"/>, or Proto.Cluster shut it down: blocked
/// by the others) takes the proxy down with it at once, exit code 3: a node outside the cluster must not go on serving
/// its entities.
/// </summary>
internal sealed partial class EntityClusterService(Proto.Cluster.Cluster cluster, IHostApplicationLifetime lifetime, ProxyExit exit, ILogger<EntityClusterService> logger) : IHostedService
{
    // Leaving takes a few gossip rounds and the members table. A lost member could wait far longer on connections that
    // never answer, and has nothing left to tell the others: it only lets its actors stop.
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LostShutdownBound = TimeSpan.FromSeconds(2);
    private int lost;
    private volatile bool stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await cluster.StartMemberAsync().ConfigureAwait(false);
        ClusterLog.Watch(cluster, logger);
        cluster.System.EventStream.Subscribe<MemberLost>(_ => Leave());
        cluster.System.Shutdown.Register(() =>
        {
            if (!stopping)
                Leave();
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        var graceful = Volatile.Read(ref lost) == 0;
        var bound = graceful ? ShutdownBound : LostShutdownBound;
        try
        {
            await cluster.ShutdownAsync(graceful, graceful ? "proxy stopping" : "no longer a member").WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownSlow(logger, bound.TotalSeconds);
        }
    }

    private void Leave()
    {
        if (Interlocked.Exchange(ref lost, 1) != 0)
            return;
        LogLeftCluster(logger);
        exit.Fail(ProxyExit.LeftCluster);
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "This node is no longer a member of the cluster; the proxy stops")]
    private static partial void LogLeftCluster(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster member did not shut down within {Seconds} s; the proxy exits without waiting for it")]
    private static partial void LogShutdownSlow(ILogger logger, double seconds);
}
