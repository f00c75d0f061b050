using Microsoft.Extensions.Logging;
using Proto.Cluster;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>Logs the cluster's membership as this node sees it change: who joined, who left, who was blocked.</summary>
internal static partial class ClusterLog
{
    public static void Watch(Proto.Cluster.Cluster cluster, ILogger logger)
    {
        var self = cluster.System.Id;
        LogStarted(logger, self, cluster.System.Address, cluster.MemberList.GetAllMembers().Length);
        cluster.System.EventStream.Subscribe<ClusterTopology>(topology =>
        {
            foreach (var member in topology.Joined.Where(m => m.Id != self))
                LogJoined(logger, member.Address, member.Id, topology.Members.Count);
            foreach (var member in topology.Left.Where(m => m.Id != self))
                LogLeft(logger, member.Address, member.Id, topology.Members.Count);
            if (topology.Joined.Count + topology.Left.Count > 0)
                LogRebalance(logger, topology.TopologyHash, topology.Members.Count);
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster member {Id} at {Address} started; {Count} member(s) in view")]
    private static partial void LogStarted(ILogger logger, string id, string address, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Member joined: {Address} ({Id}); {Count} member(s)")]
    private static partial void LogJoined(ILogger logger, string address, string id, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member left or removed: {Address} ({Id}); {Count} member(s); its entities start elsewhere at their next command")]
    private static partial void LogLeft(ILogger logger, string address, string id, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebalance started for topology {Hash} of {Count} member(s): entity owners move to the new partitions")]
    private static partial void LogRebalance(ILogger logger, ulong hash, int count);
}
