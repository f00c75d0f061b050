using System.Net;
using Microsoft.Extensions.Logging;
using Proto;
using Proto.Cluster;
using Proto.Cluster.Seed;
using Proto.Remote;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// Membership through seed nodes, on Proto.Cluster's seed provider, with the guard it lacks: its start returns normally
/// when no seed answered, leaving a cluster of one that serves every entity a second time. Here a node given seeds joins
/// one of them within the join timeout or refuses to start. Only two nodes ever form a new cluster: one given no seed but
/// itself, and the lowest address of the seeds (given or resolved) once none of the others answers, so that nodes
/// started together form one cluster, not several, and a restarted seed joins the others.
/// </summary>
internal sealed partial class SeedClusterProvider(ClusterOptions options, ILogger<SeedClusterProvider> logger) : IClusterProvider
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AttemptWait = TimeSpan.FromSeconds(2);
    private readonly SeedNodes seeds = new(options);
    private SeedNodeClusterProvider? inner;

    public async Task StartMemberAsync(Proto.Cluster.Cluster cluster)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(options.JoinTimeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        var (host, port) = cluster.System.GetAddress();
        seeds.Self = new DnsEndPoint(host, port);
        inner = new SeedNodeClusterProvider(new SeedNodeClusterProviderOptions(seeds));
        await inner.StartMemberAsync(cluster).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var all = await seeds.ResolveAsync().ConfigureAwait(false);
            var others = all.Where(s => !seeds.IsSelf(s)).ToArray();
            if (others.Length == 0 && options.SeedNames.Count == 0)
            {
                LogFounded(logger, SeedNodes.Text(seeds.Self));
                return;
            }

            var left = TimeSpan.FromSeconds((double)(deadline - TimeProvider.System.GetTimestamp()) / TimeProvider.System.TimestampFrequency);
            if (await JoinedAsync(cluster, left < AttemptWait ? left : AttemptWait).ConfigureAwait(false))
            {
                LogJoinedThrough(logger, cluster.MemberList.GetAllMembers().Length);
                return;
            }

            if (all.Count > 0 && seeds.IsSelf(all[0]) && attempt > 1)
            {
                // Every node is given the same seeds (or resolves the same names): the lowest address forms the cluster
                // when none of the others answers, the others only ever join. So a restarted seed rejoins through the
                // others, and nodes started together form one cluster.
                LogFounded(logger, SeedNodes.Text(seeds.Self));
                return;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                var tried = others.Length == 0 ? "no seed address resolved" : string.Join(", ", others.Select(SeedNodes.Text));
                throw new ClusterJoinException(
                    $"The node could not join the cluster: no seed answered within {options.JoinTimeout.TotalSeconds} s ({tried}). "
                    + "Only the lowest seed address founds a cluster (when it is this node's own), or a node given no seed.");
            }

            LogRetrying(logger, attempt, others.Length == 0 ? "none resolved" : string.Join(", ", others.Select(SeedNodes.Text)));
            try
            {
                await cluster.System.Root.RequestAsync<object>(PID.FromAddress(cluster.System.Address, SeedNodeActor.Name), new Connect(), AttemptWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The seed actor tries each seed in turn; the next round asks again.
            }
        }
    }

    public Task StartClientAsync(Proto.Cluster.Cluster cluster) => throw new NotSupportedException("A proxy node is always a cluster member.");

    public Task ShutdownAsync(bool graceful) => inner?.ShutdownAsync(graceful) ?? Task.CompletedTask;

    /// <summary>True once a member other than this node is in the member list, polled until <paramref name="within"/>.</summary>
    private static async Task<bool> JoinedAsync(Proto.Cluster.Cluster cluster, TimeSpan within)
    {
        var until = TimeProvider.System.GetTimestamp() + (long)(within.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (cluster.MemberList.GetAllMembers().Length < 2)
        {
            if (TimeProvider.System.GetTimestamp() > until)
                return false;
            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Formed a new cluster as its first node, {Self}")]
    private static partial void LogFounded(ILogger logger, string self);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the cluster through its seeds; {Count} member(s)")]
    private static partial void LogJoinedThrough(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No seed answered yet (attempt {Attempt}; seeds {Seeds}); trying again")]
    private static partial void LogRetrying(ILogger logger, int attempt, string seeds);
}

/// <summary>The node could not become a member of its cluster; the message says why and what to change.</summary>
internal sealed class ClusterJoinException(string message) : Exception(message);
