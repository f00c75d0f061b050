using Cloudstate.Es.Journal.Membership;
using Microsoft.Extensions.Logging;
using Proto.Cluster;
using Proto.Remote;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// Cluster membership through the shared store (<see cref="IMembershipTable"/>): the node writes its row at start (a store
/// it cannot reach stops the start), then every heartbeat interval stamps it and takes the rows left as the topology. A
/// node whose row was evicted, or that cannot reach the store for longer than the member timeout (so the others may have
/// evicted it), shuts its cluster member down: its entities are the others' now.
/// </summary>
internal sealed partial class StoreClusterProvider(IMembershipTable table, ClusterOptions options, ILogger<StoreClusterProvider> logger) : IClusterProvider
{
    private readonly CancellationTokenSource stop = new();
    private Task beating = Task.CompletedTask;
    private string memberId = "";

    public async Task StartMemberAsync(Proto.Cluster.Cluster cluster)
    {
        var (host, port) = cluster.System.GetAddress();
        memberId = cluster.System.Id;
        using var timeout = new CancellationTokenSource(options.JoinTimeout);
        await table.JoinAsync(new MemberEntry(memberId, host, port, cluster.GetClusterKinds()), timeout.Token).ConfigureAwait(false);
        var view = await table.HeartbeatAsync(memberId, options.MemberTimeout, timeout.Token).ConfigureAwait(false);
        cluster.MemberList.UpdateClusterTopology(ToMembers(view));
        LogJoined(logger, host, port, view.Members.Count);
        beating = Task.Run(() => BeatAsync(cluster));
    }

    public Task StartClientAsync(Proto.Cluster.Cluster cluster) => throw new NotSupportedException("A proxy node is always a cluster member.");

    public async Task ShutdownAsync(bool graceful)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await beating.ConfigureAwait(false);
        if (!graceful)
            return;
        try
        {
            using var timeout = new CancellationTokenSource(options.HeartbeatInterval * 3);
            await table.LeaveAsync(memberId, timeout.Token).ConfigureAwait(false);
            LogLeft(logger);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            // The others evict the row after the member timeout instead.
            LogLeaveFailed(logger, e.Message);
        }
    }

    private async Task BeatAsync(Proto.Cluster.Cluster cluster)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        var lastBeat = TimeProvider.System.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                string? lost;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    timeout.CancelAfter(options.MemberTimeout - options.HeartbeatInterval);
                    var view = await table.HeartbeatAsync(memberId, options.MemberTimeout, timeout.Token).ConfigureAwait(false);
                    lastBeat = TimeProvider.System.GetTimestamp();
                    if (view.StillMember)
                    {
                        cluster.MemberList.UpdateClusterTopology(ToMembers(view));
                        continue;
                    }

                    lost = $"its row in the members table was evicted (no heartbeat for {options.MemberTimeout.TotalSeconds} s)";
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    var silent = TimeProvider.System.GetElapsedTime(lastBeat);
                    LogBeatFailed(logger, silent.TotalSeconds, e.Message);
                    if (silent < options.MemberTimeout)
                        continue;
                    lost = $"it could not reach the store for {silent.TotalSeconds:0.#} s, so the others have removed it";
                }

                LogEvicted(logger, lost);
                _ = cluster.ShutdownAsync(graceful: false, reason: lost);
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static Member[] ToMembers(MembershipView view) => view.Members
        .Select(m => new Member { Id = m.MemberId, Host = m.Host, Port = m.Port, Kinds = { m.Kinds } })
        .ToArray();

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the cluster through the store's members table as {Host}:{Port}; {Count} member(s)")]
    private static partial void LogJoined(ILogger logger, string host, int port, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Left the cluster: this node's row is removed from the members table")]
    private static partial void LogLeft(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove this node's row from the members table ({Reason}); the others evict it after the member timeout")]
    private static partial void LogLeaveFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat to the members table failed ({Silent:0.#} s since the last one): {Reason}")]
    private static partial void LogBeatFailed(ILogger logger, double silent, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "This node leaves the cluster: {Reason}")]
    private static partial void LogEvicted(ILogger logger, string reason);
}
