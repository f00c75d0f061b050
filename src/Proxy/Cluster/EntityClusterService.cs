using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Proxy.Entities;
using Cloudstate.Es.Proxy.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proto.Cluster;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>A membership provider's finding that this node is no longer in the cluster (evicted, cut off, its store lost).</summary>
internal sealed record MemberLost(string Reason);

/// <summary>
/// Starts the cluster member before the front end opens and shuts it down after the front end has drained: a node that
/// leaves a cluster of several first stops taking commands and lets those it took finish, so that every command sent to
/// it is either answered or refused unhandled, and sent on to the entity's next owner (<see cref="MemberDepartures"/>). A member that
/// lost its place in the cluster (a provider published <see cref="MemberLost"/>, or Proto.Cluster shut it down: blocked
/// by the others) takes the proxy down with it at once, exit code 3: a node outside the cluster must not go on serving
/// its entities.
/// </summary>
internal sealed partial class EntityClusterService(
    Proto.Cluster.Cluster cluster,
    ActiveEntities active,
    MemberDepartures departures,
    ProxyOptions options,
    IHostApplicationLifetime lifetime,
    ProxyExit exit,
    ProxyReadiness readiness,
    ILogger<EntityClusterService> logger) : IHostedService
{
    // Between the last command this node handled and its announcement that it left: time for the answers to get out
    // before the other nodes drop their connections to it (see MemberDepartures).
    private static readonly TimeSpan AnswersOut = TimeSpan.FromMilliseconds(300);

    // Leaving takes a few gossip rounds and the members table. A lost member could wait far longer on connections that
    // never answer, and has nothing left to tell the others: it only lets its actors stop.
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LostShutdownBound = TimeSpan.FromSeconds(2);
    private int lost;
    private volatile bool stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await cluster.StartMemberAsync().ConfigureAwait(false);
        readiness.Joined();
        // Not ready from the moment the proxy begins to stop, so that load balancers turn away before the front end drains.
        lifetime.ApplicationStopping.Register(readiness.Leaving);
        ClusterLog.Watch(cluster, logger);
        departures.Watch();
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
        readiness.Leaving();
        var graceful = Volatile.Read(ref lost) == 0;
        var bound = graceful ? ShutdownBound : LostShutdownBound;
        try
        {
            if (graceful && options.Cluster.IsMultiNode)
                await DrainAsync(cancellationToken).ConfigureAwait(false);
            await cluster.ShutdownAsync(graceful, graceful ? "proxy stopping" : "no longer a member").WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownSlow(logger, bound.TotalSeconds);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var taken = active.StopTakingAsync();
        var bound = options.Entities.CommandTimeout + TimeSpan.FromSeconds(2);
        try
        {
            await taken.WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainSlow(logger, bound.TotalSeconds);
        }

        await Task.Delay(AnswersOut, cancellationToken).ConfigureAwait(false);
        LogDrained(logger);
    }

    private void Leave()
    {
        if (Interlocked.Exchange(ref lost, 1) != 0)
            return;
        LogLeftCluster(logger);
        readiness.Leaving();
        exit.Fail(ProxyExit.LeftCluster);
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "This node is no longer a member of the cluster; the proxy stops")]
    private static partial void LogLeftCluster(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leaving the cluster: this node takes no more commands and has answered those it took")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commands still running after {Seconds} s; the node leaves the cluster without waiting for them")]
    private static partial void LogDrainSlow(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster member did not shut down within {Seconds} s; the proxy exits without waiting for it")]
    private static partial void LogShutdownSlow(ILogger logger, double seconds);
}
