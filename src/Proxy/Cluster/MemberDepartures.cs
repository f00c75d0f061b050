using System.Collections.Concurrent;
using Cloudstate.Es.Proxy.Entities;
using Microsoft.Extensions.Logging;
using Proto;
using Proto.Cluster;
using Proto.Cluster.Gossip;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// The commands this node has sent to instances on other nodes, and what it knows of those nodes leaving. A node that
/// leaves gracefully finishes the commands it took, refuses every later one unhandled
/// (<see cref="EntityOutcome.Leaving"/>), and announces that it left (Proto.Cluster's "left" gossip) only after those it
/// took are answered and a pause has let their answers out. A command still unanswered here when that announcement
/// arrives was therefore never handled, even if its refusal was lost with the connection (Proto.Remote drops a member's
/// connections as soon as it learns the member left): it is answered Leaving here in the member's stead, and the router
/// sends it again to the entity's next owner once the member is out of this node's topology.
/// </summary>
internal sealed partial class MemberDepartures
{
    private readonly Proto.Cluster.Cluster cluster;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<EntityCommand, PID> waiting = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, string> addresses = new();
    // Members that announced they left and are still in the topology, with their addresses.
    private readonly ConcurrentDictionary<string, string> departed = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gone = new();

    public MemberDepartures(Proto.Cluster.Cluster cluster, ILogger<MemberDepartures> logger)
    {
        this.cluster = cluster;
        this.logger = logger;
        Sender = cluster.System.Root.WithSenderMiddleware(next => (context, target, envelope) =>
        {
            if (envelope is not { Message: EntityCommand command, Sender: { } answer } || target.Address == context.System.Address)
                return next(context, target, envelope);
            command.SentTo = target;
            waiting[command] = answer;
            return next(context, target, envelope);
        });
    }

    /// <summary>The context to send commands through: it keeps track of those sent to other nodes.</summary>
    public ISenderContext Sender { get; }

    /// <summary>Follows the members from the moment this node has joined.</summary>
    public void Watch()
    {
        foreach (var member in cluster.MemberList.GetAllMembers())
            addresses[member.Id] = member.Address;
        var events = cluster.System.EventStream;
        events.Subscribe<ClusterTopology>(OnTopology);
        events.Subscribe<GossipUpdate>(update => update.Key == GossipKeys.GracefullyLeft && update.MemberId != cluster.System.Id, OnLeft);
    }

    /// <summary>The command has its answer (or its caller gave up on it): nothing more to track.</summary>
    public void Answered(EntityCommand command)
    {
        if (command.SentTo is not null)
            waiting.TryRemove(command, out _);
    }

    /// <summary>
    /// Completes once <paramref name="member"/> is out of this node's topology (at once if it is already); false if it is
    /// this node, which cannot wait for itself.
    /// </summary>
    public async Task<bool> WhenGoneAsync(string member, CancellationToken cancellationToken)
    {
        if (member == cluster.System.Id)
            return false;
        var left = gone.GetOrAdd(member, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!cluster.MemberList.ContainsMemberId(member))
            left.TrySetResult();
        await left.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void OnTopology(ClusterTopology topology)
    {
        foreach (var member in topology.Members)
            addresses[member.Id] = member.Address;
        foreach (var member in topology.Left)
        {
            // Sent between its announcement and now, a command may have been lost with the connections to it, which are
            // gone now: those sent from here on get Proto.Remote's dead-letter answer, and go to the next owner.
            if (departed.TryRemove(member.Id, out var address))
                AnswerFor(member.Id, address);
            if (gone.TryRemove(member.Id, out var left))
                left.TrySetResult();
        }
    }

    private void OnLeft(GossipUpdate update)
    {
        var address = cluster.MemberList.TryGetMember(update.MemberId, out var member) && member is not null
            ? member.Address
            : addresses.GetValueOrDefault(update.MemberId);
        if (address is null || !departed.TryAdd(update.MemberId, address))
            return;
        LogDeparted(logger, address, update.MemberId, AnswerFor(update.MemberId, address));
    }

    private int AnswerFor(string member, string address)
    {
        var answered = 0;
        foreach (var (command, _) in waiting)
        {
            if (command.SentTo?.Address == address && Answer(command, member))
                answered++;
        }

        return answered;
    }

    private bool Answer(EntityCommand command, string member)
    {
        if (!waiting.TryRemove(command, out var answer))
            return false;
        cluster.System.Root.Send(answer, EntityOutcome.Leaving(member, "The node that hosted the entity left the cluster before the command reached it; retry it."));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Member {Address} ({Id}) announced that it left; {Count} command(s) it had not answered go to the entities' next owners")]
    private static partial void LogDeparted(ILogger logger, string address, string id, int count);
}
