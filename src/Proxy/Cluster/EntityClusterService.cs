using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proto.Cluster;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// Starts the cluster member before the front end opens and shuts it down after the front end has drained. A member the
/// cluster shut down by itself (evicted, blocked, its store lost) takes the proxy down with it: a node outside the cluster
/// must not go on serving its entities.
/// </summary>
internal sealed partial class EntityClusterService(Proto.Cluster.Cluster cluster, IHostApplicationLifetime lifetime, ProxyExit exit, ILogger<EntityClusterService> logger) : IHostedService
{
    private bool stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await cluster.StartMemberAsync().ConfigureAwait(false);
        ClusterLog.Watch(cluster, logger);
        cluster.System.Shutdown.Register(() =>
        {
            if (stopping)
                return;
            LogLeftCluster(logger);
            exit.Fail(ProxyExit.LeftCluster);
            lifetime.StopApplication();
        });
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        return cluster.ShutdownAsync(graceful: true, reason: "proxy stopping");
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "This node is no longer a member of the cluster; the proxy stops")]
    private static partial void LogLeftCluster(ILogger logger);
}
