namespace Cloudstate.Es.Journal.Membership;

/// <summary>
/// One proxy node as the shared store lists it: its id (the actor system's id), the address other nodes reach it at,
/// and the entity services (cluster kinds) it hosts.
/// </summary>
public sealed record MemberEntry(string MemberId, string Host, int Port, IReadOnlyList<string> Kinds);

/// <summary>What one heartbeat learned: whether this node is still listed, and every member whose heartbeat is fresh.</summary>
/// <param name="StillMember">False when the node's row was gone: another node evicted it (its heartbeat had expired), so it must leave.</param>
/// <param name="Members">The live members, this node among them when it is still a member, ordered by member id.</param>
public sealed record MembershipView(bool StillMember, IReadOnlyList<MemberEntry> Members);

/// <summary>
/// Cluster membership kept in the shared store: a row per node, its heartbeat stamped with the store's own clock, so the
/// nodes' clocks never have to agree. A node joins once, then beats every second or so; a row whose heartbeat is older
/// than the time to live is evicted by whichever node beats next.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Adds (or replaces) this node's row with a fresh heartbeat. Throws when the store cannot be reached.</summary>
    ValueTask JoinAsync(MemberEntry self, CancellationToken cancellationToken);

    /// <summary>
    /// In one round trip: evicts the rows older than <paramref name="timeToLive"/> (by the store's clock), stamps this node's
    /// heartbeat unless its row is gone, and reads the rows left.
    /// </summary>
    ValueTask<MembershipView> HeartbeatAsync(string memberId, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Removes this node's row (a graceful leave); removing a row that is gone is not an error.</summary>
    ValueTask LeaveAsync(string memberId, CancellationToken cancellationToken);
}
