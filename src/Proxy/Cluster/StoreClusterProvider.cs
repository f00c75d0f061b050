using Cloudstate.Es.Journal.Membership;
using Microsoft.Extensions.Logging;
using Proto.Cluster;
using Proto.Remote;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// Cluster membership through the shared store (<see cref="IMembershipTable"/>): the node writes its row at start (a store
/// it cannot reach stops the start), then every heartbeat interval stamps it and takes the rows left as the topology. A
/// node whose row was evicted, or that cannot reach the store for longer than the member timeout (so the others may have
/// evicted it), or that finds itself on the smaller side of a partition, is lost (<see cref="MemberLost"/>): the proxy
/// stops, and its entities are the others' now.
/// </summary>
internal sealed partial class StoreClusterProvider(IMembershipTable table, ClusterOptions options, ILogger<StoreClusterProvider> logger) : IClusterProvider
{
    private readonly CancellationTokenSource stop = new();
    private Task beating = Task.CompletedTask;
    private string memberId = "";
    private long? splitSince;

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
        if (graceful && await TryLeaveAsync().ConfigureAwait(false))
            LogLeft(logger);
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
                        if (PartitionedOff(cluster, view) is not { } partitioned)
                            continue;
                        lost = partitioned;
                        await TryLeaveAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        lost = $"its row in the members table was evicted (no heartbeat for {options.MemberTimeout.TotalSeconds} s)";
                    }
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
                cluster.System.EventStream.Publish(new MemberLost(lost));
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The store is the referee of a partition. Members the store lists as alive (they beat) but this node no longer hears
    /// (gossip blocked them) are on the other side of a cut. The smaller side leaves, and of two equal sides the one
    /// without the lowest member id, both sides reading the same table; only once the split has lasted the member timeout,
    /// so that a member leaving gracefully (heard from no more, its row not yet removed) splits nothing. Why this node
    /// must leave, or null.
    /// </summary>
    private string? PartitionedOff(Proto.Cluster.Cluster cluster, MembershipView view)
    {
        var blocked = cluster.System.Remote().BlockList.BlockedMembers;
        var heard = view.Members.Count(m => !blocked.Contains(m.MemberId));
        var smaller = heard * 2 < view.Members.Count || (heard * 2 == view.Members.Count && blocked.Contains(view.Members[0].MemberId));
        if (!smaller)
        {
            splitSince = null;
            return null;
        }

        splitSince ??= TimeProvider.System.GetTimestamp();
        LogSplit(logger, heard, view.Members.Count);
        return TimeProvider.System.GetElapsedTime(splitSince.Value) < options.MemberTimeout
            ? null
            : $"it hears {heard} of the {view.Members.Count} members the store lists: a partition, and its side is the smaller";
    }

    /// <summary>Removes this node's row, so that the others need not wait for it to expire; false (logged) when that failed.</summary>
    private async Task<bool> TryLeaveAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.HeartbeatInterval * 3);
            await table.LeaveAsync(memberId, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            // The others evict the row after the member timeout instead.
            LogLeaveFailed(logger, e.Message);
            return false;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition: this node hears {Heard} of the {Listed} members the store lists; its side is the smaller and leaves unless the split ends within the member timeout")]
    private static partial void LogSplit(ILogger logger, int heard, int listed);

    [LoggerMessage(Level = LogLevel.Critical, Message = "This node leaves the cluster: {Reason}")]
    private static partial void LogEvicted(ILogger logger, string reason);
}
