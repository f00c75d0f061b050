using Proto;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// The entity instances active on this node, with the idle ones in least-recently-used order. It holds the node to a
/// limit: an activation past it passivates the instance idle the longest, and is refused only when every instance is busy.
/// When the node leaves the cluster it stops taking commands and tells when the last one in flight is done.
/// </summary>
internal sealed class ActiveEntities(int limit)
{
    private readonly Lock gate = new();
    private readonly LinkedList<Instance> idle = new();
    private int active;
    private int passivating;
    private int busy;
    private TaskCompletionSource? drained;

    /// <summary>The instances counted now, those asked to passivate early included.</summary>
    public int Count
    {
        get
        {
            lock (gate)
                return active;
        }
    }

    public int Limit => limit;

    /// <summary>
    /// Counts a new instance in; null when the node is full of busy instances. <paramref name="passivate"/> gets the
    /// instances that must passivate to make room: they stay counted until they have stopped.
    /// </summary>
    public Instance? TryActivate(PID pid, List<PID> passivate)
    {
        lock (gate)
        {
            if (active - passivating >= limit)
            {
                if (idle.First is not { } oldest)
                    return null;
                idle.RemoveFirst();
                oldest.Value.Passivating = true;
                passivating++;
                passivate.Add(oldest.Value.Pid);
            }

            active++;
            return new Instance(pid);
        }
    }

    /// <summary>
    /// The instance takes a command and cannot be passivated to make room until <see cref="Idle"/>; false, and nothing
    /// changes, once the node has stopped taking commands.
    /// </summary>
    public bool TryBusy(Instance instance)
    {
        lock (gate)
        {
            if (drained is not null)
                return false;
            busy++;
            if (instance.Node.List is not null)
                idle.Remove(instance.Node);
            return true;
        }
    }

    /// <summary>The instance finished a command it took: it is the most recently used idle one.</summary>
    public void Idle(Instance instance)
    {
        lock (gate)
        {
            if (--busy == 0)
                drained?.TrySetResult();
            if (!instance.Passivating && !instance.Gone && instance.Node.List is null)
                idle.AddLast(instance.Node);
        }
    }

    /// <summary>From now on no instance takes a command; completes when the commands already taken are done.</summary>
    public Task StopTakingAsync()
    {
        lock (gate)
        {
            drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (busy == 0)
                drained.TrySetResult();
            return drained.Task;
        }
    }

    /// <summary>The instance stopped.</summary>
    public void Deactivate(Instance instance)
    {
        lock (gate)
        {
            if (instance.Gone)
                return;
            instance.Gone = true;
            if (instance.Node.List is not null)
                idle.Remove(instance.Node);
            if (instance.Passivating)
                passivating--;
            active--;
        }
    }

    /// <summary>One counted instance; its state is guarded by the registry's lock.</summary>
    public sealed class Instance
    {
        public Instance(PID pid)
        {
            Pid = pid;
            Node = new LinkedListNode<Instance>(this);
        }

        public PID Pid { get; }

        internal LinkedListNode<Instance> Node { get; }

        internal bool Passivating { get; set; }

        internal bool Gone { get; set; }
    }
}
